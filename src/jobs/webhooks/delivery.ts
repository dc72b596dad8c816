/**
 * Webhook deliveries, from the transactional outbox.
 *
 * The `webhooks` outbox consumer runs once per committed event, in its own transaction (src/jobs/outbox.ts):
 * for every enabled endpoint whose event types match `${documentType}.${event}` it inserts a delivery row
 * (its body frozen there) and queues that delivery's first attempt, both in that transaction, so each
 * delivery is created and queued exactly once. A rolled-back mutation wrote no outbox row: nothing is sent.
 *
 * Each attempt is a graphile-worker job of its own (`webhook_delivery`, payload { id, attempt }). It POSTs the
 * body, then records the attempt and the delivery's new status in one transaction; on a failure before the
 * last attempt that same transaction queues the next attempt with run_at = now + backoff. We schedule retries
 * ourselves instead of letting the job fail into graphile-worker's retry because its backoff (exp(attempts)
 * seconds) cannot be configured, and because a failed HTTP attempt is not a failed job: the log gets a row
 * per attempt either way. graphile-worker's own retry remains for jobs that crash (the database gone while
 * recording): the guard `attempt_count = attempt − 1` makes a re-run of an attempt already recorded a no-op.
 * So a receiver gets each event at least once, normally exactly once, and de-duplicates on Webhook-Id.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { WebhookConfig } from '../../config';
import { toGlobalId } from '../../graphql/global-id';
import { registerOutboxConsumer, type OutboxEvent } from '../outbox';
import { signatureHeader } from './signature';

export const WEBHOOK_DELIVERY_TASK = 'webhook_delivery';
export const WEBHOOK_CONSUMER = 'webhooks';

/**
 * What a receiver is sent. A webhook is a disclosure outside the desk, to a system that holds no role: it
 * carries what happened to which document, never the changed fields (`changes` holds staff-only values such
 * as costs and internal notes) nor the event's free-text reason. A receiver that needs more reads the
 * document through the API with its own token, under its own read scope.
 */
export interface WebhookPayload {
  /** the event's id, the same for every attempt and every endpoint (the outbox row's id): de-duplicate on it */
  id: string;
  /** `${documentType}.${event}`, what endpoints subscribe to */
  type: string;
  occurredAt: string;
  documentType: string;
  /** the document's global id, as the API's queries take it */
  documentId: string;
  event: string;
  fromState: string | null;
  toState: string;
  actor: { id: string; name: string };
}

/** the event type of an outbox row, matched against endpoints' event types */
export const eventTypeOf = (event: Pick<OutboxEvent, 'documentType' | 'event'>): string => `${event.documentType}.${event.event}`;

/** the patterns that match an event type: itself, its document type's wildcard, everything */
export const patternsFor = (documentType: string, event: string): string[] => [`${documentType}.${event}`, `${documentType}.*`, '*'];

export function webhookPayload(event: OutboxEvent, actorName: string): WebhookPayload {
  return {
    id: event.id,
    type: eventTypeOf(event),
    occurredAt: new Date(event.at).toISOString(),
    documentType: event.documentType,
    documentId: toGlobalId(event.documentType, event.documentId),
    event: event.event,
    fromState: event.fromState,
    toState: event.toState,
    actor: { id: toGlobalId('User', event.actorId), name: actorName },
  };
}

registerOutboxConsumer(WEBHOOK_CONSUMER, async (event, { manager, memo }) => {
  const patterns = patternsFor(event.documentType, event.event);
  // which patterns any enabled endpoint wants: read once per transaction (a batch of rows shares it)
  let wanted = memo.get(WEBHOOK_CONSUMER) as Promise<Set<string>> | undefined;
  if (!wanted) {
    wanted = manager.query(`SELECT DISTINCT unnest(event_types) AS t FROM webhook_endpoint WHERE enabled`).then((rows: Array<{ t: string }>) => new Set(rows.map((r) => r.t)));
    memo.set(WEBHOOK_CONSUMER, wanted);
  }
  const types = await wanted;
  if (!patterns.some((p) => types.has(p))) return;
  const [audit] = await manager.query(`SELECT actor_name FROM audit_event WHERE id = $1`, [event.auditEventId]);
  const body = JSON.stringify(webhookPayload(event, audit?.actor_name ?? ''));
  await manager.query(
    `WITH delivery AS (
       INSERT INTO webhook_delivery (endpoint_id, outbox_event_id, event_id, event_type, body, next_attempt_at)
       SELECT id, $1::bigint, $5::text, $2, $3, now() FROM webhook_endpoint WHERE enabled AND event_types && $4::text[]
       ON CONFLICT DO NOTHING RETURNING id)
     SELECT webhook_enqueue(delivery.id, 1, now()) FROM delivery`,
    [event.id, eventTypeOf(event), body, patterns, event.id],
  );
});

/** the wait after failed attempt `attempt` (1-based) */
export const backoffMs = (config: WebhookConfig, attempt: number): number => Math.min(config.maxBackoffMs, config.backoffMs * 2 ** (attempt - 1));

const describe = (error: unknown, timeoutMs: number): string => {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return String(e?.cause?.code ?? e?.cause?.message ?? e?.message ?? error).slice(0, 500);
};

interface DeliveryRow {
  id: string;
  body: string;
  event_id: string;
  status: string;
  attempt_count: number;
  endpoint_id: string;
  url: string;
  enabled: boolean;
}

/** The body of the `webhook_delivery` task: one HTTP attempt of one delivery, recorded. */
export async function attemptDelivery(dataSource: DataSource, job: { id: string; attempt: number }, config: WebhookConfig, log: Logger): Promise<void> {
  const [d]: DeliveryRow[] = await dataSource.query(
    `SELECT d.id, d.body, d.event_id, d.status, d.attempt_count, d.endpoint_id, e.url, e.enabled
       FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id WHERE d.id = $1`,
    [job.id],
  );
  // finished, or this attempt is already recorded (a re-run of a job that crashed after recording)
  if (!d || d.status !== 'PENDING' || d.attempt_count !== job.attempt - 1) return;

  const at = new Date();
  let httpStatus: number | null = null;
  let error: string | null = null;
  const started = performance.now();
  if (!d.enabled) {
    error = 'the endpoint is disabled: not sent';
  } else {
    const secrets: Array<{ secret: string }> = await dataSource.query(
      `SELECT secret FROM webhook_secret WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY expires_at IS NULL DESC, id DESC`,
      [d.endpoint_id],
    );
    const timestamp = Math.floor(at.getTime() / 1000);
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'service-document-desk-webhooks/1',
          'webhook-id': d.event_id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets.map((s) => s.secret), timestamp, d.body),
        },
        body: d.body,
        // a redirect is not followed (it would send the signed body where nobody registered): it is a failure
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      httpStatus = res.status;
      // the answer's body is not read: only its status counts
      await res.body?.cancel().catch(() => undefined);
    } catch (e) {
      error = describe(e, config.timeoutMs);
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const delivered = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
  const last = delivered || !d.enabled || job.attempt >= Math.max(1, config.maxAttempts);
  const status = delivered ? 'DELIVERED' : last ? 'FAILED' : 'PENDING';
  const nextAt = last ? null : new Date(Date.now() + backoffMs(config, job.attempt));

  await dataSource.transaction(async (manager) => {
    const updated: unknown[] = await manager.query(
      `UPDATE webhook_delivery SET attempt_count = $2, status = $3, next_attempt_at = $4, finished_at = CASE WHEN $3::text = 'PENDING' THEN NULL ELSE now() END
        WHERE id = $1 AND status = 'PENDING' AND attempt_count = $2 - 1 RETURNING id`,
      [d.id, job.attempt, status, nextAt],
    );
    if (!updated.length) return; // another run of this attempt recorded it first
    await manager.query(`INSERT INTO webhook_attempt (delivery_id, attempt, at, duration_ms, http_status, error) VALUES ($1, $2, $3, $4, $5, $6)`, [d.id, job.attempt, at, durationMs, httpStatus, error]);
    if (nextAt) await manager.query(`SELECT webhook_enqueue($1, $2, $3)`, [d.id, job.attempt + 1, nextAt]);
  });
  log[delivered ? 'debug' : 'warn']({ deliveryId: d.id, eventId: d.event_id, attempt: job.attempt, httpStatus, error, status }, 'webhook attempt');
}
