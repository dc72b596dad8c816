/**
 * `history` on every document: a page of its audit trail, oldest first, at most 100 events, read with an
 * index scan per document (a document with thousands of events costs a page, not its whole trail). A page
 * of documents asking for their history is one statement; `totalCount` is another, only when asked for.
 * Portal users never see staff-only events (filtered in SQL, so pages stay full) or staff-only changes.
 */
import { ESCALATE } from '../time/escalations';
/** legal holds are internal (src/records/records.ts LEGAL_HOLD_EVENT, LEGAL_HOLD_LIFTED_EVENT) */
const LEGAL_HOLD_EVENTS = ['LEGAL_HOLD', 'LEGAL_HOLD_LIFTED'];
import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { isPortalUser, type Caller } from '../auth/roles';
import type { DocumentDefinition } from '../workflow/definition';
import { HistoryConnection, type HistoryEvent } from './common.types';
import { CursorError } from './connection';
import type { Context } from './context';
import { toGlobalId } from './global-id';

export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 100;

export interface AuditRow {
  document_id: string;
  seq: number;
  event: string;
  from_state: string | null;
  to_state: string;
  version: number;
  actor_id: string;
  actor_name: string;
  actor_roles: string[];
  at: Date;
  reason: string | null;
  changes: Record<string, unknown>;
  request_id: string | null;
  idempotency_key: string | null;
  prev_hash: string | null;
  hash: string;
}

/** what the totalCount resolver needs of the page it belongs to */
interface HistoryPage extends HistoryConnection {
  documentId: string;
  hiddenEvents: string[];
}

const encode = (seq: number) => Buffer.from(JSON.stringify([seq])).toString('base64url');
function decode(cursor: string): number {
  try {
    const [seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(seq) && seq >= 0 && seq <= 2_147_483_647) return seq;
  } catch {
    /* fall through */
  }
  throw new CursorError('after is not a cursor this history gave out');
}

/** The events of a type a caller never sees (portal users: the type's staff-only events): in history and in subscriptions. */
export const hiddenEventsFor = (def: DocumentDefinition<any, any>, caller: Caller): string[] =>
  // escalations of breached deadlines are internal
  isPortalUser(caller) ? [...(def.policy.staffOnlyEvents ?? []), ESCALATE, ...LEGAL_HOLD_EVENTS] : [];

/** The changed fields a caller never sees in an event: values nobody is shown, and for portal users the staff-only fields. */
export const hiddenFieldsFor = (def: DocumentDefinition<any, any>, caller: Caller): string[] => [...(def.policy.undisclosed ?? []), ...(isPortalUser(caller) ? def.policy.staffOnlyFields : [])];

/** One audit row as the caller may see it, without the fields hidden from them. */
export function toEvent(row: AuditRow, hiddenFields: string[]): HistoryEvent {
  return {
    seq: row.seq,
    event: row.event,
    fromState: row.from_state,
    toState: row.to_state,
    version: row.version,
    actor: { id: toGlobalId('User', row.actor_id), name: row.actor_name },
    actorRoles: row.actor_roles as HistoryEvent['actorRoles'],
    at: row.at,
    reason: row.reason,
    changes: hiddenFields.length ? Object.fromEntries(Object.entries(row.changes).filter(([k]) => !hiddenFields.includes(k))) : row.changes,
    requestId: row.request_id,
    idempotencyKey: row.idempotency_key,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A page of one document's history, batched with the other documents of the same request asking for the same page. */
export async function historyPage(ctx: Context, def: DocumentDefinition<any, any>, documentId: string, args: { first?: number | null; after?: string | null }): Promise<HistoryPage> {
  const hiddenEvents = hiddenEventsFor(def, ctx.caller);
  const first = Math.min(args.first ?? HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
  const after = args.after ? decode(args.after) : 0;
  const loader = ctx.loaders.memo(`history:${def.type}:${first}:${after}`, () =>
    new DataLoader<string, AuditRow[]>(async (ids) => {
      const rows: AuditRow[] = await ctx.dataSource.query(
        `SELECT p.* FROM unnest($1::uuid[]) AS d(id)
           CROSS JOIN LATERAL (
             SELECT a.document_id, a.seq, a.event, a.from_state, a.to_state, a.version, a.actor_id, a.actor_name, a.actor_roles, a.at,
                    a.reason, a.changes, a.request_id, a.idempotency_key, a.prev_hash, a.hash
               FROM audit_event a
              WHERE a.document_id = d.id AND a.seq > $2 AND NOT (a.event = ANY($3))
              ORDER BY a.seq LIMIT $4) p`,
        [[...ids], after, hiddenEvents, first + 1],
      );
      return ids.map((id) => rows.filter((r) => r.document_id === id));
    }),
  );
  const rows = await loader.load(documentId);
  const page = rows.slice(0, first);
  return {
    nodes: page.map((r) => toEvent(r, hiddenFieldsFor(def, ctx.caller))),
    pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encode(page[page.length - 1].seq) : (args.after ?? null) },
    totalCount: 0,
    documentId,
    hiddenEvents,
  };
}

@Resolver(() => HistoryConnection)
export class HistoryConnectionResolver {
  @FieldResolver(() => Int, { description: 'events you may see in the whole trail' })
  totalCount(@Root() page: HistoryPage, @Ctx() ctx: Context): Promise<number> {
    const loader = ctx.loaders.memo(`historyCount:${page.hiddenEvents.join(',')}`, () =>
      new DataLoader<string, number>(async (ids) => {
        const rows: Array<{ document_id: string; n: number }> = await ctx.dataSource.query(
          `SELECT document_id, count(*)::int AS n FROM audit_event WHERE document_id = ANY($1::uuid[]) AND NOT (event = ANY($2)) GROUP BY document_id`,
          [[...ids], page.hiddenEvents],
        );
        return ids.map((id) => rows.find((r) => r.document_id === id)?.n ?? 0);
      }),
    );
    return loader.load(page.documentId);
  }
}
