/**
 * The pipelined transaction (src/db/pipelined-transaction.ts) on a real PostgreSQL: BEGIN rides with the first
 * statement and COMMIT with the last, and still nothing of a failed transaction is committed, nothing runs outside
 * it, and the connection goes back to the pool as it came (one connection in the pool: the next use gets the same).
 */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { Department } from '../../src/organisation/organisation.entities';
import { commitWith, pipelinedTransaction } from '../../src/db/pipelined-transaction';
import { createTestDatabase } from '../support/database';
import { countStatements } from '../support/sql-counter';

let db: DataSource;
beforeAll(async () => {
  const { url } = await createTestDatabase();
  db = createDataSource(url, { role: null, poolSize: 1 });
  await db.initialize();
  await db.query(`CREATE TABLE probe (id int PRIMARY KEY, v text NOT NULL)`);
});
afterAll(() => db.destroy());
beforeEach(() => db.query(`TRUNCATE probe`));

const rows = async () => (await db.query(`SELECT id, v FROM probe ORDER BY id`)) as Array<{ id: number; v: string }>;

/** the pool's one connection is idle, out of pipeline mode, with pg's own query method, nothing queued and no transaction open */
async function expectCleanConnection() {
  const runner = db.createQueryRunner();
  try {
    const client = (await runner.connect()) as { pipeline: boolean; query: unknown; readyForQuery: boolean; _activeQuery: unknown; _sentQueryQueue: unknown[]; _queryQueue: unknown[] };
    expect(client.pipeline).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(client, 'query')).toBe(false);
    expect({ ready: client.readyForQuery, active: client._activeQuery ?? null, sent: client._sentQueryQueue.length, queued: client._queryQueue.length }).toEqual({ ready: true, active: null, sent: 0, queued: 0 });
    // outside a transaction, now() is this statement's own start
    const [{ alone }] = await runner.query(`SELECT now() = statement_timestamp() AS alone`);
    expect(alone).toBe(true);
  } finally {
    await runner.release();
  }
}

test('BEGIN goes with the first statement and COMMIT with the last: two writes, and the rows are committed', async () => {
  const { result, statements, sent, writes } = await countStatements(() =>
    pipelinedTransaction(db, async (manager) => {
      await manager.query(`INSERT INTO probe VALUES (1, 'a')`);
      return commitWith(manager, { text: `INSERT INTO probe VALUES (2, 'b') RETURNING id`, values: [] });
    }),
  );
  expect(result).toEqual([{ id: 2 }]);
  expect(statements).toEqual(['BEGIN', `INSERT INTO probe VALUES (1, 'a')`, `INSERT INTO probe VALUES (2, 'b') RETURNING id`, 'COMMIT']);
  expect(writes.get(sent[0].socket)).toBe(2);
  expect(await rows()).toEqual([
    { id: 1, v: 'a' },
    { id: 2, v: 'b' },
  ]);
  await expectCleanConnection();
});

test('a failing last statement commits nothing: the COMMIT behind it ends the transaction as a rollback', async () => {
  await expect(
    pipelinedTransaction(db, async (manager) => {
      await manager.query(`INSERT INTO probe VALUES (1, 'a')`);
      await commitWith(manager, { text: `INSERT INTO probe VALUES (1, 'duplicate')`, values: [] });
    }),
  ).rejects.toMatchObject({ code: '23505' });
  expect(await rows()).toEqual([]);
  await expectCleanConnection();
});

test('a value that cannot be sent fails the last statement before anything goes out: the transaction is rolled back', async () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const { statements } = await countStatements(() =>
    expect(
      pipelinedTransaction(db, async (manager) => {
        await manager.query(`INSERT INTO probe VALUES (1, 'a')`);
        await commitWith(manager, { text: `INSERT INTO probe VALUES (2, $1)`, values: [circular] });
      }),
    ).rejects.toThrow(/circular/i),
  );
  expect(statements).toEqual(['BEGIN', `INSERT INTO probe VALUES (1, 'a')`, 'ROLLBACK']);
  expect(await rows()).toEqual([]);
  await expectCleanConnection();
});

test('a first statement whose value cannot be sent rejects with nothing sent, BEGIN included', async () => {
  const refusing = { toPostgres: () => { throw new Error('no wire form'); } };
  const { statements } = await countStatements(() =>
    expect(pipelinedTransaction(db, (manager) => manager.query(`INSERT INTO probe VALUES (1, $1)`, [refusing]))).rejects.toThrow('no wire form'),
  );
  expect(statements).toEqual([]);
  await expectCleanConnection();
});

// the second takes a while: its answer comes apart from the first pair's, after pipeline mode has ended
const TOGETHER = [`INSERT INTO probe VALUES ($1, 'together')`, `INSERT INTO probe SELECT $1, 'together' FROM pg_sleep(0.05)`, `INSERT INTO probe VALUES ($1, 'together')`];

test('statements sent together as the first ones all run in the transaction (the pair has the connection to itself)', async () => {
  await expect(
    pipelinedTransaction(db, async (manager) => {
      await Promise.all([1, 2, 3].map((id, i) => manager.query(TOGETHER[i], [id])));
      throw new Error('roll all three back');
    }),
  ).rejects.toThrow('roll all three back');
  expect(await rows()).toEqual([]);
  await expectCleanConnection();
  await pipelinedTransaction(db, async (manager) => {
    await Promise.all([1, 2, 3].map((id, i) => manager.query(TOGETHER[i], [id])));
    await commitWith(manager, { text: `INSERT INTO probe VALUES (4, 'last')`, values: [] });
  });
  expect((await rows()).map((r) => r.id)).toEqual([1, 2, 3, 4]);
  await expectCleanConnection();
});

test('a statement sent while the committing pair is on its way is refused, not run after the commit', async () => {
  let late: Promise<unknown> | null = null;
  await pipelinedTransaction(db, async (manager) => {
    await manager.query(`INSERT INTO probe VALUES (1, 'a')`);
    const committing = commitWith(manager, { text: `INSERT INTO probe VALUES (2, 'b')`, values: [] });
    // commitWith sends after a turn of the event loop's microtasks: give it that, then send behind it
    await Promise.resolve();
    late = manager.query(`INSERT INTO probe VALUES (3, 'late')`);
    late.catch(() => undefined);
    await committing;
  });
  await expect(late).rejects.toThrow('a statement after the transaction committed with its last one');
  expect((await rows()).map((r) => r.id)).toEqual([1, 2]);
  await expectCleanConnection();
});

test('a failing first statement (sent with BEGIN) rejects, and the transaction is rolled back', async () => {
  await expect(
    pipelinedTransaction(db, async (manager) => {
      await manager.query(`INSERT INTO probe VALUES (1, NULL)`);
    }),
  ).rejects.toMatchObject({ driverError: { code: '23502' } });
  await expectCleanConnection();
  await pipelinedTransaction(db, (manager) => manager.query(`INSERT INTO probe VALUES (3, 'after')`));
  expect(await rows()).toEqual([{ id: 3, v: 'after' }]);
});

test('work that throws after its statements rolls them back; TypeORM commits a transaction that did not end itself', async () => {
  await expect(
    pipelinedTransaction(db, async (manager) => {
      await manager.query(`INSERT INTO probe VALUES (1, 'a')`);
      throw new Error('refused after a write');
    }),
  ).rejects.toThrow('refused after a write');
  expect(await rows()).toEqual([]);
  const { statements } = await countStatements(() => pipelinedTransaction(db, (manager) => manager.query(`INSERT INTO probe VALUES (2, 'b')`)));
  expect(statements).toEqual(['BEGIN', `INSERT INTO probe VALUES (2, 'b')`, 'COMMIT']);
  expect(await rows()).toEqual([{ id: 2, v: 'b' }]);
  await expectCleanConnection();
});

test('a statement after the committing one is refused, not run outside the transaction', async () => {
  await expect(
    pipelinedTransaction(db, async (manager) => {
      await manager.query(`INSERT INTO probe VALUES (1, 'a')`);
      await commitWith(manager, { text: `INSERT INTO probe VALUES (2, 'b')`, values: [] });
      await manager.query(`INSERT INTO probe VALUES (3, 'c')`);
    }),
  ).rejects.toThrow('a statement after the transaction committed with its last one');
  expect(await rows()).toEqual([
    { id: 1, v: 'a' },
    { id: 2, v: 'b' },
  ]);
  await expectCleanConnection();
});

test('work without statements sends nothing; commitWith declines before BEGIN went out and outside a pipelined transaction', async () => {
  const { statements } = await countStatements(() => pipelinedTransaction(db, async () => 'nothing'));
  expect(statements).toEqual([]);
  await pipelinedTransaction(db, async (manager) => {
    expect(await commitWith(manager, { text: `INSERT INTO probe VALUES (1, 'a')`, values: [] })).toBeNull();
  });
  await db.transaction(async (manager) => {
    expect(await commitWith(manager, { text: `INSERT INTO probe VALUES (1, 'a')`, values: [] })).toBeNull();
  });
  expect(await rows()).toEqual([]);
  await expectCleanConnection();
});

test("TypeORM's save() inside runs in the transaction, without opening one of its own", async () => {
  const { statements } = await countStatements(() =>
    expect(
      pipelinedTransaction(db, async (manager) => {
        await manager.save(Department, manager.create(Department, { code: 'PIPE', name: 'Pipelined' }));
        throw new Error('roll it back');
      }),
    ).rejects.toThrow('roll it back'),
  );
  expect(statements[0]).toBe('BEGIN');
  expect(statements.some((s) => /^INSERT INTO "department"/.test(s))).toBe(true);
  expect(statements.filter((s) => /^(START TRANSACTION|SAVEPOINT|COMMIT)/.test(s))).toEqual([]);
  expect(statements[statements.length - 1]).toBe('ROLLBACK');
  expect(await db.query(`SELECT count(*)::int AS n FROM department WHERE code = 'PIPE'`)).toEqual([{ n: 0 }]);
  await expectCleanConnection();
});
