/**
 * Counts SQL statements sent by this process (the in-process API included),
 * by wrapping pg's Client#query for the duration of a callback, and the
 * writes to each database connection's socket: a round trip starts with a
 * write, so statements sent together (pipelined) share one. Test-only: the
 * hot path carries no counting code.
 */
import { Socket } from 'node:net';
import { Client } from 'pg';

export interface Counted<T> {
  result: T;
  statements: string[];
  /** each statement with the socket of the connection that sent it */
  sent: Array<{ text: string; socket: Socket }>;
  /** writes to each database connection's socket (of those that sent a counted statement) */
  writes: Map<Socket, number>;
}

export async function countStatements<T>(work: () => Promise<T>): Promise<Counted<T>> {
  const original = Client.prototype.query;
  const originalWrite = Socket.prototype._write;
  const originalWritev = Socket.prototype._writev!;
  const sent: Array<{ text: string; socket: Socket }> = [];
  const written = new Map<Socket, number>();
  const wrote = (socket: Socket) => written.set(socket, (written.get(socket) ?? 0) + 1);
  Client.prototype.query = function (this: Client & { connection: { stream: Socket } }, ...args: any[]) {
    const first = args[0];
    sent.push({ text: typeof first === 'string' ? first : (first?.text ?? String(first)), socket: this.connection.stream });
    return (original as any).apply(this, args);
  } as typeof Client.prototype.query;
  Socket.prototype._write = function (this: Socket, ...args: Parameters<Socket['_write']>) {
    wrote(this);
    return originalWrite.apply(this, args);
  };
  Socket.prototype._writev = function (this: Socket, ...args: Parameters<NonNullable<Socket['_writev']>>) {
    wrote(this);
    return originalWritev.apply(this, args);
  };
  try {
    const result = await work();
    const sockets = new Set(sent.map((s) => s.socket));
    const writes = new Map([...written].filter(([socket]) => sockets.has(socket)));
    return { result, statements: sent.map((s) => s.text), sent, writes };
  } finally {
    Client.prototype.query = original;
    Socket.prototype._write = originalWrite;
    Socket.prototype._writev = originalWritev;
  }
}
