/**
 * The outbox, its relay and the job runner (graphile-worker): an outbox row exists exactly for the events
 * that committed (and no job is queued for it: the relay reads the table); with several API processes on one
 * database each row is consumed once, a failing consumer is retried later without holding up the rest, and a
 * cron tick expires a grant once.
 */
import path from 'node:path';
import { Client } from 'pg';
import { idOf } from '../../src/graphql/global-id';
import { registerOutboxConsumer } from '../../src/jobs/outbox';
import { startTestApi, type TestApi } from '../support/api';
import { createTestDatabase } from '../support/database';
import { countStatements } from '../support/sql-counter';
import { COMPLETE_REQUEST, createRequest, send, submittedRequest } from '../support/documents';
import { post, startApiProcess, type ApiProcess } from '../support/process';
import { startApi } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { seedDemoData } from '../../src/db/seed';

/** polls `check` every 50 ms until it returns true, for at most `ms` */
async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the outbox is written in the event’s transaction', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi(); // no runner: the rows stay unprocessed, to be counted
  });
  afterAll(() => t.close());

  const outbox = () => t.owner.query(`SELECT audit_event_id::text AS "auditEventId", audit_seq AS seq, document_id AS "documentId", event, from_state AS "fromState", to_state AS "toState", processed_at AS "processedAt" FROM outbox_event ORDER BY id`);
  const audit = () => t.owner.query(`SELECT id::text AS "auditEventId", seq, document_id AS "documentId", event, from_state AS "fromState", to_state AS "toState", null AS "processedAt" FROM audit_event ORDER BY id`);
  // the jobs view leaves out the payload: read graphile-worker's table (as the owner)
  const jobs = async () =>
    (await t.owner.query(`SELECT (j.payload->>'id')::bigint AS id FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks k ON k.id = j.task_id WHERE k.identifier = 'outbox' ORDER BY 1`)).map(
      (r: { id: string }) => String(r.id),
    );
  const outboxIds = async () => (await t.owner.query(`SELECT id::text FROM outbox_event ORDER BY id`)).map((r: { id: string }) => r.id);

  test('a successful mutation: one outbox row per audit event, with the same seq, and no job queued for it; a refused one: none', async () => {
    const sr = await submittedRequest(t);
    expect(await outbox()).toEqual(await audit());
    const rows = (await outbox()).length;
    // INVALID_TRANSITION, a guard's FORBIDDEN, STALE_VERSION: refusals change nothing, so they queue nothing
    expect((await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id })).userErrors[0].code).toBe('INVALID_TRANSITION');
    expect((await send(t, 'CUSTOMER_ACME', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') })).userErrors[0].code).toBe('FORBIDDEN');
    expect((await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH'), expectedVersion: 1 })).userErrors[0].code).toBe('STALE_VERSION');
    expect((await outbox()).length).toBe(rows);
    expect(await jobs()).toEqual([]);

    const accepted = await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
    expect(accepted.userErrors).toEqual([]);
    expect(await outbox()).toEqual(await audit());
    expect((await outbox()).filter((r: { documentId: string }) => r.documentId === idOf(sr.id, 'ServiceRequest')).map((r: { event: string; seq: number }) => [r.event, r.seq])).toEqual([
      ['CREATE', 1],
      ['SUBMIT', 2],
      ['ACCEPT', 3],
    ]);
    expect(await jobs()).toEqual([]);
    expect((await outbox()).length).toBe(rows + 1);
    expect((await outboxIds()).length).toBe(rows + 1);
  });

  test('a creation refused by validation, and an idempotent replay, queue nothing', async () => {
    const rows = (await outbox()).length;
    const CREATE = `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } userErrors { code } } }`;
    const bad = await t.gql('CUSTOMER_ACME', CREATE, { input: { ...COMPLETE_REQUEST, expectedFrom: '2026-12-03T00:00:00Z', expectedTo: '2026-12-01T00:00:00Z' } });
    expect(bad.data.createServiceRequest.userErrors.length).toBeGreaterThan(0);
    expect((await outbox()).length).toBe(rows);
    await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': 'outbox-once' });
    const replay = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': 'outbox-once' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await outbox()).length).toBe(rows + 1);
    expect(await jobs()).toEqual([]);
  });

  test('graphile-worker’s tables stay closed to the app role, and the old outbox_enqueue wrapper (kept for a rolling deploy) queues nothing', async () => {
    await expect(t.dataSource.query(`SELECT graphile_worker.add_job('outbox', '{"id": 1}')`)).rejects.toThrow(/permission denied|row-level security/);
    await expect(t.dataSource.query(`DELETE FROM graphile_worker._private_jobs`)).rejects.toThrow(/permission denied/);
    const [{ id }] = await t.owner.query(`SELECT max(id)::text AS id FROM outbox_event`);
    await t.dataSource.query(`SELECT outbox_enqueue($1)`, [id]);
    expect(await jobs()).toEqual([]);
  });
});

describe('the runner in the API process', () => {
  test('processes every row: each consumer once, processed_at set; close() stops it', async () => {
    const seen: string[] = [];
    const unregister = registerOutboxConsumer('in-process-test', async (event, { manager }) => {
      // the consumer's transaction is a real one, as the app role
      expect((await manager.query('SELECT current_user AS u'))[0].u).toBe('sdd_app');
      seen.push(event.auditEventId);
    });
    const t = await startTestApi({ jobs: { enabled: true, concurrency: 2, grantExpiryCron: '* * * * *' } });
    try {
      const sr = await createRequest(t);
      for (let i = 0; i < 5; i++) expect((await send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: sr.id, comment: `edit ${i}` })).userErrors).toEqual([]);
      await until('every outbox row processed', async () => (await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`))[0].n === 0);
      const audited = (await t.owner.query(`SELECT id::text FROM audit_event ORDER BY id`)).map((r: { id: string }) => r.id);
      expect([...seen].sort()).toEqual([...audited].sort());
      expect((await t.owner.query(`SELECT count(*)::int AS n FROM outbox_consumption WHERE consumer = 'in-process-test'`))[0].n).toBe(audited.length);
      expect((await t.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'outbox'`))[0].n).toBe(0);
    } finally {
      await t.close();
      unregister();
    }
  });

  test('commits that follow one another closely share a batch: the relay gathers them for outboxGatherMs after the first wakes it', async () => {
    const t = await startTestApi({ jobs: { enabled: true, outboxGatherMs: 1_500, outboxPollMs: 60_000 } });
    try {
      const sr = await createRequest(t);
      await until('the creation relayed', async () => (await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`))[0].n === 0);
      const { sent, sentTogether } = await countStatements(async () => {
        for (let i = 0; i < 4; i++) expect((await send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: sr.id, comment: `edit ${i}` })).userErrors).toEqual([]);
        await until('the edits relayed', async () => (await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`))[0].n === 0);
      });
      // processed_at is the batch transaction's now(): one value, one batch, for the four edits
      const batches = await t.owner.query(`SELECT count(DISTINCT processed_at)::int AS n FROM outbox_event WHERE event = 'UPDATE'`);
      expect(batches[0].n).toBe(1);
      // the batch's transaction is a pipelined one: BEGIN sent with the claim, COMMIT with the processed mark
      const claim = sent.findIndex((s) => /FOR UPDATE SKIP LOCKED/.test(s.text));
      const mark = sent.findIndex((s) => /^UPDATE outbox_event SET processed_at = now\(\) WHERE id = ANY/.test(s.text));
      expect([sent[claim - 1].text, sent[mark + 1].text]).toEqual(['BEGIN', 'COMMIT']);
      expect(sentTogether(claim - 1, claim)).toBe(true);
      expect(sentTogether(mark, mark + 1)).toBe(true);
    } finally {
      await t.close();
    }
  });

  test('a consumer that fails on one row: that row is retried later (attempts, the error, a delay), the others are consumed at once, each once', async () => {
    const seen: string[] = [];
    let failures = 0;
    let poisoned = '';
    const unregister = registerOutboxConsumer('failing-test', async (event) => {
      if (event.event === 'SUBMIT' && failures < 2) {
        failures++;
        poisoned = event.id;
        throw new Error('the downstream system is away');
      }
      seen.push(event.id);
    });
    const t = await startTestApi({ jobs: { enabled: true, concurrency: 2, grantExpiryCron: '* * * * *' } });
    try {
      await t.owner.query(`UPDATE outbox_event SET processed_at = now() WHERE processed_at IS NULL`); // earlier tests' rows
      const sr = await createRequest(t);
      expect((await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id })).userErrors).toEqual([]);
      // events after it, on other documents
      const others = [await createRequest(t), await createRequest(t)];
      expect((await send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: others[0].id, comment: 'after the failing one' })).userErrors).toEqual([]);
      const documents = [sr, ...others].map((d) => idOf(d.id, 'ServiceRequest'));
      const mine = async () => (await t.owner.query(`SELECT id::text, event, processed_at IS NOT NULL AS done, attempts, last_error AS error, next_attempt_at > now() AS later FROM outbox_event WHERE document_id = ANY($1::uuid[]) ORDER BY id`, [documents])) as Array<{ id: string; event: string; done: boolean; attempts: number; error: string | null; later: boolean | null }>;
      // every row but the failing one is consumed at once; the failing one waits with its error and attempt count
      await until('every other row consumed and the first failure recorded', async () => (await mine()).every((r) => (r.event === 'SUBMIT' ? r.attempts >= 1 : r.done)));
      const first = await mine();
      expect(first.map((r) => r.event)).toEqual(['CREATE', 'SUBMIT', 'CREATE', 'CREATE', 'UPDATE']);
      // it failed in its batch and again on its own (one attempt), and waits a second before the next
      expect(first.find((r) => r.event === 'SUBMIT')).toMatchObject({ id: poisoned, done: false, attempts: 1, error: 'the downstream system is away', later: true });
      expect(failures).toBe(2);
      await until('the failing row consumed on a later attempt', async () => (await mine()).every((r) => r.done), 15_000);
      const rows = (await mine()).map((r) => r.id);
      // every row reached the consumer (a row whose batch rolled back may reach it again: at least once), and its
      // consumption is recorded exactly once
      expect([...new Set(seen)].filter((id) => rows.includes(id)).sort()).toEqual([...rows].sort());
      expect((await t.owner.query(`SELECT count(*)::int AS n FROM outbox_consumption WHERE consumer = 'failing-test' AND outbox_event_id = ANY($1::bigint[])`, [rows]))[0].n).toBe(rows.length);
    } finally {
      await t.close();
      unregister();
    }
  });
});

describe('a row that never goes through', () => {
  test('waits at most an hour between attempts however many there were, and the rows behind it are consumed', async () => {
    let poisoned: string | null = null;
    let armed = false;
    const unregister = registerOutboxConsumer('always-failing-test', async (event) => {
      if (armed && poisoned === null) poisoned = event.id;
      if (event.id === poisoned) throw new Error('refused for ever');
    });
    const t = await startTestApi({ jobs: { enabled: true, concurrency: 2, grantExpiryCron: '* * * * *' } });
    try {
      await until('earlier rows consumed', async () => (await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`))[0].n === 0);
      armed = true;
      await createRequest(t);
      await until('the first failure recorded', async () => poisoned !== null && (await t.owner.query(`SELECT attempts FROM outbox_event WHERE id = $1`, [poisoned]))[0].attempts === 1);
      // as if it had failed thousands of times already (2^attempts seconds would overflow), and due now
      await t.owner.query(`UPDATE outbox_event SET attempts = 5000, next_attempt_at = now() WHERE id = $1`, [poisoned]);
      const after = await createRequest(t);
      await until('the row behind it consumed, and the next failed attempt recorded', async () => {
        const [r] = await t.owner.query(`SELECT attempts FROM outbox_event WHERE id = $1`, [poisoned]);
        const [next] = await t.owner.query(`SELECT processed_at IS NOT NULL AS done FROM outbox_event WHERE document_id = $1`, [idOf(after.id, 'ServiceRequest')]);
        return r.attempts === 5001 && next.done;
      });
      const [r] = await t.owner.query(`SELECT last_error, round(extract(epoch FROM next_attempt_at - now()))::int AS wait, processed_at FROM outbox_event WHERE id = $1`, [poisoned]);
      expect(r).toMatchObject({ last_error: 'refused for ever', processed_at: null });
      expect(r.wait).toBeGreaterThan(3500);
      expect(r.wait).toBeLessThanOrEqual(3600);
    } finally {
      await t.close();
      unregister();
    }
  });
});

describe('two API processes on one database', () => {
  const processes: ApiProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    for (const close of closers) await close();
  });

  test('each outbox row is consumed exactly once, and one cron tick expires a grant once', async () => {
    const { url: databaseUrl, appUrl } = await createTestDatabase();
    const owner = new Client({ connectionString: databaseUrl });
    await owner.connect();
    try {
      await owner.query(`CREATE TABLE outbox_probe (outbox_event_id bigint NOT NULL, audit_event_id bigint NOT NULL, pid int NOT NULL)`);
      await owner.query(`GRANT SELECT, INSERT ON outbox_probe TO sdd_app`);
      const probe = [path.resolve(__dirname, '../support/outbox-probe.ts')];

      // an API that serves without running jobs (JOBS=off; in this process, to save a start): its events wait in the outbox
      const app = createDataSource(appUrl, { poolSize: 4 });
      await app.initialize();
      const { tokens } = await seedDemoData(app);
      const base = loadConfig({ NODE_ENV: 'test' });
      const quietApi = await startApi(app, { ...base, tokenCacheMs: 0, jobs: { ...base.jobs, enabled: false } }, undefined, 0);
      closers.push(async () => {
        await quietApi.close();
        await app.destroy();
      });
      const quiet = { url: quietApi.url } as ApiProcess;
      const gql = async (p: Pick<ApiProcess, 'url'>, who: string, query: string, variables?: Record<string, unknown>) => {
        const res = await post(p.url, tokens[who as keyof typeof tokens], query, variables);
        expect(res.body.errors).toBeUndefined();
        return res.body.data;
      };
      const CREATE = `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } userErrors { code } } }`;
      const UPDATE = `mutation($id: ID!, $c: String) { updateServiceRequest(input: { id: $id, comment: $c }) { userErrors { code } } }`;
      const sr = (await gql(quiet, 'CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST })).createServiceRequest.serviceRequest;
      for (let i = 0; i < 10; i++) expect((await gql(quiet, 'CUSTOMER_ACME', UPDATE, { id: sr.id, c: `quiet ${i}` })).updateServiceRequest.userErrors).toEqual([]);
      await gql(quiet, 'CUSTOMER_ACME', `mutation($id: ID!) { submitServiceRequest(input: { id: $id }) { userErrors { code } } }`, { id: sr.id });
      const tech = (await gql(quiet, 'AGENT', `{ departments { id code } }`)).departments.find((d: { code: string }) => d.code === 'TECH').id;
      await gql(quiet, 'AGENT', `mutation($id: ID!, $d: ID!) { acceptServiceRequest(input: { id: $id, targetDepartmentId: $d }) { userErrors { code } } }`, { id: sr.id, d: tech });
      const ar = (await gql(quiet, 'TECHNICIAN', `mutation($id: ID!) { createAccessRequest(input: { documentId: $id, purpose: "check the repair", days: 1 }) { accessRequest { id } userErrors { code } } }`, { id: sr.id })).createAccessRequest.accessRequest;
      const arId = idOf(ar.id, 'AccessRequest');
      const expiresAt = new Date(Date.now() + 1500);
      const granted = await gql(quiet, 'SUPERVISOR_TECH', `mutation($id: ID!, $e: DateTimeISO!) { grantAccessRequest(input: { id: $id, expiresAt: $e }) { userErrors { code } } }`, { id: ar.id, e: expiresAt.toISOString() });
      expect(granted.grantAccessRequest.userErrors).toEqual([]);
      const queued = (await owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`)).rows[0].n;
      expect(queued).toBe(15); // create, 10 updates, submit, accept; the access request's create and grant

      // the grant is past its expiry; the last grant-expiry tick "ran" three minutes ago, so the runners that start
      // now both catch up the missed ticks (fill): each tick is scheduled once, whichever process gets there first
      await until('the grant to pass its expiry', async () => Date.now() > expiresAt.getTime() + 100, 5_000);
      await owner.query(
        `INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since, last_execution) VALUES ('expire_access_grants', now() - interval '1 hour', now() - interval '3 minutes')
         ON CONFLICT (identifier) DO UPDATE SET last_execution = excluded.last_execution`,
      );
      const workers = await Promise.all([0, 1].map(() => startApiProcess(databaseUrl, undefined, { preload: probe })));
      processes.push(...workers);
      // more events while both run: each commit's NOTIFY wakes the relays
      await Promise.all(
        workers.map(async (w, n) => {
          const own = (await gql(w, 'CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST })).createServiceRequest.serviceRequest;
          for (let i = 0; i < 8; i++) expect((await gql(w, 'CUSTOMER_ACME', UPDATE, { id: own.id, c: `worker ${n} ${i}` })).updateServiceRequest.userErrors).toEqual([]);
        }),
      );

      await until('every outbox row processed and the grant expired', async () => {
        const pending = (await owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`)).rows[0].n;
        const state = (await owner.query(`SELECT state FROM access_request WHERE id = $1`, [arId])).rows[0].state;
        return pending === 0 && state === 'EXPIRED';
      });
      const rows = (await owner.query(`SELECT id FROM outbox_event ORDER BY id`)).rows.map((r) => r.id);
      const consumed = (await owner.query(`SELECT outbox_event_id AS id, count(*)::int AS n FROM outbox_probe GROUP BY outbox_event_id ORDER BY outbox_event_id`)).rows;
      expect(consumed).toEqual(rows.map((id) => ({ id, n: 1 })));
      const byProcess = (await owner.query(`SELECT pid, count(*)::int AS n FROM outbox_probe GROUP BY pid`)).rows;
      expect(byProcess.every((r) => workers.some((w) => w.child.pid === r.pid))).toBe(true); // never the JOBS=off API
      // no outbox job left behind, none failed and waiting for a retry
      expect((await owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'outbox' OR last_error IS NOT NULL`)).rows[0].n).toBe(0);

      const expiries = (await owner.query(`SELECT event, actor_name AS actor FROM audit_event WHERE document_id = $1 AND event = 'EXPIRE'`, [arId])).rows;
      expect(expiries).toEqual([{ event: 'EXPIRE', actor: 'system' }]);
      console.log(`jobs: ${rows.length} outbox rows consumed once each; by process ${JSON.stringify(byProcess)}`);

      // SIGTERM: both runners stop with their API and the processes exit 0
      expect(await Promise.all(workers.map((w) => w.stop('SIGTERM')))).toEqual([0, 0]);
    } finally {
      await owner.end();
    }
  });
});
