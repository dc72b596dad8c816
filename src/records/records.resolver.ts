/**
 * The records custodian's API (SPEC §5): the archive register (what is eligible, what is archived), bulk
 * archive, legal holds, purge. Only ARCHIVIST (and automations holding it) may use it; the lists show no
 * personal field. Single archiving is each type's own `archive<Type>` mutation.
 */
import { ArgumentValidationError, Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { GraphQLError } from 'graphql';
import type { ValidationError } from 'class-validator';
import type { Context } from '../graphql/context';
import { fromGlobalId, idOf, toGlobalId } from '../graphql/global-id';
import { validationErrors } from '../graphql/mutation-middleware';
import { registerNoticeAudience } from '../graphql/subscriptions';
import { hasRole, Role } from '../auth/roles';
import type { Department } from '../organisation/organisation.entities';
import { DepartmentType } from '../organisation/organisation.types';
import { Refusal, UserErrorCode, type UserErrorData } from '../workflow/errors';
import { archiveMany, archivableTypes, type HoldRow, isArchivist, LEGAL_HOLD, liftHold, purgeById, purgeDue, recordTypes, setHold, type PurgeResult } from './records';
import { retentionUntilSql } from './retention';
import {
  ArchivedListArgs,
  ArchiveDocumentsInput,
  ArchiveDocumentsPayload,
  LegalHoldPayload,
  LegalHoldType,
  LiftLegalHoldInput,
  PurgeDocumentInput,
  PurgeDocumentPayload,
  PurgeDocumentsInput,
  PurgeDocumentsPayload,
  RecordEntry,
  RecordEntryConnection,
  type RecordListArgs,
  SetLegalHoldInput,
} from './records.types';

/** invalid input answered as data, in the payload's own shape */
const validationAsUserErrors =
  (empty: object): MiddlewareFn =>
  async (_, next) => {
    try {
      return await next();
    } catch (error) {
      if (!(error instanceof ArgumentValidationError)) throw error;
      return { ...empty, userErrors: validationErrors(error.extensions.validationErrors as ValidationError[]) };
    }
  };

const refusalOf = (error: unknown): Array<UserErrorData & { field: string | null }> => {
  if (error instanceof Refusal) return error.errors.map((e) => ({ ...e, field: e.field ?? null }));
  throw error;
};

export const toLegalHold = (h: HoldRow): LegalHoldType => ({
  id: toGlobalId(LEGAL_HOLD, h.id),
  documentId: toGlobalId(h.document_type, h.document_id),
  documentType: h.document_type,
  reason: h.reason,
  ownerId: toGlobalId('User', h.owner_id),
  reviewAt: h.review_at,
  setAt: h.set_at,
  liftedAt: h.lifted_at,
  liftReason: h.lift_reason,
  remindedAt: h.reminded_at,
  standing: !h.lifted_at,
});

const toPurged = (p: PurgeResult) => ({ id: toGlobalId(p.documentType, p.documentId), type: p.documentType, number: p.number, purgedAt: p.purgedAt, fields: p.fields });

interface EntryRow {
  document_type: string;
  document_id: string;
  number: string;
  state: string;
  category: string | null;
  department_id: string | null;
  closed_at: Date | null;
  retention_until: Date | null;
  archived_at: Date | null;
  purged_at: Date | null;
  standing_holds: number;
}

const encode = (r: EntryRow) => Buffer.from(JSON.stringify([new Date(r.closed_at!).toISOString(), r.document_id])).toString('base64url');
function decode(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return [at, id];
  } catch {
    /* fall through */
  }
  throw new GraphQLError('after is not a cursor this list gave out', { extensions: { code: 'VALIDATION', field: 'after' } });
}

/** the register's entries of one kind (eligible or archived), filtered, a page at a time, oldest closing first */
async function listEntries(ctx: Context, args: RecordListArgs, kind: 'eligible' | 'archived', purgeable?: boolean | null): Promise<RecordEntryConnection> {
  if (!isArchivist(ctx.caller)) throw new GraphQLError('Only the records custodian (ARCHIVIST) reads the archive register.', { extensions: { code: 'FORBIDDEN' } });
  const config = ctx.engine.policy.current().records;
  const types = (kind === 'eligible' ? archivableTypes() : recordTypes()).map((d) => d.type);
  const retention = retentionUntilSql(config, types);
  const params: unknown[] = [types];
  const where = [`r.document_type = ANY($1)`, 'r.closed_at IS NOT NULL', kind === 'eligible' ? 'r.archived_at IS NULL' : 'r.archived_at IS NOT NULL'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (args.type) add('r.document_type = ?', args.type);
  if (args.closedFrom) add('r.closed_at >= ?', args.closedFrom);
  if (args.closedTo) add('r.closed_at < ?', args.closedTo);
  if (args.category) add('r.category = ?', args.category);
  if (purgeable !== undefined && purgeable !== null) {
    add(`(r.purged_at IS NULL AND ${retention} <= ? AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.document_id = r.document_id AND h.lifted_at IS NULL)) = ${purgeable ? 'TRUE' : 'FALSE'}`, ctx.config.clock());
  }
  const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM document_record r WHERE ${where.join(' AND ')}`, params);
  if (args.after) {
    const [at, id] = decode(args.after);
    params.push(at, id);
    where.push(`(r.closed_at, r.document_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  const first = Math.min(args.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize);
  params.push(first + 1);
  const rows: EntryRow[] = await ctx.dataSource.query(
    `SELECT r.document_type, r.document_id, r.number, r.state, r.category, r.department_id, r.closed_at, r.archived_at, r.purged_at, ${retention} AS retention_until,
            (SELECT count(*)::int FROM legal_hold h WHERE h.document_id = r.document_id AND h.lifted_at IS NULL) AS standing_holds
       FROM document_record r WHERE ${where.join(' AND ')} ORDER BY r.closed_at, r.document_id LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, first);
  return {
    nodes: page.map((r) => ({
      id: toGlobalId(r.document_type, r.document_id),
      type: r.document_type,
      number: r.number,
      state: r.state,
      category: r.category,
      department: null,
      departmentId: r.department_id,
      closedAt: r.closed_at,
      retentionUntil: r.retention_until,
      archivedAt: r.archived_at,
      purgedAt: r.purged_at,
      standingHolds: r.standing_holds,
    })),
    totalCount: n,
    hasNextPage: rows.length > first,
    endCursor: page.length ? encode(page.at(-1)!) : (args.after ?? null),
  };
}

// a hold's reminders reach its owner and the archivists (the `escalations` subscription; webhooks `LegalHold.*`)
registerNoticeAudience(LEGAL_HOLD, async (event, ctx) => {
  if (hasRole(ctx.caller, Role.ARCHIVIST)) return true;
  const rows = await ctx.dataSource.query(`SELECT 1 FROM legal_hold WHERE id = $1 AND owner_id = $2`, [event.documentId, ctx.caller.userId]);
  return rows.length > 0;
});

@Resolver(() => RecordEntry)
export class RecordsResolver {
  @FieldResolver(() => DepartmentType, { nullable: true })
  department(@Root() entry: RecordEntry, @Ctx() ctx: Context): Promise<Department | null> | null {
    return entry.departmentId ? ctx.loaders.department.load(entry.departmentId) : null;
  }

  @Query(() => RecordEntryConnection, { description: 'ARCHIVIST: closed documents not yet archived (requests, complaints, consultations, requisitions), oldest closing first — what bulk archiving would take' })
  archiveEligible(@Args(() => ArchivedListArgs) args: ArchivedListArgs, @Ctx() ctx: Context): Promise<RecordEntryConnection> {
    return listEntries(ctx, args, 'eligible');
  }

  @Query(() => RecordEntryConnection, { description: 'ARCHIVIST: archived documents of every type under records control, with retention, holds and purge' })
  archivedRecords(@Args(() => ArchivedListArgs) args: ArchivedListArgs, @Ctx() ctx: Context): Promise<RecordEntryConnection> {
    return listEntries(ctx, args, 'archived', args.purgeable);
  }

  @Mutation(() => ArchiveDocumentsPayload, { description: 'ARCHIVIST: archive the closed documents of one type closed in a period (and category), each through its own ARCHIVE; bounded per call (`remaining` says what is left)' })
  @UseMiddleware(validationAsUserErrors({ archivedCount: 0, archivedIds: [], refused: [], remaining: 0 }))
  async archiveDocuments(@Arg('input', () => ArchiveDocumentsInput) input: ArchiveDocumentsInput, @Ctx() ctx: Context): Promise<ArchiveDocumentsPayload> {
    try {
      const out = await archiveMany(ctx.dataSource, ctx.engine, ctx.engine.policy.current().records, ctx.caller, input, ctx.meta);
      if (out.archivedIds.length) ctx.effects.committed = true;
      return {
        archivedCount: out.archivedIds.length,
        archivedIds: out.archivedIds.map((id) => toGlobalId(input.type, id)),
        refused: out.refused.map((r) => ({ id: toGlobalId(input.type, r.id), error: { ...r.error, field: r.error.field ?? null } })),
        remaining: out.remaining,
        userErrors: [],
      };
    } catch (error) {
      return { archivedCount: 0, archivedIds: [], refused: [], remaining: 0, userErrors: refusalOf(error) };
    }
  }

  @Mutation(() => LegalHoldPayload, { description: 'ARCHIVIST: put a legal hold on a closed or archived document; it cannot be purged until every hold is lifted' })
  @UseMiddleware(validationAsUserErrors({ legalHold: null }))
  async setLegalHold(@Arg('input', () => SetLegalHoldInput) input: SetLegalHoldInput, @Ctx() ctx: Context): Promise<LegalHoldPayload> {
    const target = fromGlobalId(input.documentId);
    const ownerId = idOf(input.ownerId, 'User');
    try {
      if (!target) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No document with this id.', 'documentId');
      if (!ownerId) throw Refusal.of(UserErrorCode.VALIDATION, 'ownerId must name a user', 'ownerId');
      const hold = await setHold(ctx.engine, ctx.caller, { documentType: target.type, documentId: target.id, reason: input.reason, ownerId, reviewAt: input.reviewAt }, ctx.meta);
      ctx.effects.committed = true;
      return { legalHold: toLegalHold(hold), userErrors: [] };
    } catch (error) {
      return { legalHold: null, userErrors: refusalOf(error) };
    }
  }

  @Mutation(() => LegalHoldPayload, { description: 'ARCHIVIST: lift a legal hold, saying why' })
  @UseMiddleware(validationAsUserErrors({ legalHold: null }))
  async liftLegalHold(@Arg('input', () => LiftLegalHoldInput) input: LiftLegalHoldInput, @Ctx() ctx: Context): Promise<LegalHoldPayload> {
    try {
      const id = idOf(input.id, LEGAL_HOLD);
      if (!id) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No legal hold with this id.', 'id');
      const hold = await liftHold(ctx.engine, ctx.caller, { id, reason: input.reason }, ctx.meta);
      ctx.effects.committed = true;
      return { legalHold: toLegalHold(hold), userErrors: [] };
    } catch (error) {
      return { legalHold: null, userErrors: refusalOf(error) };
    }
  }

  @Mutation(() => PurgeDocumentPayload, { description: 'ARCHIVIST: remove the personal data of an archived document past its retention (refused with LEGAL_HOLD while a hold stands); figures and the audit skeleton stay' })
  @UseMiddleware(validationAsUserErrors({ purged: null }))
  async purgeDocument(@Arg('input', () => PurgeDocumentInput) input: PurgeDocumentInput, @Ctx() ctx: Context): Promise<PurgeDocumentPayload> {
    const target = fromGlobalId(input.id);
    try {
      if (!target) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No document with this id.', 'id');
      const purged = await purgeById(ctx.engine, ctx.engine.policy.current().records, ctx.caller, target.type, target.id, ctx.meta);
      ctx.effects.committed = true;
      return { purged: toPurged(purged), userErrors: [] };
    } catch (error) {
      return { purged: null, userErrors: refusalOf(error) };
    }
  }

  @Mutation(() => PurgeDocumentsPayload, { description: 'ARCHIVIST: purge what is due (archived, past retention, no hold), oldest first, bounded per call' })
  @UseMiddleware(validationAsUserErrors({ purged: [], refused: [], remaining: 0 }))
  async purgeDocuments(@Arg('input', () => PurgeDocumentsInput) input: PurgeDocumentsInput, @Ctx() ctx: Context): Promise<PurgeDocumentsPayload> {
    if (!isArchivist(ctx.caller)) return { purged: [], refused: [], remaining: 0, userErrors: [{ code: UserErrorCode.FORBIDDEN, message: 'Only the records custodian (ARCHIVIST) or an automation holding that role does this.', field: null }] };
    const sweep = await purgeDue(ctx.engine, ctx.dataSource, ctx.engine.policy.current().records, ctx.caller, { type: input.type, limit: input.limit }, ctx.meta);
    if (sweep.purged.length) ctx.effects.committed = true;
    return {
      purged: sweep.purged.map(toPurged),
      refused: sweep.refused.map((r) => ({ id: r.id, error: { ...r.error, field: r.error.field ?? null } })),
      remaining: sweep.remaining,
      userErrors: [],
    };
  }
}
