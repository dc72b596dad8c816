/**
 * The transactional outbox, consumed: the engine writes a row and its job in each event's transaction
 * (src/workflow/outbox.ts); the `outbox` job runs every registered consumer on the row, each in a
 * transaction of its own that also records the consumption, then marks the
 * row processed. A retried job skips the consumers that already committed, and
 * sets processed_at once (UPDATE … WHERE processed_at IS NULL). Effects a
 * consumer makes outside the database (a webhook delivery) are at least once:
 * such consumers should queue their own job rather than call out here.
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
  engine: WorkflowEngine;
  log: Logger;
}

export type OutboxConsumer = (event: OutboxEvent, context: OutboxContext) => Promise<void>;

/** the graphile-worker task that processes one outbox row (the name is also in outbox_enqueue) */
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

const COLUMNS = `id::text AS id, document_type AS "documentType", document_id AS "documentId", audit_event_id::text AS "auditEventId", audit_seq AS "auditSeq",
  event, from_state AS "fromState", to_state AS "toState", actor_id AS "actorId", at, payload, created_at AS "createdAt", processed_at AS "processedAt"`;

/** The body of the `outbox` task: each consumer once, then processed_at once. */
export async function processOutboxEvent(dataSource: DataSource, id: string, context: Omit<OutboxContext, 'manager'>): Promise<void> {
  const [event]: OutboxEvent[] = await dataSource.query(`SELECT ${COLUMNS} FROM outbox_event WHERE id = $1`, [id]);
  if (!event || event.processedAt) return;
  for (const [name, consume] of consumers) {
    await dataSource.transaction(async (manager) => {
      // a concurrent run of the same row waits here for the first to commit, then skips
      const claimed: unknown[] = await manager.query(
        `INSERT INTO outbox_consumption (outbox_event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING consumer`,
        [id, name],
      );
      if (claimed.length) await consume(event, { ...context, manager, log: context.log.child({ consumer: name, outboxId: id }) });
    });
  }
  await dataSource.query(`UPDATE outbox_event SET processed_at = now() WHERE id = $1 AND processed_at IS NULL`, [id]);
}
