/**
 * The outbox, live: every committed outbox row, pushed to this process's listeners (the WebSocket
 * subscriptions of src/graphql/subscriptions.ts) as soon as it commits, whichever API process committed it.
 *
 * An INSERT trigger on outbox_event notifies `sdd_outbox_event` with the row's id (the OutboxNotify
 * migration); PostgreSQL delivers it on commit only, in commit order, to every session listening. Each
 * API process listens on its one listening connection (src/db/notifications.ts), loads the announced rows
 * with their audit events in one statement, and hands them to its listeners in that order. This is not a
 * consumer of the outbox job (src/jobs/outbox.ts): the job runs once per row in one process, while every
 * process must see every row.
 *
 * When the listening connection fails it is re-opened after a second; notifications sent meanwhile are lost
 * by PostgreSQL, so on reconnect the feed reads the rows created since shortly before the loss and
 * delivers those it has not delivered yet (it remembers the ids of the last few minutes). A process that
 * restarts does not replay: its clients reconnect and resubscribe, and read what they missed from `history`.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { listen, type Listening } from '../db/notifications';

export const OUTBOX_CHANNEL = 'sdd_outbox_event';

/** An outbox row with its audit event, as a subscription sees it (staff-only changes included: mask before sending). */
export interface FeedEvent {
  /** the outbox row's id */
  id: string;
  documentType: string;
  documentId: string;
  seq: number;
  event: string;
  fromState: string | null;
  toState: string;
  version: number | null;
  actorId: string;
  actorName: string | null;
  actorRoles: string[];
  at: Date;
  reason: string | null;
  changes: Record<string, unknown>;
  requestId: string | null;
  idempotencyKey: string | null;
  prevHash: string | null;
  hash: string | null;
}

export type FeedListener = (event: FeedEvent) => void;

/** how far back a reconnecting listener looks for rows it may have missed */
const CATCH_UP_MARGIN_MS = 60_000;
/** how long delivered ids are remembered (to deliver each row once across a catch-up) */
const REMEMBER_MS = 5 * 60_000;
const CATCH_UP_LIMIT = 10_000;

// a LEFT JOIN: a row written outside the engine (an escalation) may carry an audit event of another shape
const SELECT = `SELECT o.id::text AS id, o.document_type AS "documentType", o.document_id::text AS "documentId", o.audit_seq AS seq, o.event,
    o.from_state AS "fromState", o.to_state AS "toState", a.version, o.actor_id::text AS "actorId", a.actor_name AS "actorName",
    coalesce(a.actor_roles, '{}') AS "actorRoles", o.at, coalesce(a.reason, o.payload->>'reason') AS reason,
    coalesce(a.changes, o.payload->'changes', '{}') AS changes, a.request_id AS "requestId", a.idempotency_key AS "idempotencyKey",
    a.prev_hash AS "prevHash", a.hash
  FROM outbox_event o LEFT JOIN audit_event a ON a.id = o.audit_event_id`;

export class OutboxFeed {
  private readonly listeners = new Set<FeedListener>();
  /** told that rows committed, before (and whether or not) they are loaded: the outbox relay's wake-up */
  private readonly commitWatchers = new Set<() => void>();
  private subscription: Listening | null = null;
  private stopped = false;
  /** ids announced but not loaded yet, in notification (commit) order */
  private pending: string[] = [];
  private draining: Promise<void> | null = null;
  /** delivered ids and when, to skip them in a catch-up */
  private readonly delivered = new Map<string, number>();
  /** when the listening connection was lost (null while listening, and before the first listen) */
  private lostAt: number | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: Logger,
  ) {}

  /**
   * Starts listening (on the process's one listening connection, src/db/notifications.ts); resolves once LISTEN ran
   * (or failed: it retries in the background, and catches up when it listens).
   */
  async listen(): Promise<void> {
    if (this.stopped || this.subscription) return;
    this.subscription = await listen(
      this.dataSource,
      OUTBOX_CHANNEL,
      {
        heard: (id) => id && this.announce([id]),
        lost: () => {
          this.lostAt ??= Date.now();
        },
        reconnected: () => this.catchUpSinceLoss(),
      },
      this.log,
    );
  }

  /** Adds a listener of every row committed from now on; returns its removal. */
  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Calls `watch` whenever outbox rows commit (it gets no rows: it reads what it needs itself); returns its removal. */
  onCommit(watch: () => void): () => void {
    this.commitWatchers.add(watch);
    return () => void this.commitWatchers.delete(watch);
  }

  get size(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close();
    await this.draining;
  }

  /** After a loss: the rows created since shortly before it, until that read succeeds (retried every second). */
  private async catchUpSinceLoss(): Promise<void> {
    const lostAt = this.lostAt;
    if (lostAt === null || this.stopped) return;
    try {
      await this.catchUp(new Date(lostAt - CATCH_UP_MARGIN_MS));
      if (this.lostAt === lostAt) this.lostAt = null;
    } catch (error) {
      this.log.warn({ err: error }, 'outbox feed: cannot catch up after a lost connection; retrying');
      setTimeout(() => void this.catchUpSinceLoss(), 1_000).unref();
    }
  }

  private async catchUp(since: Date): Promise<void> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id::text AS id FROM outbox_event WHERE created_at >= $1 ORDER BY id LIMIT ${CATCH_UP_LIMIT}`, [since]);
    this.announce(rows.map((r) => r.id).filter((id) => !this.delivered.has(id)));
  }

  /** Queues ids to load; one loader runs at a time, so rows reach listeners in the order they were announced. */
  private announce(ids: string[]): void {
    if (!ids.length) return;
    for (const watch of this.commitWatchers) watch();
    // with nobody subscribed there is no one to load rows for; they count as delivered, so a catch-up after a lost
    // connection does not hand a later subscriber rows committed before it began
    if (!this.listeners.size) return this.remember(ids, Date.now());
    this.pending.push(...ids);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    while (this.pending.length && !this.stopped) {
      const ids = this.pending.splice(0, 500);
      let rows: FeedEvent[];
      try {
        rows = await this.dataSource.query(`${SELECT} WHERE o.id = ANY($1::bigint[])`, [ids]);
      } catch (error) {
        // the database is away: put them back and try again shortly (the listener reconnects meanwhile)
        this.log.warn({ err: error }, 'outbox feed: cannot load announced rows; retrying');
        this.pending.unshift(...ids);
        await new Promise((r) => setTimeout(r, 1_000).unref());
        continue;
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      const now = Date.now();
      for (const id of ids) {
        const row = byId.get(id);
        if (!row || this.delivered.has(id)) continue;
        this.delivered.set(id, now);
        for (const listener of this.listeners) {
          try {
            listener(row);
          } catch (error) {
            this.log.error({ err: error, outboxId: id }, 'outbox feed: a listener failed');
          }
        }
      }
      this.remember([], now);
    }
  }

  /** Remembers ids as delivered at `now`, and forgets those delivered longer ago than REMEMBER_MS. */
  private remember(ids: string[], now: number): void {
    for (const id of ids) this.delivered.set(id, now);
    for (const [id, at] of this.delivered) {
      if (at > now - REMEMBER_MS) break; // insertion order: the rest are newer
      this.delivered.delete(id);
    }
  }
}
