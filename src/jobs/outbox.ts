/**
 * The transactional outbox, consumed: the engine writes a row in each event's transaction
 * (src/workflow/outbox.ts); the relay (src/jobs/outbox-relay.ts) runs every registered consumer on a batch
 * of rows in one transaction that also records the consumptions and marks the rows processed, and falls back to
 * one row at a time, a transaction per consumer (processOutboxEvent), when a batch fails. A consumption once
 * recorded is never run again, and processed_at is set once (UPDATE … WHERE processed_at IS NULL). Effects a
 * consumer makes outside the database (a webhook delivery) are at least once: such consumers should queue their
 * own job rather than call out here.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { WorkflowEngine } from '../workflow/engine';

/** An outbox row as consumers see it. The payload carries staff-only changes too: mask before sending anything out. */
export interface OutboxEvent {
  id: string;
  documentType: string;
  documentId: string;
  auditEventId: string;
  auditSeq: number;
  event: string;
  fromState: string | null;
  toState: string;
  actorId: string;
  at: Date;
  payload: { changes: Record<string, { from: unknown; to: unknown }>; reason: string | null; requestId: string | null };
  createdAt: Date;
  processedAt: Date | null;
}

export interface OutboxContext {
  /** the consumer's own transaction; its consumption is recorded in it */
  manager: EntityManager;
  /**
   * what consumers read once per transaction and reuse for every row of it (a batch shares one), by a key of
   * the consumer's own: e.g. which event types any webhook endpoint wants
   */
  memo: Map<string, Promise<unknown>>;
  engine: WorkflowEngine;
  log: Logger;
}

export type OutboxConsumer = (event: OutboxEvent, context: OutboxContext) => Promise<void>;

/**
 * the graphile-worker task that processed one outbox row, when each event queued one: kept so that jobs queued
 * before the relay still run (the relay and such a job share the consumption records: each consumer runs once)
 */
export const OUTBOX_TASK = 'outbox';

const consumers = new Map<string, OutboxConsumer>();

/**
 * Subscribes a consumer to every committed event (webhooks, subscriptions,
 * deadlines). Register at module load, before the runner starts; the name is
 * recorded per row, so keep it stable.
 */
export function registerOutboxConsumer(name: string, handler: OutboxConsumer): () => void {
  if (consumers.has(name)) throw new Error(`an outbox consumer named ${name} is already registered`);
  consumers.set(name, handler);
  return () => {
    if (consumers.get(name) === handler) consumers.delete(name);
  };
}

export function outboxConsumerNames(): string[] {
  return [...consumers.keys()];
}

export const OUTBOX_COLUMNS = `id::text AS id, document_type AS "documentType", document_id AS "documentId", audit_event_id::text AS "auditEventId", audit_seq AS "auditSeq",
  event, from_state AS "fromState", to_state AS "toState", actor_id AS "actorId", at, payload, created_at AS "createdAt", processed_at AS "processedAt"`;

/**
 * Every consumer on a batch of rows, inside the caller's transaction (the relay's, which holds the rows locked):
 * per consumer, one statement claims the rows it has not consumed yet, then it runs on each, in id order.
 */
export async function consumeBatch(events: OutboxEvent[], context: Omit<OutboxContext, 'memo'>): Promise<void> {
  const memo = new Map<string, Promise<unknown>>();
  for (const [name, consume] of consumers) {
    const claimed: Array<{ id: string }> = await context.manager.query(
      `INSERT INTO outbox_consumption (outbox_event_id, consumer) SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING RETURNING outbox_event_id::text AS id`,
      [events.map((e) => e.id), name],
    );
    const ids = new Set(claimed.map((c) => c.id));
    for (const event of events) if (ids.has(event.id)) await consume(event, { ...context, memo, log: context.log.child({ consumer: name, outboxId: event.id }) });
  }
}

/** One row on its own (a batch that failed, a job queued before the relay): each consumer once, then processed_at once. */
export async function processOutboxEvent(dataSource: DataSource, id: string, context: Omit<OutboxContext, 'manager' | 'memo'>): Promise<void> {
  const [event]: OutboxEvent[] = await dataSource.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox_event WHERE id = $1`, [id]);
  if (!event || event.processedAt) return;
  for (const [name, consume] of consumers) {
    await dataSource.transaction(async (manager) => {
      // a concurrent run of the same row waits here for the first to commit, then skips
      const claimed: unknown[] = await manager.query(
        `INSERT INTO outbox_consumption (outbox_event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING consumer`,
        [id, name],
      );
      if (claimed.length) await consume(event, { ...context, manager, memo: new Map(), log: context.log.child({ consumer: name, outboxId: id }) });
    });
  }
  await dataSource.query(`UPDATE outbox_event SET processed_at = now() WHERE id = $1 AND processed_at IS NULL`, [id]);
}
