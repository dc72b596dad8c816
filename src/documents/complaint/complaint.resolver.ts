import { Max, Min, ValidateNested } from 'class-validator';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { ApprovalSignature } from '../../approval/approval.entity';
import { ApprovalSignatureType } from '../../approval/approval.types';
import { Connection } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { idOf } from '../../graphql/global-id';
import { SaneDate } from '../../graphql/validation';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { CustomerType, DepartmentType, UserType } from '../../organisation/organisation.types';
import { complaintDefinition } from './complaint.definition';
import { Complaint } from './complaint.entity';
import { ComplaintCategory, ComplaintSeverity, ComplaintState } from './complaint.enums';
import { ComplaintType } from './complaint.types';

export const ComplaintConnection = Connection(ComplaintType, 'Complaint');

@InputType({ description: 'All given conditions must hold' })
export class ComplaintFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [ComplaintState], { nullable: true }) state?: ComplaintState[];
  @Field(() => ID, { nullable: true }) customerId?: string;
  @Field(() => ID, { nullable: true, description: 'the responsible department' }) departmentId?: string;
  @Field(() => [ComplaintSeverity], { nullable: true }) severity?: ComplaintSeverity[];
  @Field(() => [ComplaintCategory], { nullable: true }) category?: ComplaintCategory[];
  @Field(() => Date, { nullable: true, description: 'received at or after' }) @SaneDate() createdFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'received before' }) @SaneDate() createdTo?: Date;
}

@ArgsType()
class ComplaintsArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ComplaintFilter, { nullable: true }) @ValidateNested() filter?: ComplaintFilter;
}

/** Before the executive's approval the deadline runs; after it, it was met or missed. */
const OPEN_STATES = new Set<string>([ComplaintState.ASSIGNED, ComplaintState.INVESTIGATING, ComplaintState.PENDING_APPROVAL]);

@Resolver(() => ComplaintType)
export class ComplaintResolver {
  @Query(() => ComplaintConnection, { description: 'Complaints within your scope, newest first' })
  async complaints(@Args(() => ComplaintsArgs) args: ComplaintsArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, complaintDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.severity?.length) qb.andWhere('d.severity IN (:...severities)', { severities: f.severity });
      if (f.category?.length) qb.andWhere('d.category IN (:...categories)', { categories: f.category });
      if (f.customerId) qb.andWhere('d.customer_id = :customerId', { customerId: idOf(f.customerId, 'Customer') ?? NO_MATCH });
      if (f.departmentId) qb.andWhere('d.department_id = :departmentId', { departmentId: idOf(f.departmentId, 'Department') ?? NO_MATCH });
      if (f.createdFrom) qb.andWhere('d.created_at >= :createdFrom', { createdFrom: f.createdFrom });
      if (f.createdTo) qb.andWhere('d.created_at < :createdTo', { createdTo: f.createdTo });
    });
  }

  @FieldResolver(() => Date, { description: 'when it was received (= createdAt)' })
  receivedAt(@Root() doc: Complaint): Date {
    return doc.createdAt;
  }

  @FieldResolver(() => Boolean, { description: 'the resolution deadline passed: still unresolved after resolutionDueAt, or resolved after it (SPEC §4)' })
  resolutionOverdue(@Root() doc: Complaint): boolean {
    if (!doc.resolutionDueAt) return false;
    const at = OPEN_STATES.has(doc.state) ? new Date() : doc.resolvedAt;
    return !!at && at > doc.resolutionDueAt;
  }

  @FieldResolver(() => CustomerType)
  customer(@Root() doc: Complaint, @Ctx() ctx: Context): Promise<Customer | null> {
    return ctx.loaders.customer.load(doc.customerId);
  }

  @FieldResolver(() => DepartmentType, { nullable: true, description: 'the responsible department (set on ASSIGN)' })
  department(@Root() doc: Complaint, @Ctx() ctx: Context): Promise<Department | null> | null {
    return doc.departmentId ? ctx.loaders.department.load(doc.departmentId) : null;
  }

  @FieldResolver(() => UserType, { nullable: true })
  createdBy(@Root() doc: Complaint, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'Staff only. The supervisor who proposed the latest resolution' })
  resolvedBy(@Root() doc: Complaint, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.resolvedById ? ctx.loaders.user.load(doc.resolvedById) : null;
  }

  @FieldResolver(() => [ApprovalSignatureType], { nullable: true, description: 'Staff only. The executive\'s signatures (approve, reject), round by round' })
  approvals(@Root() doc: Complaint, @Ctx() ctx: Context): Promise<ApprovalSignature[]> {
    return ctx.loaders.signatures.load(doc.id);
  }
}
