import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { Max, Min, ValidateNested } from 'class-validator';
import { Connection, paginate, SortKey } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { idOf } from '../../graphql/global-id';
import { fetchVisible, visibleQuery } from '../../workflow/grants';
import { serviceTaskDefinition } from '../service-task/service-task.definition';
import type { ServiceTask } from '../service-task/service-task.entity';
import { ServiceTaskType } from '../service-task/service-task.types';
import { serviceAcceptanceDefinition } from './service-acceptance.definition';
import { ServiceAcceptance } from './service-acceptance.entity';
import { ServiceAcceptanceState } from './service-acceptance.enums';
import { ServiceAcceptanceType } from './service-acceptance.types';

export const ServiceAcceptanceConnection = Connection(ServiceAcceptanceType, 'ServiceAcceptance');

@InputType({ description: 'All given conditions must hold' })
export class ServiceAcceptanceFilter {
  @Field(() => [ServiceAcceptanceState], { nullable: true, description: 'PENDING_CUSTOMER: the acceptances waiting for a signature' }) state?: ServiceAcceptanceState[];
  @Field(() => ID, { nullable: true }) taskId?: string;
}

@ArgsType()
class ServiceAcceptancesArgs {
  @Field(() => Int, { nullable: true }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ServiceAcceptanceFilter, { nullable: true }) @ValidateNested() filter?: ServiceAcceptanceFilter;
}

const NEWEST: SortKey<ServiceAcceptance>[] = [
  { sql: 'd.created_at', direction: 'DESC', value: (r) => r.createdAt.toISOString() },
  { sql: 'd.id', direction: 'DESC', value: (r) => r.id },
];

@Resolver(() => ServiceAcceptanceType)
export class ServiceAcceptanceResolver {
  @Query(() => ServiceAcceptanceConnection, { description: 'Acceptances within your scope, newest first (a customer: theirs to sign)' })
  async serviceAcceptances(@Args(() => ServiceAcceptancesArgs) args: ServiceAcceptancesArgs, @Ctx() ctx: Context) {
    const first = Math.min(args.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize);
    const f = args.filter ?? {};
    const qb = visibleQuery(ctx.dataSource.getRepository(ServiceAcceptance).createQueryBuilder('d'), serviceAcceptanceDefinition, ctx.caller);
    if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
    if (f.taskId) qb.andWhere('d.task_id = :taskId', { taskId: idOf(f.taskId, 'ServiceTask') ?? '00000000-0000-0000-0000-000000000000' });
    return paginate(qb, NEWEST, first, args.after, (q) => fetchVisible(q, serviceAcceptanceDefinition, ctx.caller, ctx.loaders.readLog));
  }

  @FieldResolver(() => ServiceTaskType, { nullable: true, description: 'the task (null when outside your scope)' })
  task(@Root() doc: ServiceAcceptance, @Ctx() ctx: Context): Promise<ServiceTask | null> {
    return ctx.loaders.document<ServiceTask>(serviceTaskDefinition).load(doc.taskId);
  }
}
