/**
 * A LISTEN connection of its own for one channel (PostgreSQL NOTIFY, sent on commit): a process keeps an
 * in-memory copy of a small table and reloads it when any process commits a change. A failed connection is
 * re-opened after a second and `reconnected` runs then (a notification may have been missed meanwhile).
 */
import type { Notification, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';

export class ChannelListener {
  private client: PoolClient | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly heard: (payload: string | undefined) => void,
    private readonly reconnected: () => Promise<void>,
    private readonly log?: Logger,
  ) {}

  async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const pool = (this.dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
      const client = await pool.connect();
      client.on('notification', (n: Notification) => n.channel === this.channel && this.heard(n.payload));
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
    } catch (err) {
      this.log?.warn({ err, channel: this.channel }, 'listener failed; retrying');
      this.retry();
    }
  }

  private lost(client: PoolClient): void {
    if (this.client !== client) return;
    this.client = null;
    client.release(true);
    this.retry();
  }

  private retry(): void {
    if (!this.stopped) setTimeout(() => void this.listen().then(() => this.reconnected()).catch(() => undefined), 1_000).unref();
  }

  async close(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    if (client) {
      await client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
      client.release();
    }
  }
}
