/**
 * Safe for portals and automations: idempotent retries, abuse limits,
 * hostile input. Each refusal is clear, changes nothing, and shows no internals.
 */
import { ServiceRequest } from '../../src/documents/service-request/service-request.entity';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { startTestApi, type TestApi } from '../support/api';
import { countStatements } from '../support/sql-counter';
import { COMPLETE_REQUEST, createRequest, submittedRequest } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const RETURN = `mutation($input: ReasonEventInput!) { returnServiceRequest(input: $input) { serviceRequest { id state version } userErrors { code message field } } }`;
const CREATE = `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id number } userErrors { code message field } } }`;

describe('Idempotency-Key', () => {
  test('the same key and request replays the stored response without running again', async () => {
    const key = `create-${Date.now()}`;
    const before = await t.dataSource.getRepository(ServiceRequest).count();
    const first = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': key });
    const second = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': key });
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(before + 1);
    // the audit event of the creation records the key
    const event = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ idempotencyKey: key });
    expect(event.event).toBe('CREATE');
  });

  test('the same key with a different request answers IDEMPOTENCY_CONFLICT and changes nothing', async () => {
    const sr = await submittedRequest(t);
    const key = `return-${sr.id}`;
    const ok = await t.gql('AGENT', RETURN, { input: { id: sr.id, reason: 'first' } }, { 'idempotency-key': key });
    expect(ok.data.returnServiceRequest.userErrors).toEqual([]);
    const other = await t.gql('AGENT', RETURN, { input: { id: sr.id, reason: 'second' } }, { 'idempotency-key': key });
    expect(other.data.returnServiceRequest).toEqual({ serviceRequest: null, userErrors: [{ code: 'IDEMPOTENCY_CONFLICT', message: expect.stringContaining('different request'), field: null }] });
    const row = await t.dataSource.getRepository(ServiceRequest).findOneByOrFail({ returnReason: 'first' });
    expect(row.version).toBe(3);
  });

  test('keys are scoped to the caller: another caller\'s same key is a different request', async () => {
    const key = 'shared-key-1';
    const a = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': key });
    const b = await t.gql('CUSTOMER_HUAXIA', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': key });
    expect(a.data.createServiceRequest.serviceRequest.id).not.toBe(b.data.createServiceRequest.serviceRequest.id);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
  });

  test('ten copies of one request fired at once run exactly once, and all see the same answer', async () => {
    const key = `burst-${Date.now()}`;
    const before = await t.dataSource.getRepository(ServiceRequest).count();
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': key })));
    expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(before + 1);
    const ids = new Set(answers.map((a) => a.data.createServiceRequest.serviceRequest.id));
    expect(ids.size).toBe(1);
  });

  test('the answer is kept by what committed, not by what the answer says', async () => {
    // user text that looks like an error code must not free the key
    const key = `text-${Date.now()}`;
    const input = { ...COMPLETE_REQUEST, description: 'INTERNAL_SERVER_ERROR' };
    const first = await t.gql('CUSTOMER_ACME', CREATE, { input }, { 'idempotency-key': key });
    const again = await t.gql('CUSTOMER_ACME', CREATE, { input }, { 'idempotency-key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(first.data);

    // two mutations, the first commits and the second is refused: the whole answer is kept, nothing runs twice
    const sr = await createRequest(t);
    const pair = `mutation($input: CreateServiceRequestInput!, $id: ID!) {
      a: createServiceRequest(input: $input) { serviceRequest { id } userErrors { code } }
      b: acceptServiceRequest(input: { id: $id, targetDepartmentId: "x" }) { userErrors { code } } }`;
    const before = await t.dataSource.getRepository(ServiceRequest).count();
    const p1 = await t.gql('CUSTOMER_ACME', pair, { input: COMPLETE_REQUEST, id: sr.id }, { 'idempotency-key': `${key}-pair` });
    expect(p1.data.b.userErrors[0].code).toBe('INVALID_TRANSITION');
    const p2 = await t.gql('CUSTOMER_ACME', pair, { input: COMPLETE_REQUEST, id: sr.id }, { 'idempotency-key': `${key}-pair` });
    expect(p2.headers.get('idempotent-replayed')).toBe('true');
    expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(before + 1);

    // a transition that committed is replayed, so a blind retry does not meet INVALID_TRANSITION
    const submit = `mutation($id: ID!) { submitServiceRequest(input: { id: $id }) { userErrors { code } } }`;
    const submitted = await t.gql('CUSTOMER_ACME', submit, { id: sr.id }, { 'idempotency-key': `${key}-submit` });
    expect(submitted.data.submitServiceRequest.userErrors).toEqual([]);
    const retried = await t.gql('CUSTOMER_ACME', submit, { id: sr.id }, { 'idempotency-key': `${key}-submit` });
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.data).toEqual(submitted.data);
    // a request whose only mutation was refused changed nothing, so its key does not pin the refusal
    const bad = `mutation($id: ID!) { cancelServiceRequest(input: { id: $id, reason: "   " }) { userErrors { code } } }`;
    await t.gql('CUSTOMER_ACME', bad, { id: sr.id }, { 'idempotency-key': `${key}-invalid` });
    const badAgain = await t.gql('CUSTOMER_ACME', bad, { id: sr.id }, { 'idempotency-key': `${key}-invalid` });
    expect(badAgain.headers.get('idempotent-replayed')).toBeNull();
    expect(badAgain.data.cancelServiceRequest.userErrors).toEqual([{ code: 'VALIDATION' }]);
  });

  test('a key abandoned by a crashed process: taken over if nothing was applied, refused if its mutation committed (applied_at)', async () => {
    const callerId = t.ids.users.CUSTOMER_ACME;
    const old = new Date(Date.now() - 5 * 60_000);
    const insertRunning = (key: string, hash: string) =>
      t.owner.query(`INSERT INTO idempotency_record (caller_id, key, request_hash, status, created_at, expires_at) VALUES ($1, $2, $3, 'RUNNING', $4, $5)`, [callerId, key, hash, old, new Date(Date.now() + 3600_000)]);
    const { requestHash } = await import('../../src/graphql/idempotency');
    const { markApplied } = await import('../../src/workflow/outbox');
    const body = { query: CREATE, variables: { input: COMPLETE_REQUEST } };
    const appliedAt = async (key: string) => (await t.owner.query(`SELECT applied_at FROM idempotency_record WHERE caller_id = $1 AND key = $2`, [callerId, key]))[0]?.applied_at ?? null;

    // nothing applied: the next request with the key runs
    await insertRunning('abandoned-1', requestHash(body));
    const taken = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': 'abandoned-1' });
    expect(taken.data.createServiceRequest.userErrors).toEqual([]);

    // the mutation's transaction marked the key and committed, then the process died before storing the answer
    await insertRunning('abandoned-2', requestHash(body));
    await t.dataSource.transaction((manager) => markApplied(manager, callerId, 'abandoned-2'));
    expect(await appliedAt('abandoned-2')).toBeInstanceOf(Date);
    const before = await t.dataSource.getRepository(ServiceRequest).count();
    const lost = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': 'abandoned-2' });
    expect(lost.data.createServiceRequest).toEqual({ serviceRequest: null, userErrors: [{ code: 'IDEMPOTENCY_CONFLICT', message: expect.stringContaining('answer was lost'), field: null }] });
    expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(before);

    // marked, but the transaction rolled back: nothing was applied, so the key is taken over
    await insertRunning('abandoned-3', requestHash(body));
    await expect(
      t.dataSource.transaction(async (manager) => {
        await markApplied(manager, callerId, 'abandoned-3');
        throw new Error('the mutation failed after marking');
      }),
    ).rejects.toThrow('failed after marking');
    expect(await appliedAt('abandoned-3')).toBeNull();
    const retaken = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': 'abandoned-3' });
    expect(retaken.data.createServiceRequest.userErrors).toEqual([]);
    expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(before + 1);
  });

  test('an abandoned key whose mutation is committing right now is not taken over: the retry waits for its commit, then refuses', async () => {
    const callerId = t.ids.users.CUSTOMER_ACME;
    const { requestHash } = await import('../../src/graphql/idempotency');
    const { markApplied } = await import('../../src/workflow/outbox');
    const body = { query: CREATE, variables: { input: COMPLETE_REQUEST } };
    await t.owner.query(`INSERT INTO idempotency_record (caller_id, key, request_hash, status, created_at, expires_at) VALUES ($1, 'committing', $2, 'RUNNING', $3, $4)`, [
      callerId,
      requestHash(body),
      new Date(Date.now() - 5 * 60_000),
      new Date(Date.now() + 3600_000),
    ]);
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await markApplied(runner.manager, callerId, 'committing');
      const retry = t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': 'committing' });
      // wait (bounded) until the retry is blocked on the key's row, which the open transaction holds
      const deadline = Date.now() + 5_000;
      while ((await t.owner.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%idempotency_record%'`)).length === 0) {
        if (Date.now() > deadline) throw new Error('the take-over never waited for the open transaction');
        await new Promise((r) => setTimeout(r, 20));
      }
      await runner.commitTransaction();
      expect((await retry).data.createServiceRequest.userErrors).toEqual([{ code: 'IDEMPOTENCY_CONFLICT', message: expect.stringContaining('answer was lost'), field: null }]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  test('persisted queries are off: a hash-only body cannot slip a mutation past its key', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.CUSTOMER_ACME}`, 'idempotency-key': 'apq-1' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    });
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  test('a malformed key is refused before anything runs', async () => {
    const res = await t.gql('CUSTOMER_ACME', CREATE, { input: COMPLETE_REQUEST }, { 'idempotency-key': 'x'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  });
});

describe('abuse limits', () => {
  const auditRows = () => t.dataSource.getRepository(AuditEvent).count();

  test.each([
    ['too many aliases', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { name }`).join(' ')} }`, /aliases/i],
    ['too many tokens', `{ me { ${'name '.repeat(2100)} } }`, /token/i],
    ['too many directives', `{ me { name ${'@include(if: true) '.repeat(21)} } }`, /directives/i],
  ])('a query with %s is refused with a clear error before it runs', async (_name, query, message) => {
    const res = await t.gql('AGENT', query);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].message).toMatch(message);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('depth and cost limits refuse a query before any resolver runs (on a server with low limits)', async () => {
    const strict = await startTestApi({ limits: { maxDepth: 4, maxAliases: 15, maxTokens: 2000, maxDirectives: 20, maxCost: 60 } });
    try {
      const shallow = await strict.gql('AGENT', `{ me { department { code } } }`);
      expect(shallow.errors).toBeUndefined();
      const deep = await strict.gql('AGENT', `{ serviceRequests { edges { node { createdBy { department { code } } } } } }`);
      expect(deep.data).toBeUndefined();
      expect(deep.errors?.[0]).toMatchObject({ message: expect.stringMatching(/depth/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      const costly = await strict.gql('AGENT', `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: departments { code name active }`).join(' ')} }`);
      expect(costly.errors?.[0]).toMatchObject({ message: expect.stringMatching(/cost/i) });
      expect(costly.data).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  test('batched requests are refused', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.AGENT}` },
      body: JSON.stringify([{ query: '{ me { name } }' }, { query: '{ me { name } }' }]),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/"data"/);
  });
});

describe('production mode', () => {
  test('no introspection, no field suggestions, and limit rejections run no SQL at all', async () => {
    const prod = await startTestApi({ production: true, tokenCacheMs: 60_000 });
    try {
      expect((await prod.gql('AGENT', '{ me { name } }')).errors).toBeUndefined(); // warms the token cache
      const { result, statements } = await countStatements(async () => ({
        introspection: await prod.gql('AGENT', '{ __schema { types { name } } }'),
        suggestion: await prod.gql('AGENT', '{ me { nam } }'),
        aliases: await prod.gql('AGENT', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { name }`).join(' ')} }`),
        tokens: await prod.gql('AGENT', `{ me { ${'name '.repeat(2100)} } }`),
      }));
      expect(result.introspection.errors?.[0].message).toMatch(/introspection/i);
      expect(result.suggestion.errors?.[0].message).not.toMatch(/Did you mean/);
      expect(result.aliases.errors?.[0].message).toMatch(/aliases/i);
      expect(result.tokens.errors?.[0].message).toMatch(/token/i);
      expect(statements).toEqual([]);
      // and the same server does run SQL for a real query (the counter works)
      const real = await countStatements(() => prod.gql('AGENT', '{ serviceRequests(first: 1) { totalCount } }'));
      expect(real.statements.length).toBeGreaterThan(0);
    } finally {
      await prod.close();
    }
  });

  test('development mode suggests fields (the production check above is not vacuous)', async () => {
    expect((await t.gql('AGENT', '{ me { nam } }')).errors?.[0].message).toMatch(/Did you mean "name"/);
  });
});

describe('hostile input', () => {
  test.each([
    ['a wrong enum value', { ...COMPLETE_REQUEST, urgency: 'APOCALYPTIC' }, 'urgency'],
    ['a date that is not a date', { ...COMPLETE_REQUEST, expectedFrom: '2026-13-45T99:00:00Z' }, 'expectedFrom'],
    ['a date PostgreSQL cannot store', { ...COMPLETE_REQUEST, expectedFrom: '294277-01-01T00:00:00Z' }, 'expectedFrom'],
    ['a number where text belongs', { ...COMPLETE_REQUEST, description: 42 }, 'description'],
    ['an amount with fractions of a fen', { ...COMPLETE_REQUEST, customerId: 'x', channel: 'PHONE', estimatedAmount: 10.001 }, 'estimatedAmount'],
    ['a negative distance', { ...COMPLETE_REQUEST, siteDistanceKm: -5 }, 'siteDistanceKm'],
    ['NUL inside a description', { ...COMPLETE_REQUEST, description: 'pump\u0000broken' }, 'description'],
    ['a lone surrogate in an address', { ...COMPLETE_REQUEST, address: 'Road \uDC00' }, 'address'],
    ['a description over 5000 characters of a CJK extension plane', { ...COMPLETE_REQUEST, description: '𠀀'.repeat(5001) }, 'description'],
  ])('%s: a VALIDATION error naming the field, never a 500, nothing written', async (_name, input, field) => {
    const before = await t.dataSource.getRepository(ServiceRequest).count();
    const who = 'customerId' in input ? 'AGENT' : 'CUSTOMER_ACME';
    const res = await t.gql(who, CREATE, { input });
    expect(res.status).toBeLessThan(500);
    const problems = res.errors ?? res.data?.createServiceRequest?.userErrors;
    expect(JSON.stringify(problems)).toContain(field);
    const codes = (res.errors ?? []).map((e) => e.extensions?.code).concat((res.data?.createServiceRequest?.userErrors ?? []).map((e: any) => e.code));
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'VALIDATION')).toBe(true);
    const fields = (res.errors ?? []).map((e) => e.extensions?.field).concat((res.data?.createServiceRequest?.userErrors ?? []).map((e: any) => e.field));
    expect(fields).toContain(field);
    expect(JSON.stringify(res)).not.toMatch(/QueryFailedError|at \/|\.ts:\d|stack/);
    expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(before);
  });

  test('exactly 5000 CJK extension characters fit (PostgreSQL counts them as one each)', async () => {
    const sr = await createRequest(t, 'CUSTOMER_ACME', { description: '𠀀'.repeat(5000) });
    const [{ n }] = await t.dataSource.query('SELECT char_length(description) AS n FROM service_request WHERE number = $1', [sr.number]);
    expect(n).toBe(5000);
  });
});
