/** exportLog: every export given out, newest first, for executives (SPEC §7: who, what, why, when). */
import { GraphQLError } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Max, Min, ValidateNested } from 'class-validator';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { hasRole, Role } from '../auth/roles';
import { Connection, paginate, type SortKey } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { NO_MATCH } from '../graphql/document-list';
import { idOf, toGlobalId } from '../graphql/global-id';
import { SaneDate } from '../graphql/validation';
import { User } from '../organisation/organisation.entities';
import { UserType } from '../organisation/organisation.types';
import { ExportLogEntry } from './export-log.entity';

/** who reads the export log: the executives (there is no auditor role; an auditor is given EXECUTIVE's read of it by adding the role here) */
export const EXPORT_LOG_READERS = [Role.EXECUTIVE];

@ObjectType('ExportLogEntry', { description: 'One CSV export given out: who, what, why, when (SPEC §7)' })
export class ExportLogEntryType {
  @Field(() => ID, { description: 'also the X-Export-Id header of the export' }) id: string;
  @Field({ description: 'when the export was given out' }) at: Date;
  @Field({ description: 'the caller\'s name at the time' }) userName: string;
  @Field(() => [Role], { description: 'the caller\'s roles at the time' }) roles: Role[];
  @Field({ description: 'the export: /export/<exportName>.csv' }) exportName: string;
  @Field(() => String, { nullable: true, description: 'the document type of a document list' }) documentType: string | null;
  @Field(() => GraphQLJSONObject, { description: 'the filters given (URL parameters other than purpose and bom)' }) parameters: Record<string, unknown>;
  @Field({ description: 'why, in the caller\'s words' }) purpose: string;
  @Field(() => Int, { description: 'rows in the export' }) rowCount: number;
  @Field(() => String, { nullable: true, description: 'the X-Request-Id of the export\'s request' }) requestId: string | null;
}

export const ExportLogConnection = Connection(ExportLogEntryType, 'ExportLogEntry');

@InputType({ description: 'All given conditions must hold' })
class ExportLogFilter {
  @Field(() => ID, { nullable: true, description: 'who exported' }) userId?: string;
  @Field(() => String, { nullable: true, description: 'e.g. service-requests' }) exportName?: string;
  @Field(() => Date, { nullable: true, description: 'at or after' }) @SaneDate() from?: Date;
  @Field(() => Date, { nullable: true, description: 'before' }) @SaneDate() to?: Date;
}

@ArgsType()
class ExportLogArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ExportLogFilter, { nullable: true }) @ValidateNested() filter?: ExportLogFilter;
}

const NEWEST: SortKey<ExportLogEntry>[] = [
  { sql: 'e.at', direction: 'DESC', kind: 'timestamp', value: (r) => r.at.toISOString() },
  { sql: 'e.id', direction: 'DESC', kind: 'uuid', value: (r) => r.id },
];

@Resolver(() => ExportLogEntryType)
export class ExportLogResolver {
  @Query(() => ExportLogConnection, { description: 'Every CSV export given out, newest first (EXECUTIVE only)' })
  exportLog(@Args(() => ExportLogArgs) args: ExportLogArgs, @Ctx() ctx: Context) {
    if (!hasRole(ctx.caller, ...EXPORT_LOG_READERS)) throw new GraphQLError('Only an executive reads the export log.', { extensions: { code: 'FORBIDDEN' } });
    const f = args.filter ?? {};
    const qb = ctx.dataSource.getRepository(ExportLogEntry).createQueryBuilder('e');
    if (f.userId) qb.andWhere('e.user_id = :userId', { userId: idOf(f.userId, 'User') ?? NO_MATCH });
    if (f.exportName) qb.andWhere('e.export_name = :exportName', { exportName: f.exportName });
    if (f.from) qb.andWhere('e.at >= :from', { from: f.from });
    if (f.to) qb.andWhere('e.at < :to', { to: f.to });
    return paginate(qb, NEWEST, Math.min(args.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize), args.after);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'who exported' })
  user(@Root() entry: ExportLogEntry, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(entry.userId);
  }
}
