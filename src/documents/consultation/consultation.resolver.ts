import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { Max, Min, ValidateNested } from 'class-validator';
import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import type { Context } from '../../graphql/context';
import { Connection } from '../../graphql/connection';
import { idOf } from '../../graphql/global-id';
import { SaneDate } from '../../graphql/validation';
import { Customer, User } from '../../organisation/organisation.entities';
import { CustomerType, UserType } from '../../organisation/organisation.types';
import { Channel } from '../../vocabulary';
import { consultationDefinition } from './consultation.definition';
import { Consultation } from './consultation.entity';
import { ConsultationState, ConsultationType } from './consultation.types';

export const ConsultationConnection = Connection(ConsultationType, 'Consultation');

@InputType({ description: 'All given conditions must hold' })
export class ConsultationFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [ConsultationState], { nullable: true }) state?: ConsultationState[];
  @Field(() => ID, { nullable: true }) customerId?: string;
  @Field(() => [Channel], { nullable: true }) channel?: Channel[];
  @Field(() => Date, { nullable: true, description: 'created at or after' }) @SaneDate() createdFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'created before' }) @SaneDate() createdTo?: Date;
}

@ArgsType()
class ConsultationsArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ConsultationFilter, { nullable: true }) @ValidateNested() filter?: ConsultationFilter;
}

@Resolver(() => ConsultationType)
export class ConsultationResolver {
  @Query(() => ConsultationConnection, { description: 'Consultations within your scope, newest first' })
  async consultations(@Args(() => ConsultationsArgs) args: ConsultationsArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, consultationDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.channel?.length) qb.andWhere('d.channel IN (:...channels)', { channels: f.channel });
      if (f.customerId) qb.andWhere('d.customer_id = :customerId', { customerId: idOf(f.customerId, 'Customer') ?? NO_MATCH });
      if (f.createdFrom) qb.andWhere('d.created_at >= :createdFrom', { createdFrom: f.createdFrom });
      if (f.createdTo) qb.andWhere('d.created_at < :createdTo', { createdTo: f.createdTo });
    });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'first response time (SPEC §8): seconds from logging to the first reply; null until then' })
  firstResponseSeconds(@Root() doc: Consultation): number | null {
    return doc.firstRepliedAt ? Math.round((doc.firstRepliedAt.getTime() - doc.createdAt.getTime()) / 1000) : null;
  }

  @FieldResolver(() => CustomerType)
  customer(@Root() doc: Consultation, @Ctx() ctx: Context): Promise<Customer | null> {
    return ctx.loaders.customer.load(doc.customerId);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'who logged it: the portal user who asked, or the agent' })
  createdBy(@Root() doc: Consultation, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
  }
}
