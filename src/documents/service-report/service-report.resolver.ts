import { Max, Min, ValidateNested } from 'class-validator';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { ApprovalSignature } from '../../approval/approval.entity';
import { ApprovalSignatureType } from '../../approval/approval.types';
import { Connection } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { idOf } from '../../graphql/global-id';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { CustomerType, DepartmentType, UserType } from '../../organisation/organisation.types';
import { serviceReportDefinition } from './service-report.definition';
import { ServiceReport } from './service-report.entity';
import { ServiceReportKind, ServiceReportState } from './service-report.enums';
import { PlanItemType, ServiceReportType } from './service-report.types';

export const ServiceReportConnection = Connection(ServiceReportType, 'ServiceReport');

@InputType({ description: 'All given conditions must hold' })
export class ServiceReportFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [ServiceReportState], { nullable: true, description: 'PENDING_REVIEW: what department heads have to review; PENDING_APPROVAL: what executives have to approve' }) state?: ServiceReportState[];
  @Field(() => [ServiceReportKind], { nullable: true }) kind?: ServiceReportKind[];
  @Field(() => ID, { nullable: true }) departmentId?: string;
  @Field(() => Int, { nullable: true, description: 'the year reported on, or planned for' }) @Min(2000) @Max(2100) year?: number;
  @Field(() => ID, { nullable: true, description: 'reports of customer groups this customer belongs to' }) customerId?: string;
}

@ArgsType()
class ServiceReportsArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ServiceReportFilter, { nullable: true }) @ValidateNested() filter?: ServiceReportFilter;
}

@Resolver(() => ServiceReportType)
export class ServiceReportResolver {
  @Query(() => ServiceReportConnection, { description: 'Service reports and plans within your scope, newest first' })
  async serviceReports(@Args(() => ServiceReportsArgs) args: ServiceReportsArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, serviceReportDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.kind?.length) qb.andWhere('d.kind IN (:...kinds)', { kinds: f.kind });
      if (f.departmentId) qb.andWhere('d.department_id = :departmentId', { departmentId: idOf(f.departmentId, 'Department') ?? NO_MATCH });
      if (f.year != null) qb.andWhere('d.year = :year', { year: f.year });
      if (f.customerId) qb.andWhere(':customerId = ANY(d.customer_ids)', { customerId: idOf(f.customerId, 'Customer') ?? NO_MATCH });
    });
  }

  @FieldResolver(() => [PlanItemType])
  planItems(@Root() doc: ServiceReport): PlanItemType[] {
    return doc.planItems.map((p, i) => ({ item: i + 1, title: p.title, detail: p.detail, quantity: p.quantity, month: p.month }));
  }

  @FieldResolver(() => DepartmentType)
  department(@Root() doc: ServiceReport, @Ctx() ctx: Context): Promise<Department | null> {
    return ctx.loaders.department.load(doc.departmentId);
  }

  @FieldResolver(() => [CustomerType], { description: 'the customer group\'s customers; empty for the whole department' })
  async customers(@Root() doc: ServiceReport, @Ctx() ctx: Context): Promise<Customer[]> {
    return (await ctx.loaders.customer.loadMany(doc.customerIds)).filter((c): c is Customer => !!c && !(c instanceof Error));
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'who drew it up (the system for a scheduled report)' })
  createdBy(@Root() doc: ServiceReport, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
  }

  @FieldResolver(() => UserType, { nullable: true }) submittedBy(@Root() doc: ServiceReport, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.submittedById ? ctx.loaders.user.load(doc.submittedById) : null;
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'the department head who reviewed it' }) reviewedBy(@Root() doc: ServiceReport, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.reviewedById ? ctx.loaders.user.load(doc.reviewedById) : null;
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'the executive who approved it' }) issuedBy(@Root() doc: ServiceReport, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.issuedById ? ctx.loaders.user.load(doc.issuedById) : null;
  }

  @FieldResolver(() => [ApprovalSignatureType], { description: 'Every signature: reviews, approvals and send-backs, in order' })
  approvals(@Root() doc: ServiceReport, @Ctx() ctx: Context): Promise<ApprovalSignature[]> {
    return ctx.loaders.signatures.load(doc.id);
  }
}
