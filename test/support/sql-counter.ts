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
  /**
   * Were the statements at these indexes of `sent` (a before b, on one connection) sent in the same write — no
   * write to their socket between them, one after?
   */
  sentTogether(a: number, b: number): boolean;
}

export async function countStatements<T>(work: () => Promise<T>): Promise<Counted<T>> {
  const original = Client.prototype.query;
  const originalWrite = Socket.prototype._write;
  const originalWritev = Socket.prototype._writev!;
  const sent: Array<{ text: string; socket: Socket }> = [];
  const written = new Map<Socket, number>();
  // statements sent and socket writes, in the order they happened
  const events: Array<{ sent: number } | { wrote: Socket }> = [];
  const wrote = (socket: Socket) => {
    written.set(socket, (written.get(socket) ?? 0) + 1);
    events.push({ wrote: socket });
  };
  Client.prototype.query = function (this: Client & { connection: { stream: Socket } }, ...args: any[]) {
    const first = args[0];
    events.push({ sent: sent.length });
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
    const at = (i: number) => events.findIndex((e) => 'sent' in e && e.sent === i);
    const sentTogether = (a: number, b: number) => {
      const socket = sent[a]?.socket;
      if (!socket || sent[b]?.socket !== socket || at(a) > at(b)) return false;
      const writesBetween = events.slice(at(a), at(b)).filter((e) => 'wrote' in e && e.wrote === socket).length;
      const writeAfter = events.slice(at(b)).some((e) => 'wrote' in e && e.wrote === socket);
      return writesBetween === 0 && writeAfter;
    };
    return { result, statements: sent.map((s) => s.text), sent, writes, sentTogether };
  } finally {
    Client.prototype.query = original;
    Socket.prototype._write = originalWrite;
    Socket.prototype._writev = originalWritev;
  }
}
