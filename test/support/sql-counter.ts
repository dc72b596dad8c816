/**
 * Counts SQL statements sent by this process (the in-process API included),
 * by wrapping pg's Client#query for the duration of a callback. Test-only:
 * the hot path carries no counting code.
 */
import { Client } from 'pg';

export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const original = Client.prototype.query;
  const statements: string[] = [];
  Client.prototype.query = function (this: Client, ...args: any[]) {
    const first = args[0];
    statements.push(typeof first === 'string' ? first : (first?.text ?? String(first)));
    return (original as any).apply(this, args);
  } as typeof Client.prototype.query;
  try {
    return { result: await work(), statements };
  } finally {
    Client.prototype.query = original;
  }
}
