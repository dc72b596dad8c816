import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { Max, Min, ValidateNested } from 'class-validator';
import { Connection } from '../../graphql/connection';
import { idOf } from '../../graphql/global-id';
import { serviceRecordDefinition } from './service-record.definition';
import { ServiceRecordState } from './service-record.enums';
import type { Context } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import type { User } from '../../organisation/organisation.entities';
import { UserType } from '../../organisation/organisation.types';
import { ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision } from './service-record.entity';
import { EntryRevisionType, EntryType, ServiceRecordType } from './service-record.types';

export const ServiceRecordConnection = Connection(ServiceRecordType, 'ServiceRecord');

@InputType({ description: 'All given conditions must hold' })
export class ServiceRecordFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [ServiceRecordState], { nullable: true, description: 'SUBMITTED: the records waiting for review' }) state?: ServiceRecordState[];
  @Field(() => ID, { nullable: true }) taskId?: string;
  @Field(() => Boolean, { nullable: true, description: 'true: the customer has signed the report; false: not yet (those a supervisor cannot approve yet)' })
  customerSigned?: boolean;
}

@ArgsType()
class ServiceRecordsArgs {
  @Field(() => Int, { nullable: true }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ServiceRecordFilter, { nullable: true }) @ValidateNested() filter?: ServiceRecordFilter;
}


@Resolver(() => ServiceRecordType)
export class ServiceRecordResolver {
  @Query(() => ServiceRecordConnection, { description: 'Service records within your scope, newest first' })
  async serviceRecords(@Args(() => ServiceRecordsArgs) args: ServiceRecordsArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, serviceRecordDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.taskId) qb.andWhere('d.task_id = :taskId', { taskId: idOf(f.taskId, 'ServiceTask') ?? NO_MATCH });
      if (f.customerSigned != null) qb.andWhere(f.customerSigned ? 'd.customer_signed_at IS NOT NULL' : 'd.customer_signed_at IS NULL');
    });
  }


  @FieldResolver(() => UserType, { nullable: true, description: 'who wrote it' })
  author(@Root() doc: ServiceRecord, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'who put the customer\'s sign-off on the record: the portal user, or the agent who recorded the paper' })
  customerSignRecordedBy(@Root() doc: ServiceRecord, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.customerSignRecordedById ? ctx.loaders.user.load(doc.customerSignRecordedById) : null;
  }

  @FieldResolver(() => [EntryType], { description: 'entries in the order they were appended' })
  entries(@Root() doc: ServiceRecord, @Ctx() ctx: Context): Promise<ServiceRecordEntry[]> {
    return ctx.loaders.recordEntries.load(doc.id);
  }
}

@Resolver(() => EntryType)
export class ServiceRecordEntryResolver {
  @FieldResolver(() => ID)
  id(@Root() e: ServiceRecordEntry): string {
    return toGlobalId('ServiceRecordEntry', e.id);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'who appended it' })
  author(@Root() e: ServiceRecordEntry, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(e.authorId);
  }

  @FieldResolver(() => String, { description: 'the current text: the latest revision' })
  async text(@Root() e: ServiceRecordEntry, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.entryRevisions.load(e.id)).at(-1)!.text;
  }

  @FieldResolver(() => Boolean, { description: 'corrected at least once' })
  async amended(@Root() e: ServiceRecordEntry, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.entryRevisions.load(e.id)).length > 1;
  }

  @FieldResolver(() => [EntryRevisionType], { description: 'every version of the text, as written first, then each signed correction' })
  revisions(@Root() e: ServiceRecordEntry, @Ctx() ctx: Context): Promise<ServiceRecordEntryRevision[]> {
    return ctx.loaders.entryRevisions.load(e.id);
  }
}
