/**
 * The outbox relay: runs the consumers (src/jobs/outbox.ts) on committed outbox rows, a batch at a time.
 *
 * Why not one graphile-worker job per row (as before): queuing a job inside every event's transaction cost more
 * than the rest of the event's write (add_job is several statements of plpgsql), and each row then cost about ten
 * statements after commit (fetching and completing its job, a transaction per consumer). The outbox table already
 * is the queue — a row exists exactly when its event committed — so the relay reads it directly:
 *
 *   BEGIN (sent with the claim below: one round trip)
 *   SELECT … FROM outbox_event WHERE processed_at IS NULL AND due ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED
 *   per consumer: INSERT INTO outbox_consumption … (every row of the batch) ON CONFLICT DO NOTHING RETURNING …,
 *                 then the consumer on each row it claimed, in id order
 *   UPDATE outbox_event SET processed_at = now() WHERE id = ANY(batch)
 *   COMMIT (sent with the UPDATE: one round trip)
 *
 * SKIP LOCKED lets every API process relay at once without taking the same row twice; the consumption records
 * make a consumer run once per row even across a retry. When anything in a batch fails, the batch rolls back and
 * its rows are taken again one by one (processOutboxEvent: a transaction per consumer); a row that still fails is
 * retried later with a growing delay (attempts, next_attempt_at, last_error), and the rest move on.
 *
 * It wakes when the outbox feed hears a row commit (the NOTIFY every outbox row sends), and polls as well, for
 * rows whose retry came due and for notifications missed while a connection was down. Woken by a commit, it waits
 * gatherMs (10 ms) before taking the batch: under a burst of transitions the commits of those milliseconds share one
 * batch — its four statements — instead of each paying for a batch of its own; an event is relayed that much later.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { WorkflowEngine } from '../workflow/engine';
import { commitWith, pipelinedTransaction } from '../db/pipelined-transaction';
import { consumeBatch, processOutboxEvent, OUTBOX_COLUMNS, type OutboxEvent } from './outbox';

export interface OutboxRelayOptions {
  /** rows per batch (one transaction) */
  batchSize: number;
  /** how often to look for due rows without being woken, ms */
  pollMs: number;
  /** after a commit woke it, how long to gather the commits that follow before taking the batch, ms (0: at once) */
  gatherMs?: number;
}

const DUE = `processed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())`;

export class OutboxRelay {
  private running: Promise<void> | null = null;
  /** woken while a drain ran: look again when it ends */
  private again = false;
  /** woken by a commit (rows are there): the next batch skips its look before the transaction */
  private committed = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly context: { engine: WorkflowEngine; log: Logger },
    private readonly options: OutboxRelayOptions,
  ) {
    this.timer = setInterval(() => this.wake(false), options.pollMs);
    this.timer.unref();
    this.wake(false);
  }

  /**
   * Something may be due (`committed`: a row just committed): drain now — a commit's wake after gatherMs — or right
   * after the drain that is running.
   */
  wake(committed = true): void {
    if (this.stopped) return;
    if (committed) this.committed = true;
    if (this.running) {
      this.again = true;
      return;
    }
    const gather = committed ? (this.options.gatherMs ?? 0) : 0;
    this.running = (gather > 0 ? new Promise<void>((resolve) => setTimeout(resolve, gather)) : Promise.resolve()).then(() => this.drain()).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Stops polling; a batch in progress finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      // full batches mean more may be waiting
      while (!this.stopped && (await this.batch()) === this.options.batchSize);
    } catch (error) {
      // the database is away or refused the claim itself: the next wake or poll tries again
      this.context.log.warn({ err: error }, 'outbox relay: cannot take a batch; retrying on the next poll');
    }
  }

  /** One batch in one transaction; answers how many rows it took. */
  private async batch(): Promise<number> {
    // a poll looks without a transaction first (an idle process's poll costs one statement, not three); a commit
    // that woke the relay says rows are there
    if (!this.committed) {
      const [due]: unknown[] = await this.dataSource.query(`SELECT 1 FROM outbox_event WHERE ${DUE} LIMIT 1`);
      if (!due) return 0;
    }
    this.committed = false;
    let taken: OutboxEvent[] = [];
    try {
      // BEGIN goes out with the claim, COMMIT with the processed mark (src/db/pipelined-transaction.ts)
      await pipelinedTransaction(this.dataSource, async (manager) => {
        taken = await manager.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox_event WHERE ${DUE} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, [this.options.batchSize]);
        if (!taken.length) return;
        await consumeBatch(taken, { ...this.context, manager });
        const processed = { text: `UPDATE outbox_event SET processed_at = now() WHERE id = ANY($1::bigint[])`, values: [taken.map((e) => e.id)] };
        if (!(await commitWith(manager, processed))) await manager.query(processed.text, processed.values);
      });
      return taken.length;
    } catch (error) {
      if (!taken.length) throw error;
      this.context.log.warn({ err: error, rows: taken.length }, 'outbox relay: a batch failed; taking its rows one by one');
    }
    // each row on its own: one that fails again waits for its retry, the others are consumed (at least once: a consumer
    // may run again on a row whose batch rolled back; what it did in the database was rolled back with it)
    for (const event of taken) await this.one(event.id);
    return taken.length;
  }

  /** A row on its own (after its batch failed): each consumer in a transaction of its own; a failure is retried later. */
  private async one(id: string): Promise<void> {
    try {
      await processOutboxEvent(this.dataSource, id, this.context);
    } catch (error) {
      this.context.log.error({ err: error, outboxId: id }, 'outbox relay: a consumer failed; the row is retried later');
      // the delay doubles with each failed attempt: 1 s, 2 s, 4 s … an hour from the 12th on (the exponent capped, so it never overflows)
      await this.dataSource
        .query(`UPDATE outbox_event SET attempts = attempts + 1, last_error = left($2, 1000), next_attempt_at = now() + least(3600, power(2, least(attempts, 12))) * interval '1 second' WHERE id = $1`, [
          id,
          String((error as Error)?.message ?? error),
        ])
        .catch((failed) => this.context.log.warn({ err: failed, outboxId: id }, 'outbox relay: cannot record a failed attempt'));
    }
  }
}
