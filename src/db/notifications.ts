/**
 * PostgreSQL NOTIFY (sent on commit), heard by a process on ONE connection per DataSource, whatever the number of
 * channels: caller changes (src/auth/tokens.ts), the outbox feed (src/jobs/outbox-feed.ts), settings and the
 * calendar (ChannelListener below).
 *
 * Why one: PostgreSQL wakes every listening session of the database at each commit that notifies, whatever channel
 * it listens on, and each transition's commit notifies (its outbox row). Four listening sessions meant four wake-ups
 * per transition, three of them for nothing; with pgbench and a notifying transaction, four idle listeners of other
 * channels cost about 30 % of the throughput.
 *
 * A lost connection is re-opened after a second, every channel listened again, and each subscription told: `lost`
 * when it went (a notification may be missed from then on), `reconnected` once it listens again.
 */
import type { Notification, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';

export interface Subscription {
  heard(payload: string | undefined): void;
  /** the connection went: notifications may be missed until `reconnected` */
  lost?(): void;
  /** listening again after a loss */
  reconnected?(): Promise<void> | void;
}

export interface Listening {
  /** listening now (false from a loss until `reconnected`, and after close) */
  readonly listening: boolean;
  close(): Promise<void>;
}

const RETRY_MS = 1_000;

class Notifications {
  private client: PoolClient | null = null;
  private connecting: Promise<PoolClient | null> | null = null;
  private retrying: NodeJS.Timeout | null = null;
  private readonly channels = new Map<string, Set<Subscription>>();
  /** a loss was reported to the subscriptions: the next connection reports `reconnected` */
  private lostSince = false;
  /** LISTEN and UNLISTEN one after another on the one connection (pg wants one query at a time per client) */
  private queue: Promise<unknown> = Promise.resolve();
  log?: Logger;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Listens on `channel` for `subscription`; resolves once LISTEN ran (or could not: it retries in the background,
   * and the subscription hears `lost` now and `reconnected` when it listens).
   */
  async subscribe(channel: string, subscription: Subscription): Promise<Listening> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let subscribers = this.channels.get(channel);
    const first = !subscribers;
    if (!subscribers) this.channels.set(channel, (subscribers = new Set()));
    subscribers.add(subscription);
    const client = this.client ?? (await this.connect());
    if (client && first && this.client === client) await this.run(client, `LISTEN ${channel}`).catch((error) => this.lost(client, error));
    // not listening (yet): what commits meanwhile may be missed — told now, as those subscribed before were
    if (!this.client) subscription.lost?.();
    const hub = this;
    return {
      get listening() {
        return hub.client !== null && hub.channels.get(channel)?.has(subscription) === true;
      },
      close: () => this.unsubscribe(channel, subscription),
    };
  }

  private async unsubscribe(channel: string, subscription: Subscription): Promise<void> {
    const subscribers = this.channels.get(channel);
    if (!subscribers?.delete(subscription) || subscribers.size) return;
    this.channels.delete(channel);
    const client = this.client;
    if (!client) return;
    if (this.channels.size) {
      await this.run(client, `UNLISTEN ${channel}`).catch(() => undefined);
      return;
    }
    // the last subscription: the connection goes back to the pool (a DataSource being destroyed waits for it),
    // or is closed when it might still be listening
    this.client = null;
    this.detach(client);
    const clean = await this.run(client, 'UNLISTEN *').then(
      () => true,
      () => false,
    );
    client.release(!clean);
    if (this.retrying) clearTimeout(this.retrying);
    this.retrying = null;
  }

  /** One connection at a time, listening on every channel subscribed so far. */
  private connect(): Promise<PoolClient | null> {
    this.connecting ??= (async () => {
      let client: PoolClient | null = null;
      try {
        const pool = (this.dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
        client = await pool.connect();
        this.attach(client);
        for (const channel of this.channels.keys()) await this.run(client, `LISTEN ${channel}`);
        if (!this.channels.size) {
          this.detach(client);
          client.release(true);
          return null;
        }
        this.client = client;
        if (this.lostSince) {
          this.lostSince = false;
          for (const subscription of this.all()) await Promise.resolve(subscription.reconnected?.()).catch((error) => this.log?.warn({ err: error }, 'a listener could not catch up'));
        }
        return client;
      } catch (error) {
        // a connection lent but not listening goes back closed, never to be lent again half set up
        if (client && this.client !== client) {
          this.detach(client);
          client.release(true);
        }
        this.log?.warn({ err: error }, 'notifications: cannot listen; retrying');
        this.reportLoss();
        this.retryLater();
        return null;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  /** this hub's handlers on a lent connection, removed before it goes back to the pool */
  private readonly handlers = new Map<PoolClient, { notification: (n: Notification) => void; error: (error: Error) => void; end: () => void }>();

  private attach(client: PoolClient): void {
    const handlers = { notification: (n: Notification) => this.deliver(n), error: (error: Error) => this.lost(client, error), end: () => this.lost(client) };
    this.handlers.set(client, handlers);
    client.on('notification', handlers.notification);
    client.on('error', handlers.error);
    client.on('end', handlers.end);
  }

  private detach(client: PoolClient): void {
    const handlers = this.handlers.get(client);
    if (!handlers) return;
    this.handlers.delete(client);
    client.off('notification', handlers.notification);
    client.off('error', handlers.error);
    client.off('end', handlers.end);
    // an error after this (a closed connection) must not go unhandled
    client.on('error', () => undefined);
  }

  private run(client: PoolClient, sql: string): Promise<unknown> {
    const next = this.queue.then(() => client.query(sql));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private deliver(n: Notification): void {
    for (const subscription of this.channels.get(n.channel) ?? []) {
      try {
        subscription.heard(n.payload);
      } catch (error) {
        this.log?.error({ err: error, channel: n.channel }, 'a notification listener failed');
      }
    }
  }

  private lost(client: PoolClient, error?: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.detach(client);
    client.release(true);
    this.log?.warn({ err: error }, 'notifications: listening connection lost; reconnecting');
    this.reportLoss();
    this.retryLater();
  }

  private reportLoss(): void {
    if (this.lostSince) return;
    this.lostSince = true;
    for (const subscription of this.all()) subscription.lost?.();
  }

  private retryLater(): void {
    if (this.retrying || !this.channels.size) return;
    this.retrying = setTimeout(() => {
      this.retrying = null;
      if (!this.client && this.channels.size) void this.connect();
    }, RETRY_MS);
    this.retrying.unref();
  }

  private *all(): Iterable<Subscription> {
    for (const subscribers of this.channels.values()) yield* subscribers;
  }
}

const hubs = new WeakMap<DataSource, Notifications>();

/** Listens on `channel` on the DataSource's one listening connection. */
export function listen(dataSource: DataSource, channel: string, subscription: Subscription, log?: Logger): Promise<Listening> {
  let hub = hubs.get(dataSource);
  if (!hub) hubs.set(dataSource, (hub = new Notifications(dataSource)));
  hub.log ??= log;
  return hub.subscribe(channel, subscription);
}

/**
 * One channel for a process's in-memory copy of a small table, reloaded when any process commits a change:
 * `heard` on each notification, `reconnected` after a loss (a notification may have been missed meanwhile).
 */
export class ChannelListener {
  private listening: Listening | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly heard: (payload: string | undefined) => void,
    private readonly reconnected: () => Promise<void>,
    private readonly log?: Logger,
  ) {}

  async listen(): Promise<void> {
    if (this.stopped || this.listening) return;
    this.listening = await listen(this.dataSource, this.channel, { heard: (payload) => this.heard(payload), reconnected: () => this.reconnected() }, this.log);
  }

  async close(): Promise<void> {
    this.stopped = true;
    const listening = this.listening;
    this.listening = null;
    await listening?.close();
  }
}
