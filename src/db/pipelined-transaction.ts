/**
 * A transaction in two round trips instead of four. node-postgres answers a connection's queries in the order they
 * were sent, and in its pipeline mode sends a query without waiting for the answer to the one before; so here
 *
 *   - BEGIN goes out in the same write as the transaction's first statement (both answered in one round trip), and
 *   - COMMIT goes out in the same write as its last statement, when the caller says which one that is (commitWith).
 *
 * Everything else is TypeORM's: `work` gets the transaction's EntityManager, whose queryRunner believes a transaction
 * is open from the start (its save() must not open one of its own), and a transaction whose work throws is rolled back.
 *
 * What PostgreSQL does with a pair: a failing first statement aborts the transaction BEGIN opened (the error reaches
 * the caller, the rollback follows); a failing last statement aborts it, and the COMMIT sent behind it then ends it
 * as a rollback — nothing of it is committed either way. So nothing may fail in Node once a pair is on its way: its
 * values are converted for the wire (pg's own prepareValue) before anything is sent, and a conversion that throws
 * rejects with nothing sent. (No `query_timeout` on these connections: a client-side timeout could not stop a COMMIT
 * already sent; PostgreSQL's statement_timeout fails the statement on the server, which rolls back.)
 *
 * A pair has the connection to itself: pipeline mode is on only while it is in flight, and a query the transaction
 * sends meanwhile waits for it. After the committing pair every query is refused — it would run outside the
 * transaction — and so it is after a committing pair that failed.
 */
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
// pg's conversion of a JavaScript value to its wire text (what Query#prepare applies to each value)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): unknown };

/** the part of node-postgres's client used here */
interface PgClient {
  query(...args: unknown[]): Promise<unknown>;
  pipeline: boolean;
  connection: { stream: { cork(): void; uncork(): void } };
}

type QueryArgs = unknown[];

interface Open {
  client: PgClient;
  /** BEGIN was sent */
  begun: boolean;
  /** COMMIT was sent with the last statement: nothing may follow */
  ended: boolean;
  /** the client's own query method */
  query: PgClient['query'];
  /** whether the client had the method as its own property (to leave it as it was) */
  ownQuery: boolean;
  /** a pair on the wire (settles, never rejects, once both are answered) */
  inFlight: Promise<void> | null;
}

const open = new WeakMap<QueryRunner, Open>();

const AFTER_COMMIT = 'a statement after the transaction committed with its last one';

/** Runs `work` in a transaction whose BEGIN rides with its first statement (see above). */
export async function pipelinedTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    const tx: Open = { client, begun: false, ended: false, query: client.query, ownQuery: Object.prototype.hasOwnProperty.call(client, 'query'), inFlight: null };
    open.set(runner, tx);
    setTypeOrmState(runner, true);
    between(tx);
    try {
      const result = await work(runner.manager);
      if (tx.inFlight) await tx.inFlight;
      if (tx.begun && !tx.ended) await runner.commitTransaction();
      return result;
    } catch (error) {
      if (tx.inFlight) await tx.inFlight;
      // (the rollback's own failure — a lost connection — is not the error the caller needs to hear)
      if (tx.begun && !tx.ended) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      // pg's own query method back, out of pipeline mode: the connection returns to the pool as it came
      if (tx.ownQuery) client.query = tx.query;
      else delete (client as Partial<PgClient>).query;
      client.pipeline = false;
      setTypeOrmState(runner, false);
      open.delete(runner);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Runs the transaction's last statement and commits with it, in one round trip; answers the statement's rows, or
 * null when `manager` is not in a pipelined transaction that has begun (the caller then runs the statement as usual,
 * and the transaction commits after it). Any statement sent after this one is refused.
 */
export async function commitWith(manager: EntityManager, statement: { name?: string; text: string; values: unknown[] }): Promise<Array<Record<string, any>> | null> {
  const tx = manager.queryRunner ? open.get(manager.queryRunner) : undefined;
  if (!tx || !tx.begun || tx.ended) return null;
  if (tx.inFlight) await tx.inFlight;
  // converted before anything is sent: a value that cannot be leaves the transaction open, to be rolled back
  const prepared = plainQuery([statement])!;
  tx.ended = true;
  setTypeOrmState(manager.queryRunner!, false);
  const answered = (await pipelined(tx, prepared, ['COMMIT'], 0)) as { rows: Array<Record<string, any>> };
  return answered.rows;
}

/** What the client's query method is between pairs: BEGIN with the first statement, pg's own, or a refusal. */
function between(tx: Open): void {
  const { client } = tx;
  if (tx.ended) client.query = () => Promise.reject(new Error(AFTER_COMMIT));
  else if (tx.begun) client.query = tx.query;
  else {
    client.query = (...args: QueryArgs) => {
      const first = plainQuery(args);
      if (!first) return Promise.reject(new Error('a pipelined transaction sends plain queries only (no callbacks, cursors or streams)'));
      tx.begun = true;
      return pipelined(tx, ['BEGIN'], first, 1);
    };
  }
}

/**
 * Sends two queries in one write and answers the one at `wanted` once both are answered; either one's failure
 * rejects, the first's first. Meanwhile the connection's other queries wait, and pipeline mode ends before they go.
 */
function pipelined(tx: Open, first: QueryArgs, second: QueryArgs, wanted: 0 | 1): Promise<unknown> {
  const { client } = tx;
  client.pipeline = true;
  client.connection.stream.cork();
  let sent: Array<Promise<unknown>>;
  try {
    sent = [tx.query.apply(client, first), tx.query.apply(client, second)];
  } finally {
    client.connection.stream.uncork();
  }
  const settled = Promise.allSettled(sent).then(() => {
    client.pipeline = false;
    tx.inFlight = null;
    between(tx);
  });
  tx.inFlight = settled;
  client.query = (...args: QueryArgs) => settled.then(() => client.query(...args));
  return settled.then(async () => {
    const answers = [await sent[0], await sent[1]];
    return answers[wanted];
  });
}

/** A plain query's arguments with its values converted for the wire (throws when one cannot be); null for any other form. */
function plainQuery(args: QueryArgs): QueryArgs | null {
  const [config, values] = args;
  const isPlain = (a: unknown) => typeof a !== 'function' && !(typeof a === 'object' && a !== null && typeof (a as { submit?: unknown }).submit === 'function');
  if (!args.every(isPlain) || args.length > 2) return null;
  if (typeof config === 'string') return Array.isArray(values) ? [config, values.map((v) => prepareValue(v))] : [config];
  if (typeof config === 'object' && config !== null && !Array.isArray(values)) {
    const c = config as { values?: unknown[] };
    return [Array.isArray(c.values) ? { ...c, values: c.values.map((v) => prepareValue(v)) } : c];
  }
  return null;
}

/** TypeORM's own record of an open transaction on the runner (what startTransaction/commitTransaction keep). */
function setTypeOrmState(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
  (runner as unknown as { transactionDepth: number }).transactionDepth = active ? 1 : 0;
}
