/**
 * The transactional outbox, written (ARCHITECTURE: step 6 of an event's transaction).
 *
 * The engine calls writeOutbox right after appending an audit event, with the manager of its own
 * transaction. One statement inserts the outbox row and queues its graphile-worker job (outbox_enqueue, a
 * SECURITY DEFINER wrapper of graphile_worker.add_job: see the Outbox migration), so both exist exactly
 * when the event committed: a refused or rolled-back event leaves neither. src/jobs/outbox.ts consumes it.
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

/**
 * Inserts the outbox row for one audit event and queues its job, in one
 * statement on the caller's transaction.
 */
export async function writeOutbox(manager: EntityManager, entry: OutboxEntry): Promise<void> {
  const payload = { changes: entry.changes ?? {}, reason: entry.reason ?? null, requestId: entry.requestId ?? null };
  await manager.query(
    `WITH row AS (
       INSERT INTO outbox_event (document_type, document_id, audit_event_id, audit_seq, event, from_state, to_state, actor_id, at, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id)
     SELECT outbox_enqueue(row.id) FROM row`,
    [entry.documentType, entry.documentId, entry.id, entry.seq, entry.event, entry.fromState, entry.toState, entry.actorId, entry.at, JSON.stringify(payload)],
  );
}

/**
 * Records, inside the mutation's own transaction, that the caller's running
 * key applied something: committed with it, or rolled back with it. The
 * engine calls it after appending the audit event when the request carries a
 * key (meta.idempotencyKey). A caller without a RUNNING claim (a system
 * caller, a key already DONE) changes nothing.
 */
export async function markApplied(manager: EntityManager, callerId: string, key: string): Promise<void> {
  await manager.query(`UPDATE idempotency_record SET applied_at = now() WHERE caller_id = $1 AND key = $2 AND status = 'RUNNING' AND applied_at IS NULL`, [callerId, key]);
}
