import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { Max, Min, ValidateNested } from 'class-validator';
import { Connection } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { idOf } from '../../graphql/global-id';
import { serviceAcceptanceDefinition } from './service-acceptance.definition';
import { ServiceAcceptance } from './service-acceptance.entity';
import { ServiceAcceptanceState } from './service-acceptance.enums';
import { ServiceAcceptanceType } from './service-acceptance.types';

export const ServiceAcceptanceConnection = Connection(ServiceAcceptanceType, 'ServiceAcceptance');

@InputType({ description: 'All given conditions must hold' })
export class ServiceAcceptanceFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [ServiceAcceptanceState], { nullable: true, description: 'PENDING_CUSTOMER: the acceptances waiting for a signature' }) state?: ServiceAcceptanceState[];
  @Field(() => ID, { nullable: true }) taskId?: string;
}

@ArgsType()
class ServiceAcceptancesArgs {
  @Field(() => Int, { nullable: true }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ServiceAcceptanceFilter, { nullable: true }) @ValidateNested() filter?: ServiceAcceptanceFilter;
}


@Resolver(() => ServiceAcceptanceType)
export class ServiceAcceptanceResolver {
  @Query(() => ServiceAcceptanceConnection, { description: 'Acceptances within your scope, newest first (a customer: theirs to sign)' })
  async serviceAcceptances(@Args(() => ServiceAcceptancesArgs) args: ServiceAcceptancesArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, serviceAcceptanceDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.taskId) qb.andWhere('d.task_id = :taskId', { taskId: idOf(f.taskId, 'ServiceTask') ?? NO_MATCH });
    });
  }

}
