import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { Max, Min, ValidateNested } from 'class-validator';
import { ApprovalSignature } from '../../approval/approval.entity';
import { ApprovalSignatureType } from '../../approval/approval.types';
import { Connection } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { idOf } from '../../graphql/global-id';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { CustomerType, DepartmentType, UserType } from '../../organisation/organisation.types';
import { serviceTaskDefinition } from './service-task.definition';
import { ServiceTask } from './service-task.entity';
import { ConsentChannel, ContactChannel, ServiceTaskState } from './service-task.enums';
import { CustomerContact, DispatchNotice, QuoteConsent, ServiceTaskType } from './service-task.types';
import { Urgency } from '../../vocabulary';
import { consentCurrent } from './service-task.definition';

export const ServiceTaskConnection = Connection(ServiceTaskType, 'ServiceTask');

@InputType({ description: 'All given conditions must hold' })
export class ServiceTaskFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [ServiceTaskState], { nullable: true }) state?: ServiceTaskState[];
  @Field(() => ID, { nullable: true }) requestId?: string;
  @Field(() => ID, { nullable: true }) departmentId?: string;
  @Field(() => ID, { nullable: true }) assigneeId?: string;
  @Field(() => Boolean, { nullable: true, description: 'true: its dispatch notice is issued; false: not yet (customer service\'s "to dispatch")' }) dispatched?: boolean;
}

@ArgsType()
class ServiceTasksArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ServiceTaskFilter, { nullable: true }) @ValidateNested() filter?: ServiceTaskFilter;
}


@Resolver(() => ServiceTaskType)
export class ServiceTaskResolver {
  @Query(() => ServiceTaskConnection, { description: 'Service tasks within your scope, newest first' })
  async serviceTasks(@Args(() => ServiceTasksArgs) args: ServiceTasksArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, serviceTaskDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.requestId) qb.andWhere('d.request_id = :requestId', { requestId: idOf(f.requestId, 'ServiceRequest') ?? NO_MATCH });
      if (f.departmentId) qb.andWhere('d.department_id = :departmentId', { departmentId: idOf(f.departmentId, 'Department') ?? NO_MATCH });
      if (f.assigneeId) qb.andWhere('d.assignee_id = :assigneeId', { assigneeId: idOf(f.assigneeId, 'User') ?? NO_MATCH });
      if (f.dispatched === true) qb.andWhere('d.dispatch_number IS NOT NULL');
      if (f.dispatched === false) qb.andWhere('d.dispatch_number IS NULL');
    });
  }

  @FieldResolver(() => QuoteConsent, { nullable: true })
  consent(@Root() doc: ServiceTask): QuoteConsent | null {
    if (!doc.chargeable || !consentCurrent(doc)) return null;
    return { price: doc.consentedPrice, plannedStart: doc.consentedStart, plannedEnd: doc.consentedEnd, at: doc.consentedAt!, signerName: doc.consentSignerName!, channel: doc.consentChannel as ConsentChannel };
  }

  @FieldResolver(() => DispatchNotice, { nullable: true })
  dispatchNotice(@Root() doc: ServiceTask): DispatchNotice | null {
    if (!doc.dispatchNumber) return null;
    return { number: doc.dispatchNumber, issuedAt: doc.dispatchedAt!, agentName: doc.dispatchAgentName!, urgency: doc.dispatchUrgency as Urgency, regionCode: doc.dispatchRegionCode, note: doc.dispatchNote, returnedAt: doc.dispatchReturnedAt };
  }

  @FieldResolver(() => CustomerContact, { nullable: true })
  customerContact(@Root() doc: ServiceTask): CustomerContact | null {
    if (!doc.contactRecordedAt) return null;
    return { contactedAt: doc.customerContactedAt!, channel: doc.customerContactChannel as ContactChannel, contactPerson: doc.customerContactPerson, agreedVisitAt: doc.agreedVisitAt!, agreedVisitPlace: doc.agreedVisitPlace, recordedAt: doc.contactRecordedAt };
  }

  @FieldResolver(() => CustomerType)
  customer(@Root() doc: ServiceTask, @Ctx() ctx: Context): Promise<Customer | null> {
    return ctx.loaders.customer.load(doc.customerId);
  }

  @FieldResolver(() => DepartmentType)
  department(@Root() doc: ServiceTask, @Ctx() ctx: Context): Promise<Department | null> {
    return ctx.loaders.department.load(doc.departmentId);
  }

  @FieldResolver(() => UserType, { nullable: true, description: '負責人' })
  assignee(@Root() doc: ServiceTask, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.assigneeId ? ctx.loaders.user.load(doc.assigneeId) : null;
  }

  @FieldResolver(() => [UserType], { nullable: true, description: 'Staff only' })
  async helpers(@Root() doc: ServiceTask, @Ctx() ctx: Context): Promise<User[]> {
    return (await ctx.loaders.user.loadMany(doc.helperIds)).filter((u): u is User => !!u && !(u instanceof Error));
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'Staff only' })
  createdBy(@Root() doc: ServiceTask, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
  }

  @FieldResolver(() => [ApprovalSignatureType], { nullable: true, description: 'Staff only. Every signature of its approvals (approve, endorse, reject), in order' })
  approvals(@Root() doc: ServiceTask, @Ctx() ctx: Context): Promise<ApprovalSignature[]> {
    return ctx.loaders.signatures.load(doc.id);
  }
}
