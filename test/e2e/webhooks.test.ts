/**
 * Signed webhooks over the real server and job runner, against receivers on 127.0.0.1: only ADMIN manages
 * endpoints; a committed event is delivered once, signed with the endpoint's secret; a failing receiver is
 * retried with backoff and every attempt is logged; a refused mutation sends nothing; the secret is never
 * readable again; two API processes deliver each event once.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { idOf } from '../../src/graphql/global-id';
import { createDataSource } from '../../src/db/data-source';
import { seedDemoData } from '../../src/db/seed';
import { startTestApi, type TestApi } from '../support/api';
import { createTestDatabase } from '../support/database';
import { COMPLETE_REQUEST, createRequest, send } from '../support/documents';
import { post, startApiProcess, type ApiProcess } from '../support/process';

/** polls `check` every 25 ms until it returns true, for at most `ms` */
async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1: records every request, answers what `answer` says for the n-th (1-based) */
async function startReceiver(answer: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answer(received.length);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** the receiver's check, written here from the README's description, not with the server's code */
function verifies(secret: string, r: Received): boolean {
  const ts = r.headers['webhook-timestamp'] as string;
  const expected = createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex');
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((s) => s === `v1=${expected}`);
}

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id url eventTypes description enabled } secret userErrors { code field message } } }`;
const DELIVERIES = `query($id: ID!, $first: Int, $after: String) { webhookDeliveries(webhookId: $id, first: $first, after: $after) {
  nodes { id eventId eventType status createdAt nextAttemptAt finishedAt attempts { attempt at httpStatus error durationMs } } pageInfo { hasNextPage endCursor } } }`;

const WEBHOOKS = { maxAttempts: 4, backoffMs: 50, maxBackoffMs: 1_000, timeoutMs: 2_000 };

describe('webhooks on one API', () => {
  let t: TestApi;
  const receivers: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    t = await startTestApi({ jobs: { enabled: true, concurrency: 2, webhooks: WEBHOOKS } });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(answer?: (n: number) => number) {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  }

  async function register(url: string, eventTypes: string[], who = 'ADMIN') {
    const res = await t.gql(who, REGISTER, { input: { url, eventTypes, description: 'test receiver' } });
    expect(res.errors).toBeUndefined();
    return res.data.registerWebhook as { webhook: { id: string } | null; secret: string | null; userErrors: Array<{ code: string; field: string | null }> };
  }

  async function deliveries(webhookId: string) {
    const res = await t.gql('ADMIN', DELIVERIES, { id: webhookId, first: 100 });
    expect(res.errors).toBeUndefined();
    return res.data.webhookDeliveries.nodes as Array<{ eventId: string; eventType: string; status: string; attempts: Array<{ attempt: number; httpStatus: number | null; error: string | null }> }>;
  }

  /** every outbox row consumed and no webhook attempt queued or running: nothing more will be sent */
  async function quiet() {
    await until('the outbox and the webhook jobs to drain', async () => {
      const [o] = await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`);
      const [j] = await t.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier IN ('outbox', 'webhook_delivery')`);
      return o.n === 0 && j.n === 0;
    });
  }

  const outboxId = async (documentId: string, event: string) =>
    (await t.owner.query(`SELECT id::text FROM outbox_event WHERE document_id = $1 AND event = $2`, [documentId, event]))[0].id as string;

  test('only ADMIN registers, lists, reads the log, rotates, disables; URLs and event types are checked', async () => {
    const r = await receiver();
    for (const who of ['AGENT', 'SUPERVISOR_TECH', 'EXECUTIVE', 'CUSTOMER_ACME']) {
      const refused = await register(r.url, ['ServiceRequest.SUBMIT'], who);
      expect(refused).toEqual({ webhook: null, secret: null, userErrors: [expect.objectContaining({ code: 'FORBIDDEN' })] });
      // refused before the input is judged
      expect((await register('ftp://nowhere', ['nope'], who)).userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);
      const list = await t.gql(who, `{ webhooks { id } }`);
      expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM webhook_endpoint`))[0].n).toBe(0);

    const bad = await register('ftp://127.0.0.1/x', ['ServiceRequest.submit', 'Service Request.*'], 'ADMIN');
    expect(bad.webhook).toBeNull();
    expect(bad.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['VALIDATION', 'url'],
      ['VALIDATION', 'eventTypes'],
      ['VALIDATION', 'eventTypes'],
    ]);
    expect((await register('http://user:pw@127.0.0.1/x', ['*'])).userErrors.map((e) => e.field)).toEqual(['url']);
    expect((await register('not a url', ['*'])).userErrors.map((e) => e.field)).toEqual(['url']);
    expect((await register(r.url, [])).userErrors.map((e) => e.field)).toEqual(['eventTypes']);

    const ok = await register(r.url, ['ServiceRequest.SUBMIT', 'ServiceTask.*', 'Escalation.*']);
    expect(ok.userErrors).toEqual([]);
    expect(ok.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const id = ok.webhook!.id;
    for (const who of ['AGENT', 'CUSTOMER_ACME']) {
      expect((await t.gql(who, DELIVERIES, { id })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      for (const m of ['disableWebhook', 'enableWebhook']) {
        const res = await t.gql(who, `mutation($id: ID!) { ${m}(input: { id: $id }) { webhook { id } userErrors { code } } }`, { id });
        expect(res.data[m]).toEqual({ webhook: null, userErrors: [{ code: 'FORBIDDEN' }] });
      }
      const rot = await t.gql(who, `mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret userErrors { code } } }`, { id });
      expect(rot.data.rotateWebhookSecret).toEqual({ secret: null, userErrors: [{ code: 'FORBIDDEN' }] });
    }
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM webhook_secret`))[0].n).toBe(1);
    await t.owner.query(`UPDATE webhook_endpoint SET enabled = false`); // out of the way of the other tests
  });

  test('a committed event: one delivery, signed with the secret, with the event id and no changes', async () => {
    const r = await receiver();
    const { webhook, secret } = await register(r.url, ['ServiceRequest.SUBMIT']);
    const sr = await createRequest(t);
    // a staff-only change on the way: it must not leave the desk
    expect((await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id, comment: 'please hurry' })).userErrors).toEqual([]);
    await quiet();

    expect(r.received).toHaveLength(1); // the CREATE is not subscribed to
    const [got] = r.received;
    expect(verifies(secret!, got)).toBe(true);
    expect(verifies('whsec_not-the-secret', got)).toBe(false);
    expect(got.headers['content-type']).toBe('application/json');
    const body = JSON.parse(got.body);
    const eventId = await outboxId(idOf(sr.id, 'ServiceRequest')!, 'SUBMIT');
    expect(body).toEqual({
      id: eventId,
      type: 'ServiceRequest.SUBMIT',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      documentType: 'ServiceRequest',
      documentId: sr.id,
      event: 'SUBMIT',
      fromState: 'DRAFT',
      toState: 'SUBMITTED',
      actor: { id: t.gid.user('CUSTOMER_ACME'), name: expect.any(String) },
    });
    expect(got.headers['webhook-id']).toBe(eventId);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);

    const log = await deliveries(webhook!.id);
    expect(log).toEqual([expect.objectContaining({ eventId, eventType: 'ServiceRequest.SUBMIT', status: 'DELIVERED', attempts: [expect.objectContaining({ attempt: 1, httpStatus: 200, error: null })] })]);
    await t.gql('ADMIN', `mutation($id: ID!) { disableWebhook(input: { id: $id }) { userErrors { code } } }`, { id: webhook!.id });
  });

  test('a receiver that fails twice gets the third attempt; one that always fails is FAILED after the limit', async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 204));
    const down = await receiver(() => 503);
    const a = await register(flaky.url, ['ServiceRequest.CREATE']);
    const b = await register(down.url, ['ServiceRequest.*']);
    const sr = await createRequest(t);
    const eventId = await outboxId(idOf(sr.id, 'ServiceRequest')!, 'CREATE');
    await until('both deliveries finished', async () => {
      const [x, y] = [await deliveries(a.webhook!.id), await deliveries(b.webhook!.id)];
      return x[0]?.status === 'DELIVERED' && y[0]?.status === 'FAILED';
    });

    const [delivered] = await deliveries(a.webhook!.id);
    expect(delivered.attempts.map((x) => [x.attempt, x.httpStatus])).toEqual([
      [1, 500],
      [2, 500],
      [3, 204],
    ]);
    expect(flaky.received).toHaveLength(3);
    expect(flaky.received.every((x) => x.headers['webhook-id'] === eventId && verifies(a.secret!, x))).toBe(true);
    // the same bytes every time
    expect(new Set(flaky.received.map((x) => x.body)).size).toBe(1);

    const [failed] = await deliveries(b.webhook!.id);
    expect(failed.attempts.map((x) => x.httpStatus)).toEqual([503, 503, 503, 503]);
    expect(down.received).toHaveLength(WEBHOOKS.maxAttempts);
    await quiet();
    expect(down.received).toHaveLength(WEBHOOKS.maxAttempts);
    for (const w of [a, b]) await t.gql('ADMIN', `mutation($id: ID!) { disableWebhook(input: { id: $id }) { userErrors { code } } }`, { id: w.webhook!.id });
  });

  test('a refused mutation sends nothing; a disabled endpoint is sent nothing', async () => {
    const r = await receiver();
    const { webhook } = await register(r.url, ['*']);
    const sr = await createRequest(t);
    await quiet();
    expect(r.received.map((x) => JSON.parse(x.body).type)).toEqual(['ServiceRequest.CREATE']);
    const before = (await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event`))[0].n;

    // refusals roll their transaction back: no outbox row, so nothing to deliver
    expect((await send(t, 'CUSTOMER_ACME', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') })).userErrors[0].code).toMatch(/FORBIDDEN|INVALID_TRANSITION/);
    expect((await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id, expectedVersion: 99 })).userErrors[0].code).toBe('STALE_VERSION');
    const invalid = await t.gql('CUSTOMER_ACME', `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { userErrors { code } } }`, {
      input: { ...COMPLETE_REQUEST, expectedFrom: '2026-12-03T00:00:00Z', expectedTo: '2026-12-01T00:00:00Z' },
    });
    expect(invalid.data.createServiceRequest.userErrors.length).toBeGreaterThan(0);
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event`))[0].n).toBe(before);
    await quiet();
    expect(r.received).toHaveLength(1);

    // disabled: the next committed event makes no delivery for it
    const off = await t.gql('ADMIN', `mutation($id: ID!) { disableWebhook(input: { id: $id }) { webhook { enabled } userErrors { code } } }`, { id: webhook!.id });
    expect(off.data.disableWebhook).toEqual({ webhook: { enabled: false }, userErrors: [] });
    // an id of no webhook: NOT_FOUND, not a success with nothing in it
    const ghost = Buffer.from('WebhookEndpoint:00000000-0000-4000-8000-000000000000').toString('base64url');
    for (const m of ['disableWebhook', 'enableWebhook']) {
      const none = await t.gql('ADMIN', `mutation($id: ID!) { ${m}(input: { id: $id }) { webhook { enabled } userErrors { code } } }`, { id: ghost });
      expect(none.data[m]).toEqual({ webhook: null, userErrors: [{ code: 'NOT_FOUND' }] });
    }
    expect((await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id })).userErrors).toEqual([]);
    await quiet();
    expect(r.received).toHaveLength(1);
    expect(await deliveries(webhook!.id)).toHaveLength(1);
  });

  test('the secret is never readable again: no query has it, nor the idempotency store; a rotation signs with both during its overlap', async () => {
    const r = await receiver();
    const res = await t.gql('ADMIN', REGISTER, { input: { url: r.url, eventTypes: ['ServiceRequest.CREATE'] } }, { 'idempotency-key': 'register-once' });
    const { webhook, secret } = res.data.registerWebhook;
    expect(secret).toMatch(/^whsec_/);

    // no field of the schema but the two mutations' payloads is called secret (rotateWebhookSecret itself aside), and Webhook has none
    const schema = await t.gql('ADMIN', `{ __schema { types { name fields { name } } } }`);
    const secretFields = schema.data.__schema.types.flatMap((ty: { name: string; fields: Array<{ name: string }> | null }) => (ty.name === 'Mutation' ? [] : (ty.fields ?? [])).filter((f) => /secret/i.test(f.name) && !/At$/.test(f.name)).map((f) => `${ty.name}.${f.name}`));
    expect(secretFields.sort()).toEqual(['RegisterWebhookPayload.secret', 'RotateWebhookSecretPayload.secret']);
    const everything = await t.gql('ADMIN', `query($id: ID!) { webhooks { id url eventTypes description enabled createdAt secretRotatedAt previousSecretExpiresAt } webhookDeliveries(webhookId: $id) { nodes { id eventId eventType status } } node(id: $id) { id } }`, { id: webhook.id });
    expect(everything.errors).toBeUndefined();
    expect(JSON.stringify(everything.data)).not.toContain(secret);
    expect(everything.data.node).toBeNull();
    // the answer that carried it was not kept for a replay of the key
    const kept = await t.owner.query(`SELECT count(*)::int AS n FROM idempotency_record WHERE response_body LIKE '%' || $1 || '%'`, [secret]);
    expect(kept[0].n).toBe(0);

    const rotated = await t.gql('ADMIN', `mutation($id: ID!) { rotateWebhookSecret(input: { id: $id, overlapSeconds: 600 }) { webhook { secretRotatedAt previousSecretExpiresAt } secret userErrors { code } } }`, { id: webhook.id });
    const next = rotated.data.rotateWebhookSecret;
    expect(next.userErrors).toEqual([]);
    expect(next.secret).not.toBe(secret);
    expect(Date.parse(next.webhook.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 500_000);
    await createRequest(t);
    await quiet();
    expect(r.received).toHaveLength(1);
    expect(verifies(secret, r.received[0]) && verifies(next.secret, r.received[0])).toBe(true);

    // without an overlap the old secret stops signing at once
    const again = await t.gql('ADMIN', `mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { webhook { previousSecretExpiresAt } secret } }`, { id: webhook.id });
    await createRequest(t);
    await quiet();
    expect(r.received).toHaveLength(2);
    expect(again.data.rotateWebhookSecret.webhook.previousSecretExpiresAt).toBeNull();
    expect([verifies(again.data.rotateWebhookSecret.secret, r.received[1]), verifies(next.secret, r.received[1]), verifies(secret, r.received[1])]).toEqual([true, false, false]);
    await t.gql('ADMIN', `mutation($id: ID!) { disableWebhook(input: { id: $id }) { userErrors { code } } }`, { id: webhook.id });
  });

  test('the delivery log pages newest first', async () => {
    const r = await receiver();
    const { webhook } = await register(r.url, ['ServiceRequest.UPDATE']);
    const sr = await createRequest(t);
    for (let i = 0; i < 3; i++) expect((await send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: sr.id, comment: `edit ${i}` })).userErrors).toEqual([]);
    await quiet();
    expect(await deliveries(webhook!.id)).toHaveLength(3);
    // deliveries queued by one relay batch share created_at to the microsecond: the page boundary falls inside the tie
    await t.owner.query(`UPDATE webhook_delivery SET created_at = '2026-12-02 10:00:00.123456+00' WHERE endpoint_id = $1`, [idOf(webhook!.id, 'Webhook')]);
    const all = await deliveries(webhook!.id);
    const p1 = await t.gql('ADMIN', DELIVERIES, { id: webhook!.id, first: 2 });
    const p2 = await t.gql('ADMIN', DELIVERIES, { id: webhook!.id, first: 2, after: p1.data.webhookDeliveries.pageInfo.endCursor });
    expect(p1.data.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    expect(p2.data.webhookDeliveries.pageInfo.hasNextPage).toBe(false);
    expect([...p1.data.webhookDeliveries.nodes, ...p2.data.webhookDeliveries.nodes].map((d: { eventId: string }) => d.eventId)).toEqual(all.map((d) => d.eventId));
    const bad = await t.gql('ADMIN', DELIVERIES, { id: webhook!.id, after: 'nonsense' });
    expect(bad.errors?.[0].extensions?.code).toBe('VALIDATION');
    await t.gql('ADMIN', `mutation($id: ID!) { disableWebhook(input: { id: $id }) { userErrors { code } } }`, { id: webhook!.id });
  });
});

describe('two API processes running jobs', () => {
  const processes: ApiProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  });

  test('deliver each event exactly once', async () => {
    const r = await startReceiver();
    const { url: databaseUrl, appUrl } = await createTestDatabase();
    const app = createDataSource(appUrl, { poolSize: 2 });
    await app.initialize();
    const { tokens } = await seedDemoData(app);
    await app.destroy();
    const owner = new Client({ connectionString: databaseUrl });
    await owner.connect();
    try {
      const env = { WEBHOOK_BACKOFF_MS: '50', WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_TIMEOUT_MS: '2000' };
      processes.push(...(await Promise.all([0, 1].map(() => startApiProcess(databaseUrl, undefined, { env })))));
      const gql = async (p: ApiProcess, who: keyof typeof tokens, query: string, variables?: Record<string, unknown>) => {
        const res = await post(p.url, tokens[who], query, variables);
        expect(res.body.errors).toBeUndefined();
        return res.body.data;
      };
      const registered = (await gql(processes[0], 'ADMIN', REGISTER, { input: { url: r.url, eventTypes: ['ServiceRequest.*'] } })).registerWebhook;
      expect(registered.userErrors).toEqual([]);
      const CREATE = `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } userErrors { code } } }`;
      const UPDATE = `mutation($id: ID!, $c: String) { updateServiceRequest(input: { id: $id, comment: $c }) { userErrors { code } } }`;
      await Promise.all(
        processes.map(async (p, n) => {
          const sr = (await gql(p, 'CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST })).createServiceRequest.serviceRequest;
          for (let i = 0; i < 5; i++) expect((await gql(p, 'CUSTOMER_ACME', UPDATE, { id: sr.id, c: `process ${n} edit ${i}` })).updateServiceRequest.userErrors).toEqual([]);
        }),
      );
      await until('every event delivered', async () => {
        const [o] = (await owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`)).rows;
        const [j] = (await owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier IN ('outbox', 'webhook_delivery')`)).rows;
        const [d] = (await owner.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status <> 'DELIVERED'`)).rows;
        return o.n === 0 && j.n === 0 && d.n === 0;
      }, 30_000);
      const events = (await owner.query(`SELECT id::text FROM outbox_event WHERE document_type = 'ServiceRequest' ORDER BY id`)).rows.map((x) => x.id).sort();
      expect(events).toHaveLength(12);
      const ids = r.received.map((x) => x.headers['webhook-id']).sort();
      expect(ids).toEqual(events);
      expect(r.received.every((x) => verifies(registered.secret, x))).toBe(true);
      const attempts = (await owner.query(`SELECT count(*)::int AS n FROM webhook_attempt`)).rows[0].n;
      expect(attempts).toBe(12);
    } finally {
      await owner.end();
      await r.close();
    }
  });
});

describe('one breach, swept twice at once', () => {
  let t: TestApi;
  let now = new Date('2026-11-23T01:00:00Z'); // Monday 09:00 in Shanghai
  const clock = () => new Date(now);
  beforeAll(async () => {
    t = await startTestApi({ clock, jobs: { enabled: true, concurrency: 2, webhooks: WEBHOOKS } });
  });
  afterAll(() => t.close());

  test('is escalated once, and its Escalation.RAISE webhook is delivered once, signed', async () => {
    const hook = await startReceiver();
    try {
      const registered = (await t.gql('ADMIN', REGISTER, { input: { url: hook.url, eventTypes: ['Escalation.*'], description: 'SLA bot' } })).data.registerWebhook;
      expect(registered.userErrors).toEqual([]);
      const sr = await createRequest(t, 'CUSTOMER_ACME');
      await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id });
      // the review was due a working day later; two sweeps run at once on two connections of their own
      now = new Date('2026-11-24T03:00:00Z');
      const { escalateBreaches } = await import('../../src/time/escalations');
      const second = createDataSource(t.appDatabaseUrl, { poolSize: 2 });
      await second.initialize();
      try {
        await Promise.all([escalateBreaches(t.dataSource, clock(), 24), escalateBreaches(second, clock(), 24)]);
      } finally {
        await second.destroy();
      }
      const rows = await t.owner.query(`SELECT count(*)::int AS n FROM escalation WHERE document_id = $1`, [idOf(sr.id, 'ServiceRequest')]);
      expect(rows[0].n).toBe(1);
      await until('the escalation delivered', async () => hook.received.length >= 1);
      // the runner has had time to deliver anything else queued: still one
      await until('the delivery marked done', async () => {
        const d = (await t.gql('ADMIN', DELIVERIES, { id: registered.webhook.id })).data.webhookDeliveries.nodes;
        return d.length === 1 && d[0].status === 'DELIVERED';
      });
      expect(hook.received).toHaveLength(1);
      expect(verifies(registered.secret, hook.received[0])).toBe(true);
      expect(JSON.parse(hook.received[0].body)).toMatchObject({ type: 'Escalation.RAISE' });
    } finally {
      await hook.close();
    }
  });
});
