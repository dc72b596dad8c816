/**
 * The transactional outbox, written (ARCHITECTURE: step 6 of an event's transaction).
 *
 * The engine calls writeOutbox right after appending an audit event, with the manager of its own
 * transaction (the lean transition writes the row in its one write statement instead), so the row exists
 * exactly when the event committed: a refused or rolled-back event leaves none. The relay
 * (src/jobs/outbox-relay.ts) hands it to the consumers (src/jobs/outbox.ts) after commit.
 *
 * In the same transaction the engine marks the caller's Idempotency-Key applied (markApplied), so a key
 * whose answer was lost is never run twice (src/graphql/idempotency.ts reads the mark).
 */
import type { EntityManager } from 'typeorm';

/** What the engine knows right after appendAuditEvent: an AuditEvent fits as it is. */
export interface OutboxEntry {
  /** the audit event's id */
  id: string;
  /** its place in the document's chain */
  seq: number;
  documentType: string;
  documentId: string;
  event: string;
  fromState: string | null;
  toState: string;
  actorId: string;
  at: Date;
  changes?: Record<string, { from: unknown; to: unknown }>;
  reason?: string | null;
  requestId?: string | null;
}

/** Adds a value to a statement's parameters and answers its placeholder ($n). */
export type Bind = (value: unknown) => string;

/**
 * The outbox row of one audit event, as SQL: `INSERT … RETURNING id` for a CTE. `auditId` is an SQL expression (a parameter, or the id
 * an INSERT of the audit event in the same statement returns); the engine's lean transition writes it in the
 * statement that writes the document and its audit event (src/workflow/transition-sql.ts).
 */
export function outboxInsertSql(bind: Bind, auditId: string, entry: Omit<OutboxEntry, 'id'>): string {
  const payload = { changes: entry.changes ?? {}, reason: entry.reason ?? null, requestId: entry.requestId ?? null };
  return `INSERT INTO outbox_event (document_type, document_id, audit_event_id, audit_seq, event, from_state, to_state, actor_id, at, payload)
       VALUES (${bind(entry.documentType)}, ${bind(entry.documentId)}, ${auditId}, ${bind(entry.seq)}, ${bind(entry.event)}, ${bind(entry.fromState)}, ${bind(entry.toState)}, ${bind(entry.actorId)}, ${bind(entry.at)}, ${bind(JSON.stringify(payload))}) RETURNING id`;
}

/** A Bind over a fresh parameter list. */
export function binder(): { bind: Bind; values: unknown[] } {
  const values: unknown[] = [];
  return { values, bind: (value) => `$${values.push(value)}` };
}

/** Inserts the outbox row for one audit event, on the caller's transaction. */
export async function writeOutbox(manager: EntityManager, entry: OutboxEntry): Promise<void> {
  const { bind, values } = binder();
  await manager.query(outboxInsertSql(bind, bind(entry.id), entry), values);
}

/**
 * The statement that records, inside the mutation's own transaction, that the caller's running key applied
 * something: committed with it, or rolled back with it. A caller without a RUNNING claim (a system caller, a key
 * already DONE) changes nothing.
 */
export const markAppliedSql = (bind: Bind, callerId: string, key: string): string =>
  `UPDATE idempotency_record SET applied_at = now() WHERE caller_id = ${bind(callerId)} AND key = ${bind(key)} AND status = 'RUNNING' AND applied_at IS NULL`;

/**
 * Marks the caller's key applied on its own (the engine's creations; a transition does it in its write statement).
 */
export async function markApplied(manager: EntityManager, callerId: string, key: string): Promise<void> {
  const { bind, values } = binder();
  await manager.query(markAppliedSql(bind, callerId, key), values);
}
