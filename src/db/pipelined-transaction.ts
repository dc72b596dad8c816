/**
 * A transaction in two round trips instead of four. node-postgres answers a connection's queries in the order they
 * were sent, and in its pipeline mode sends a query without waiting for the answer to the one before; so here
 *
 *   - BEGIN goes out in the same write as the transaction's first statement (both answered in one round trip), and
 *   - COMMIT goes out in the same write as its last statement, when the caller says which one that is (commitWith).
 *
 * Everything else is TypeORM's: `work` gets the transaction's EntityManager, whose queryRunner believes a transaction
 * is open from the start (its save() must not open one of its own), and a transaction whose work throws is rolled back.
 * Pipeline mode is on only while such a pair is in flight, so every other query of the connection behaves as usual.
 *
 * What PostgreSQL does with a pair: a failing first statement aborts the transaction BEGIN opened (the error reaches
 * the caller, the rollback follows); a failing last statement aborts it, and the COMMIT sent behind it then ends it
 * as a rollback — nothing of it is committed either way.
 */
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** the part of node-postgres's client used here */
interface PgClient {
  query(...args: unknown[]): Promise<unknown>;
  pipeline: boolean;
  connection: { stream: { cork(): void; uncork(): void } };
}

interface Open {
  client: PgClient;
  /** BEGIN was sent */
  begun: boolean;
  /** COMMIT was sent with the last statement: nothing may follow */
  ended: boolean;
  /** the client's own query method (the transaction puts wrappers over it while it runs) */
  query: PgClient['query'];
  /** puts the client's own query method back */
  restore(): void;
}

const open = new WeakMap<QueryRunner, Open>();

/** Runs `work` in a transaction whose BEGIN rides with its first statement (see above). */
export async function pipelinedTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    const ownQuery = Object.prototype.hasOwnProperty.call(client, 'query');
    const tx: Open = {
      client,
      begun: false,
      ended: false,
      query: client.query,
      restore: () => (ownQuery ? (client.query = tx.query) : delete (client as Partial<PgClient>).query),
    };
    open.set(runner, tx);
    setTypeOrmState(runner, true);
    client.query = (...args: unknown[]) => {
      tx.restore();
      tx.begun = true;
      return pipelined(tx, ['BEGIN'], args);
    };
    try {
      const result = await work(runner.manager);
      if (tx.begun && !tx.ended) await runner.commitTransaction();
      return result;
    } catch (error) {
      // (the rollback's own failure — a lost connection — is not the error the caller needs to hear)
      if (tx.begun && !tx.ended) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      tx.restore();
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
 * and the transaction commits after it). A statement sent after this fails: it would run outside the transaction.
 */
export async function commitWith(manager: EntityManager, statement: { name?: string; text: string; values: unknown[] }): Promise<Array<Record<string, any>> | null> {
  const tx = manager.queryRunner ? open.get(manager.queryRunner) : undefined;
  if (!tx || !tx.begun || tx.ended) return null;
  tx.ended = true;
  setTypeOrmState(manager.queryRunner!, false);
  const answered = (await pipelined(tx, [statement], ['COMMIT'])) as unknown;
  tx.client.query = () => Promise.reject(new Error('a statement after the transaction committed with its last one'));
  return (answered as { rows: Array<Record<string, any>> }).rows;
}

/**
 * Sends two queries in one write and answers the one the caller asked for (`first` is BEGIN: the second's answer;
 * `second` is COMMIT: the first's) once both are answered; either one's failure rejects, the first's first.
 */
function pipelined(tx: Open, first: unknown[], second: unknown[]): Promise<unknown> {
  const { client } = tx;
  for (const args of [first, second]) {
    if (args.some((a) => typeof a === 'function' || (typeof a === 'object' && a !== null && typeof (a as { submit?: unknown }).submit === 'function'))) {
      return Promise.reject(new Error('a pipelined transaction sends plain queries only (no callbacks, cursors or streams)'));
    }
  }
  client.pipeline = true;
  client.connection.stream.cork();
  let sent: Array<Promise<unknown>>;
  try {
    sent = [tx.query.apply(client, first), tx.query.apply(client, second)];
  } finally {
    client.connection.stream.uncork();
  }
  const wanted = first[0] === 'BEGIN' ? 1 : 0;
  // pipeline mode ends once both are answered, before the caller's next query can be sent
  return Promise.allSettled(sent).then(async () => {
    client.pipeline = false;
    const answers = [await sent[0], await sent[1]];
    return answers[wanted];
  });
}

/** TypeORM's own record of an open transaction on the runner (what startTransaction/commitTransaction keep). */
function setTypeOrmState(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
  (runner as unknown as { transactionDepth: number }).transactionDepth = active ? 1 : 0;
}
