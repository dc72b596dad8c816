import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { Max, Min, ValidateNested } from 'class-validator';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { CustomerType, DepartmentType, UserType } from '../../organisation/organisation.types';
import { Connection, SortKey } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { idOf } from '../../graphql/global-id';
import { SaneDate } from '../../graphql/validation';
import { ServiceRequestState, Urgency, Channel, ServiceType, ServiceCategory } from './service-request.enums';
import { serviceRequestDefinition } from './service-request.definition';
import { ServiceRequest } from './service-request.entity';
import { ServiceRequestType } from './service-request.types';

export const ServiceRequestConnection = Connection(ServiceRequestType, 'ServiceRequest');

export enum ServiceRequestOrder {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  PRIORITY = 'PRIORITY',
}
registerEnumType(ServiceRequestOrder, {
  name: 'ServiceRequestOrder',
  valuesConfig: {
    NEWEST: { description: 'most recently created first' },
    OLDEST: { description: 'oldest first' },
    PRIORITY: { description: 'review queue order: CRITICAL, then URGENT, then NORMAL; oldest first within each' },
  },
});

@InputType({ description: 'All given conditions must hold' })
export class ServiceRequestFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [ServiceRequestState], { nullable: true }) state?: ServiceRequestState[];
  @Field(() => ID, { nullable: true }) customerId?: string;
  @Field(() => ID, { nullable: true, description: 'the target department' }) departmentId?: string;
  @Field(() => [Urgency], { nullable: true }) urgency?: Urgency[];
  @Field(() => [Channel], { nullable: true }) channel?: Channel[];
  @Field(() => [ServiceType], { nullable: true }) serviceType?: ServiceType[];
  @Field(() => [ServiceCategory], { nullable: true }) category?: ServiceCategory[];
  @Field(() => Date, { nullable: true, description: 'created at or after' }) @SaneDate() createdFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'created before' }) @SaneDate() createdTo?: Date;
}

@ArgsType()
class ServiceRequestsArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' })
  @Min(0)
  @Max(100)
  first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ServiceRequestFilter, { nullable: true }) @ValidateNested() filter?: ServiceRequestFilter;
  @Field(() => ServiceRequestOrder, { nullable: true, defaultValue: ServiceRequestOrder.NEWEST }) orderBy: ServiceRequestOrder;
}

const createdAt: SortKey<ServiceRequest>['value'] = (r) => r.createdAt.toISOString();
const SORTS: Record<ServiceRequestOrder, SortKey<ServiceRequest>[]> = {
  NEWEST: [
    { sql: 'd.created_at', direction: 'DESC', kind: 'timestamp', value: createdAt },
    { sql: 'd.id', direction: 'DESC', kind: 'uuid', value: (r) => r.id },
  ],
  OLDEST: [
    { sql: 'd.created_at', direction: 'ASC', kind: 'timestamp', value: createdAt },
    { sql: 'd.id', direction: 'ASC', kind: 'uuid', value: (r) => r.id },
  ],
  PRIORITY: [
    { sql: 'd.urgency_rank', direction: 'DESC', kind: 'int', value: (r) => r.urgencyRank },
    { sql: 'd.created_at', direction: 'ASC', kind: 'timestamp', value: createdAt },
    { sql: 'd.id', direction: 'ASC', kind: 'uuid', value: (r) => r.id },
  ],
};

@Resolver(() => ServiceRequestType)
export class ServiceRequestResolver {
  @Query(() => ServiceRequestConnection, { description: 'Service requests within your scope' })
  async serviceRequests(@Args(() => ServiceRequestsArgs) args: ServiceRequestsArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, serviceRequestDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.urgency?.length) qb.andWhere('d.urgency IN (:...urgencies)', { urgencies: f.urgency });
      if (f.channel?.length) qb.andWhere('d.channel IN (:...channels)', { channels: f.channel });
      if (f.serviceType?.length) qb.andWhere('d.service_type IN (:...serviceTypes)', { serviceTypes: f.serviceType });
      if (f.category?.length) qb.andWhere('d.category IN (:...categories)', { categories: f.category });
      if (f.customerId) qb.andWhere('d.customer_id = :customerId', { customerId: idOf(f.customerId, 'Customer') ?? NO_MATCH });
      if (f.departmentId) qb.andWhere('d.target_department_id = :departmentId', { departmentId: idOf(f.departmentId, 'Department') ?? NO_MATCH });
      if (f.createdFrom) qb.andWhere('d.created_at >= :createdFrom', { createdFrom: f.createdFrom });
      if (f.createdTo) qb.andWhere('d.created_at < :createdTo', { createdTo: f.createdTo });
    }, SORTS[args.orderBy ?? ServiceRequestOrder.NEWEST]);
  }

  @FieldResolver(() => Boolean, { description: 'URGENT or CRITICAL: comes first in review queues' })
  flagged(@Root() doc: ServiceRequest): boolean {
    return doc.urgency !== Urgency.NORMAL;
  }

  @FieldResolver(() => CustomerType)
  customer(@Root() doc: ServiceRequest, @Ctx() ctx: Context): Promise<Customer | null> {
    return ctx.loaders.customer.load(doc.customerId);
  }

  @FieldResolver(() => DepartmentType, { nullable: true, description: 'the department that serves it (set on ACCEPT)' })
  targetDepartment(@Root() doc: ServiceRequest, @Ctx() ctx: Context): Promise<Department | null> | null {
    return doc.targetDepartmentId ? ctx.loaders.department.load(doc.targetDepartmentId) : null;
  }

  @FieldResolver(() => UserType, { nullable: true })
  createdBy(@Root() doc: ServiceRequest, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
  }
}
