/** Operations: graceful shutdown, a lost database, structured logs — on the real process where it matters. */
import { Client } from 'pg';
import { idOf } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { createTestDatabase } from '../support/database';
import { COMPLETE_REQUEST, createRequest, submittedRequest } from '../support/documents';
import { post, startApiProcess } from '../support/process';

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
});
