/** Operations: graceful shutdown, a lost database, structured logs — on the real process where it matters. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { idOf } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { createTestDatabase } from '../support/database';
import { COMPLETE_REQUEST, createRequest, submittedRequest } from '../support/documents';
import { freePort, post, startApiProcess } from '../support/process';
import { subscribe, until } from '../support/ws';

describe('a lost database', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.close());

  const killAppConnections = () =>
    t.owner.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'service-document-desk' AND pid <> pg_backend_pid()`);

  test('connections dropped under the pool: a clean error at worst, and the pool recovers without a restart', async () => {
    const sr = await createRequest(t);
    await killAppConnections();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { state } }`, { id: sr.id });
      statuses.push(res.status);
      if (res.errors) {
        expect(res.errors).toEqual([expect.objectContaining({ message: 'The database is unavailable; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } })]);
      } else {
        expect(res.data.serviceRequest.state).toBe('DRAFT');
      }
    }
    expect(statuses.at(-1)).toBe(200);
    expect((await fetch(t.url.replace('/graphql', '/readyz'))).status).toBe(200);
  });

  test('a mutation whose connection dies mid-transaction gets a clean error and leaves nothing half-done', async () => {
    const sr = await submittedRequest(t);
    const locker = new Client({ connectionString: t.databaseUrl, application_name: 'locker' });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM service_request WHERE id = $1 FOR UPDATE', [idOf(sr.id, 'ServiceRequest')]);
    const pending = t.gql('AGENT', `mutation($id: ID!) { returnServiceRequest(input: { id: $id, reason: "waits for the lock" }) { userErrors { code } } }`, { id: sr.id });
    await new Promise((r) => setTimeout(r, 300));
    await killAppConnections();
    await locker.query('ROLLBACK');
    await locker.end();
    const outcome = await pending;
    expect(outcome.errors).toEqual([expect.objectContaining({ message: 'The database is unavailable; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } })]);
    const res = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { state version history(first: 100) { nodes { event } } } }`, { id: sr.id });
    expect(res.data.serviceRequest).toEqual({ state: 'SUBMITTED', version: 2, history: { nodes: [{ event: 'CREATE' }, { event: 'SUBMIT' }] } });
  });
});

describe('the listening connection', () => {
  let t: TestApi;
  beforeAll(async () => {
    // the token cache on (tests run without it): it listens for caller changes too
    t = await startTestApi({ tokenCacheMs: 30_000 });
  });
  afterAll(() => t.close());

  // the API's sessions that LISTEN on its own channels (graphile-worker's job queue listens apart, on "jobs:insert")
  const listeners = async () =>
    (await t.owner.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'service-document-desk' AND query ~ '^LISTEN sdd_'`)) as Array<{ pid: number }>;

  test('one session hears every channel; when it is lost, the process listens again, catches the feed up and keeps its caches honest', async () => {
    // caller changes, the outbox feed, settings and the calendar: one session (PostgreSQL wakes every listening session at each notifying commit)
    expect(await listeners()).toHaveLength(1);
    const sr = await createRequest(t);
    const feed = subscribe(t.url, t.tokens.AGENT, `subscription($id: ID) { documentEvents(documentId: $id) { event { event } } }`, { id: sr.id });
    try {
      await until('subscribed', () => t.api.liveSubscriptions() === 1);
      expect((await t.gql('AGENT_2', '{ me { name } }')).status).toBe(200); // AGENT_2's token is cached now
      await t.owner.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'service-document-desk' AND query ~ '^LISTEN sdd_'`);
      // committed while nobody listens, so their notifications are lost: a transition (the feed's catch-up delivers
      // it) and AGENT_2's deactivation (the loss dropped the token cache: the next request asks the database)
      const submitted = await t.gql('CUSTOMER_ACME', `mutation($id: ID!) { submitServiceRequest(input: { id: $id }) { userErrors { code } } }`, { id: sr.id });
      expect(submitted.data.submitServiceRequest.userErrors).toEqual([]);
      await t.owner.query(`UPDATE app_user SET active = false WHERE id = $1`, [t.ids.users.AGENT_2]);
      await until('listening again', async () => (await listeners()).length === 1, 5_000);
      expect((await t.gql('AGENT_2', '{ me { name } }')).status).toBe(401);
      await until('the event committed during the loss', () => feed.received.some((r) => r.documentEvents.event.event === 'SUBMIT'), 5_000);
      await t.owner.query(`UPDATE app_user SET active = true WHERE id = $1`, [t.ids.users.AGENT_2]);
      await until('the reactivated caller served', async () => (await t.gql('AGENT_2', '{ me { name } }')).status === 200, 2_000);
      // the cache is on again (a change that notifies nobody is not seen) …
      await t.owner.query(`ALTER TABLE app_user DISABLE TRIGGER app_user_caller_changed`);
      await t.owner.query(`UPDATE app_user SET active = false WHERE id = $1`, [t.ids.users.AGENT_2]);
      await t.owner.query(`ALTER TABLE app_user ENABLE TRIGGER app_user_caller_changed`);
      expect((await t.gql('AGENT_2', '{ me { name } }')).status).toBe(200);
      // … and a change that notifies reaches it through the new session
      await t.owner.query(`UPDATE app_user SET active = false WHERE id = $1`, [t.ids.users.AGENT_2]);
      try {
        await until('the deactivated caller refused', async () => (await t.gql('AGENT_2', '{ me { name } }')).status === 401, 2_000);
      } finally {
        await t.owner.query(`UPDATE app_user SET active = true WHERE id = $1`, [t.ids.users.AGENT_2]);
      }
      expect(await listeners()).toHaveLength(1);
    } finally {
      await feed.dispose();
    }
  });
});

describe('the process', () => {
  test('SIGTERM lets an in-flight mutation finish, then exits 0; logs are JSON lines with a request id', async () => {
    const { url: databaseUrl } = await createTestDatabase();
    const api = await startApiProcess(databaseUrl);
    try {
      const tokens = api.tokens();
      const created = await post(api.url, tokens.CUSTOMER_ACME, `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } } }`, { input: COMPLETE_REQUEST });
      const id = created.body.data.createServiceRequest.serviceRequest.id;

      // hold the row so the next mutation is in flight when the signal arrives
      const locker = new Client({ connectionString: databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM service_request WHERE id = $1 FOR UPDATE', [idOf(id, 'ServiceRequest')]);
      const inFlight = post(api.url, tokens.CUSTOMER_ACME, `mutation($id: ID!) { submitServiceRequest(input: { id: $id }) { serviceRequest { state } userErrors { code } } }`, { id });
      await new Promise((r) => setTimeout(r, 300));
      api.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(api.child.exitCode).toBeNull(); // still draining
      await locker.query('COMMIT');
      await locker.end();

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body.data.submitServiceRequest).toEqual({ serviceRequest: { state: 'SUBMITTED' }, userErrors: [] });
      expect(await api.exited).toBe(0);
      await expect(fetch(api.url.replace('/graphql', '/healthz'))).rejects.toThrow();

      const lines = api.output().split('\n').filter((l) => l.startsWith('{'));
      const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(requestLines.length).toBeGreaterThanOrEqual(2);
      for (const l of requestLines) expect(l).toMatchObject({ requestId: expect.any(String), status: 200, method: 'POST', path: '/graphql' });
    } finally {
      await api.stop('SIGKILL');
    }
  });

  test('on its embedded PostgreSQL (npm start): Ctrl-C (SIGINT to the whole process group) drains the in-flight mutation before the database stops', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-embedded-proc-'));
    fs.chmodSync(dataDir, 0o755);
    const pgPort = await freePort();
    const api = await startApiProcess(null, dataDir, { env: { EMBEDDED_PG_PORT: String(pgPort) }, ownProcessGroup: true });
    try {
      const tokens = api.tokens();
      const created = await post(api.url, tokens.CUSTOMER_ACME, `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } } }`, { input: COMPLETE_REQUEST });
      const id = created.body.data.createServiceRequest.serviceRequest.id;
      const { postgres: password } = JSON.parse(fs.readFileSync(path.join(dataDir, 'db-passwords.json'), 'utf8'));
      const locker = new Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password, database: 'postgres' });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM service_request WHERE id = $1 FOR UPDATE', [idOf(id, 'ServiceRequest')]);
      const inFlight = post(api.url, tokens.CUSTOMER_ACME, `mutation($id: ID!) { submitServiceRequest(input: { id: $id }) { serviceRequest { state } userErrors { code } } }`, { id });
      await new Promise((r) => setTimeout(r, 300));
      // what a terminal does on Ctrl-C: the signal to every process of the foreground group, the API's children included
      process.kill(-api.child.pid!, 'SIGINT');
      await new Promise((r) => setTimeout(r, 300));
      expect(api.child.exitCode).toBeNull(); // still draining, its database still up
      await locker.query('COMMIT');
      await locker.end();
      const answer = await inFlight;
      expect(answer.body.data.submitServiceRequest).toEqual({ serviceRequest: { state: 'SUBMITTED' }, userErrors: [] });
      expect(await api.exited).toBe(0);
      // the database stopped after the API (nothing cut off under it), and stopped for good
      expect(api.output()).not.toContain('terminating connection due to administrator command');
      expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      await api.stop('SIGKILL');
      // a failed run can leave the postmaster (its own process group) behind: stop it before its directory goes
      const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
      if (fs.existsSync(pidFile)) {
        const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {
          /* gone already */
        }
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
