import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import type { User } from '../../organisation/organisation.entities';
import { UserType } from '../../organisation/organisation.types';
import { serviceTaskDefinition } from '../service-task/service-task.definition';
import type { ServiceTask } from '../service-task/service-task.entity';
import { ServiceTaskType } from '../service-task/service-task.types';
import { ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision } from './service-record.entity';
import { EntryRevisionType, EntryType, ServiceRecordType } from './service-record.types';

@Resolver(() => ServiceRecordType)
export class ServiceRecordResolver {
  @FieldResolver(() => ServiceTaskType, { nullable: true, description: 'the task (null when outside your scope)' })
  task(@Root() doc: ServiceRecord, @Ctx() ctx: Context): Promise<ServiceTask | null> {
    return ctx.loaders.document<ServiceTask>(serviceTaskDefinition).load(doc.taskId);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'who wrote it' })
  author(@Root() doc: ServiceRecord, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
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
