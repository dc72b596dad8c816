/**
 * The service request over HTTP with demo tokens, on the embedded PostgreSQL:
 * the lifecycle, every refusal this document can produce, and what a refusal
 * leaves behind (nothing).
 */
import { ServiceRequest } from '../../src/documents/service-request/service-request.entity';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { idOf, toGlobalId } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { createRequest, send, submittedRequest } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const HISTORY = `history(first: 100) { nodes { seq event fromState toState version actor { name } actorRoles reason changes hash prevHash } }`;

async function row(id: string) {
  return t.dataSource.getRepository(ServiceRequest).findOneByOrFail({ id: idOf(id, 'ServiceRequest')! });
}
async function auditCount(id: string) {
  return t.dataSource.getRepository(AuditEvent).countBy({ documentId: idOf(id, 'ServiceRequest')! });
}

/** Asserts that the mutation was refused with `code` and that state, version, fields and history are exactly as before. */
async function expectRefusedUnchanged<R extends { userErrors: Array<{ code: string }> }>(id: string, code: string, act: () => Promise<R>): Promise<R> {
  const before = await row(id);
  const events = await auditCount(id);
  const out = await act();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await row(id)).toEqual(before);
  expect(await auditCount(id)).toBe(events);
  return out;
}

describe('service request lifecycle', () => {
  test('create → submit → return → resubmit (amended) → accept, with every step in the history', async () => {
    const sr = await createRequest(t, 'CUSTOMER_ACME', { contactPhone: null });
    expect(sr.number).toMatch(/^SR-\d{4}-\d{6}$/);
    expect(sr).toMatchObject({ state: 'DRAFT', version: 1, channel: 'ONLINE', customer: { code: 'ACME' } });

    // the phone is missing: SUBMIT's rule refuses
    const missing = await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id });
    expect(missing.userErrors).toEqual([{ code: 'GUARD_FAILED', field: null, message: expect.stringContaining('contact name and phone') }]);

    const updated = await send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: sr.id, contactPhone: '+86 21 5555 0101', expectedVersion: 1 });
    expect(updated.userErrors).toEqual([]);
    expect(updated.serviceRequest.version).toBe(2);

    const submitted = await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id, expectedVersion: 2 });
    expect(submitted.serviceRequest).toMatchObject({ state: 'SUBMITTED', version: 3 });

    const returned = await send(t, 'AGENT', 'returnServiceRequest', { id: sr.id, reason: 'Please give the pump model and serial number.' });
    expect(returned.serviceRequest).toMatchObject({ state: 'RETURNED', returnReason: 'Please give the pump model and serial number.' });

    const resubmitted = await send(t, 'CUSTOMER_ACME', 'resubmitServiceRequest', { id: sr.id, description: 'Feed pump KSB Etanorm 50-200, serial 4711, stopped.' });
    expect(resubmitted.serviceRequest).toMatchObject({ state: 'SUBMITTED', description: 'Feed pump KSB Etanorm 50-200, serial 4711, stopped.' });

    const accepted = await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH'), urgency: 'URGENT', internalNote: 'known pump model' });
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.serviceRequest).toMatchObject({ state: 'ACCEPTED', urgency: 'URGENT', flagged: true, targetDepartment: { code: 'TECH' }, version: 6 });

    const res = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { ${HISTORY} } verifyAuditChain(documentId: $id) { valid eventCount brokenAtSeq } }`, { id: sr.id });
    const history = res.data.serviceRequest.history.nodes;
    expect(history.map((h: any) => [h.seq, h.event, h.fromState, h.toState, h.version])).toEqual([
      [1, 'CREATE', null, 'DRAFT', 1],
      [2, 'UPDATE', 'DRAFT', 'DRAFT', 2],
      [3, 'SUBMIT', 'DRAFT', 'SUBMITTED', 3],
      [4, 'RETURN', 'SUBMITTED', 'RETURNED', 4],
      [5, 'RESUBMIT', 'RETURNED', 'SUBMITTED', 5],
      [6, 'ACCEPT', 'SUBMITTED', 'ACCEPTED', 6],
    ]);
    expect(history[1].changes).toEqual({ contactPhone: { from: null, to: '+86 21 5555 0101' } });
    expect(history[3]).toMatchObject({ reason: 'Please give the pump model and serial number.', actor: { name: 'Li Na (客服)' }, actorRoles: ['AGENT'] });
    expect(history[5].changes).toMatchObject({ urgency: { from: 'NORMAL', to: 'URGENT' }, internalNote: { from: null, to: 'known pump model' } });
    history.slice(1).forEach((h: any, i: number) => expect(h.prevHash).toBe(history[i].hash));
    expect(res.data.verifyAuditChain).toEqual({ valid: true, eventCount: 6, brokenAtSeq: null });
  });

  test('reject closes a submitted request for good', async () => {
    const sr = await submittedRequest(t);
    const out = await send(t, 'AGENT', 'rejectServiceRequest', { id: sr.id, reason: 'We do not service third-party pumps.' });
    expect(out.serviceRequest).toMatchObject({ state: 'REJECTED', rejectionReason: 'We do not service third-party pumps.' });
    for (const m of ['acceptServiceRequest', 'submitServiceRequest', 'cancelServiceRequest']) {
      const input = m === 'acceptServiceRequest' ? { id: sr.id, targetDepartmentId: t.gid.department('TECH') } : m === 'cancelServiceRequest' ? { id: sr.id, reason: 'x' } : { id: sr.id };
      await expectRefusedUnchanged(sr.id, 'INVALID_TRANSITION', () => send(t, 'AGENT', m, input));
    }
  });

  test.each(['DRAFT', 'SUBMITTED', 'RETURNED', 'ACCEPTED'])('cancel from %s, by the creator or an agent, with a reason', async (state) => {
    const sr = await createRequest(t);
    if (state !== 'DRAFT') await send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id });
    if (state === 'RETURNED') await send(t, 'AGENT', 'returnServiceRequest', { id: sr.id, reason: 'more detail' });
    if (state === 'ACCEPTED') await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
    expect((await row(sr.id)).state).toBe(state);
    const who = state === 'ACCEPTED' ? 'AGENT' : 'CUSTOMER_ACME';
    const out = await send(t, who, 'cancelServiceRequest', { id: sr.id, reason: 'The pump restarted by itself.' });
    expect(out.userErrors).toEqual([]);
    expect(out.serviceRequest).toMatchObject({ state: 'CANCELLED', cancellationReason: 'The pump restarted by itself.' });
  });

  test('an agent files on a customer\'s behalf by phone; an automation with the AGENT role acts and is recorded as itself', async () => {
    const sr = await createRequest(t, 'AGENT', { channel: 'PAPER', estimatedAmount: 1200.5, complexity: 'COMPLEX' });
    expect(sr).toMatchObject({ channel: 'PAPER', estimatedAmount: 1200.5, complexity: 'COMPLEX', customer: { code: 'ACME' } });
    await send(t, 'AGENT', 'submitServiceRequest', { id: sr.id });
    const out = await send(t, 'AUTOMATION_DISPATCH', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
    expect(out.userErrors).toEqual([]);
    const res = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { history(first: 100) { nodes { event actor { id name } } } } }`, { id: sr.id });
    expect(res.data.serviceRequest.history.nodes.at(-1)).toEqual({ event: 'ACCEPT', actor: { id: t.gid.user('AUTOMATION_DISPATCH'), name: 'dispatch-bot' } });
  });

  test('numbers are unique and consecutive under concurrent creation', async () => {
    const created = await Promise.all(Array.from({ length: 12 }, () => createRequest(t)));
    const numbers = created.map((c) => Number(c.number.split('-')[2])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(12);
    expect(numbers.at(-1)! - numbers[0]).toBe(11);
  });
});

describe('refusals: a userErrors code, and nothing changed', () => {
  test('NOT_FOUND: an unknown id, a malformed id, an id of another type', async () => {
    for (const id of [toGlobalId('ServiceRequest', '00000000-0000-4000-8000-000000000000'), 'not-an-id', t.gid.customer('ACME')]) {
      const out = await send(t, 'AGENT', 'submitServiceRequest', { id });
      expect(out).toEqual({ serviceRequest: null, userErrors: [{ code: 'NOT_FOUND', message: 'No document with this id.', field: 'id' }] });
    }
  });

  test('FORBIDDEN: a customer acting as customer service, a colleague who is not the creator, a customer filing for another organisation or setting costs', async () => {
    const sr = await submittedRequest(t);
    const out = await expectRefusedUnchanged(sr.id, 'FORBIDDEN', () => send(t, 'CUSTOMER_ACME', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') }));
    expect(out.serviceRequest).toMatchObject({ state: 'SUBMITTED' });
    await expectRefusedUnchanged(sr.id, 'FORBIDDEN', () => send(t, 'CUSTOMER_ACME_2', 'cancelServiceRequest', { id: sr.id, reason: 'not mine to cancel' }));

    const before = await t.dataSource.getRepository(ServiceRequest).count();
    for (const input of [{ customerId: t.gid.customer('HUAXIA') }, { estimatedAmount: 10 }, { internalNote: 'hi' }]) {
      const res = await t.gql('CUSTOMER_ACME', `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } userErrors { code field } } }`, {
        input: { category: 'AFTER_SALES', serviceType: 'REPAIR', ...input },
      });
      expect(res.data.createServiceRequest).toEqual({ serviceRequest: null, userErrors: [{ code: 'FORBIDDEN', field: Object.keys(input)[0] }] });
    }
    const res = await t.gql('TECHNICIAN', `mutation { createServiceRequest(input: { category: AFTER_SALES, serviceType: REPAIR }) { serviceRequest { id } userErrors { code } } }`);
    expect(res.data.createServiceRequest.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(before);
  });

  test('INVALID_TRANSITION: an event the state does not accept', async () => {
    const sr = await submittedRequest(t);
    const out = await expectRefusedUnchanged(sr.id, 'INVALID_TRANSITION', () => send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id }));
    expect(out.userErrors[0]).toMatchObject({ message: 'SUBMIT is not allowed while the ServiceRequest is SUBMITTED.' });
  });

  test('GUARD_FAILED: submitting without the required fields', async () => {
    const sr = await createRequest(t, 'CUSTOMER_ACME', { address: '   ', expectedTo: null });
    await expectRefusedUnchanged(sr.id, 'GUARD_FAILED', () => send(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id }));
  });

  test('STALE_VERSION: expectedVersion behind the document', async () => {
    const sr = await submittedRequest(t);
    const out = await expectRefusedUnchanged(sr.id, 'STALE_VERSION', () => send(t, 'AGENT', 'returnServiceRequest', { id: sr.id, reason: 'x', expectedVersion: 1 }));
    expect(out.userErrors[0]).toMatchObject({ field: 'expectedVersion' });
    expect(out.serviceRequest).toMatchObject({ version: 2, state: 'SUBMITTED' });
  });

  test.each([
    ['a blank reason', { reason: '   ' }, 'reason'],
    ['a reason over 2000 characters (counted as PostgreSQL counts: emoji are one)', { reason: '😀'.repeat(2001) }, 'reason'],
    ['a NUL character', { reason: 'bad\u0000reason' }, 'reason'],
    ['a lone surrogate', { reason: 'bad\uD800reason' }, 'reason'],
    ['a comment over the limit', { reason: 'ok', comment: 'x'.repeat(2001) }, 'comment'],
  ])('VALIDATION: %s', async (_name, input, field) => {
    const sr = await submittedRequest(t);
    const out = await expectRefusedUnchanged(sr.id, 'VALIDATION', () => send(t, 'AGENT', 'returnServiceRequest', { id: sr.id, ...input }));
    expect(out.userErrors[0].field).toBe(field);
  });

  test('a reason of exactly 2000 emoji is accepted (the limit is in characters, not UTF-16 units)', async () => {
    const sr = await submittedRequest(t);
    const out = await send(t, 'AGENT', 'returnServiceRequest', { id: sr.id, reason: '😀'.repeat(2000) });
    expect(out.userErrors).toEqual([]);
    expect(out.serviceRequest.returnReason).toHaveLength(4000);
  });

  test('VALIDATION: a department that does not exist, a window that ends before it starts', async () => {
    const sr = await submittedRequest(t);
    await expectRefusedUnchanged(sr.id, 'VALIDATION', () => send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: toGlobalId('Department', '00000000-0000-4000-8000-000000000000') }));
    const draft = await createRequest(t);
    const out = await expectRefusedUnchanged(draft.id, 'VALIDATION', () => send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: draft.id, expectedTo: '2026-11-30T00:00:00.000Z' }));
    expect(out.userErrors[0].field).toBe('expectedTo');
    // fields that always hold a value may be changed, not cleared (a NOT NULL column must never see null)
    for (const field of ['category', 'serviceType', 'urgency']) {
      const cleared = await expectRefusedUnchanged(draft.id, 'VALIDATION', () => send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: draft.id, [field]: null }));
      expect(cleared.userErrors[0].field).toBe(field);
    }
    const clearedComplexity = await t.gql('AGENT', `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { userErrors { code field } } }`, {
      input: { category: 'AFTER_SALES', serviceType: 'REPAIR', customerId: t.gid.customer('ACME'), channel: 'PHONE', complexity: null },
    });
    expect(clearedComplexity.data.createServiceRequest.userErrors).toEqual([{ code: 'VALIDATION', field: 'complexity' }]);
  });

  test('the code order: visibility first, then version, then the machine, then permission', async () => {
    const sr = await submittedRequest(t);
    // another organisation's customer learns nothing, not even the version
    expect((await send(t, 'CUSTOMER_HUAXIA', 'submitServiceRequest', { id: sr.id, expectedVersion: 99 })).userErrors[0].code).toBe('NOT_FOUND');
    expect((await send(t, 'CUSTOMER_ACME', 'acceptServiceRequest', { id: sr.id, expectedVersion: 99, targetDepartmentId: 'x' })).userErrors[0].code).toBe('STALE_VERSION');
    expect((await send(t, 'CUSTOMER_ACME', 'resubmitServiceRequest', { id: sr.id })).userErrors[0].code).toBe('INVALID_TRANSITION');
    // a customer who may not accept learns nothing about the department they named
    expect((await send(t, 'CUSTOMER_ACME', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: 'x' })).userErrors[0].code).toBe('FORBIDDEN');
  });
});

describe('visibility of service requests', () => {
  test('a customer of another organisation gets exactly what a missing id gets: on serviceRequest, node, the list and mutations', async () => {
    const sr = await createRequest(t, 'CUSTOMER_ACME');
    const missing = toGlobalId('ServiceRequest', '00000000-0000-4000-8000-000000000001');
    const read = (id: string) => t.gql('CUSTOMER_HUAXIA', `query($id: ID!) { serviceRequest(id: $id) { id } node(id: $id) { id } verifyAuditChain(documentId: $id) { valid } }`, { id });
    const [theirs, none] = await Promise.all([read(sr.id), read(missing)]);
    expect(theirs.data).toEqual({ serviceRequest: null, node: null, verifyAuditChain: null });
    expect(theirs.data).toEqual(none.data);

    const list = await t.gql('CUSTOMER_HUAXIA', `{ serviceRequests(first: 100) { totalCount nodes { id customer { code } } } }`);
    expect(list.data.serviceRequests.nodes.map((n: any) => n.id)).not.toContain(sr.id);
    expect(list.data.serviceRequests.nodes.every((n: any) => n.customer.code === 'HUAXIA')).toBe(true);
    expect(list.data.serviceRequests.totalCount).toBe(list.data.serviceRequests.nodes.length);

    const [m1, m2] = await Promise.all([
      send(t, 'CUSTOMER_HUAXIA', 'cancelServiceRequest', { id: sr.id, reason: 'x' }),
      send(t, 'CUSTOMER_HUAXIA', 'cancelServiceRequest', { id: missing, reason: 'x' }),
    ]);
    expect(m1).toEqual(m2);

    const own = await t.gql('CUSTOMER_ACME', `query($id: ID!) { serviceRequest(id: $id) { id } node(id: $id) { id ... on ServiceRequest { number } } }`, { id: sr.id });
    expect(own.data.serviceRequest.id).toBe(sr.id);
    expect(own.data.node).toEqual({ id: sr.id, number: sr.number });
  });

  test('a supervisor sees the requests routed to their department only; technicians and admins see none yet', async () => {
    const sr = await submittedRequest(t);
    const q = `query($id: ID!) { serviceRequest(id: $id) { id } }`;
    expect((await t.gql('SUPERVISOR_TECH', q, { id: sr.id })).data.serviceRequest).toBeNull();
    await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
    expect((await t.gql('SUPERVISOR_TECH', q, { id: sr.id })).data.serviceRequest).toEqual({ id: sr.id });
    expect((await t.gql('SUPERVISOR_SALES', q, { id: sr.id })).data.serviceRequest).toBeNull();
    expect((await t.gql('EXECUTIVE', q, { id: sr.id })).data.serviceRequest).toEqual({ id: sr.id });
    expect((await t.gql('TECHNICIAN', q, { id: sr.id })).data.serviceRequest).toBeNull();
    expect((await t.gql('ADMIN', q, { id: sr.id })).data.serviceRequest).toBeNull();
    expect((await t.gql('ARCHIVIST', q, { id: sr.id })).data.serviceRequest).toBeNull();
  });

  test('portal users never see costs, complexity or internal notes, not even in history', async () => {
    const sr = await createRequest(t, 'AGENT', { estimatedAmount: 88000, complexity: 'COMPLEX', internalNote: 'customer is difficult' });
    const q = `query($id: ID!) { serviceRequest(id: $id) { estimatedAmount complexity internalNote customer { tier } history(first: 100) { nodes { changes } } } }`;
    const customer = await t.gql('CUSTOMER_ACME', q, { id: sr.id });
    expect(customer.data.serviceRequest).toMatchObject({ estimatedAmount: null, complexity: null, internalNote: null, customer: { tier: null } });
    expect(JSON.stringify(customer.data.serviceRequest.history.nodes)).not.toMatch(/88000|difficult|COMPLEX|estimatedAmount|internalNote/);
    const agent = await t.gql('AGENT', q, { id: sr.id });
    expect(agent.data.serviceRequest).toMatchObject({ estimatedAmount: 88000, complexity: 'COMPLEX', internalNote: 'customer is difficult', customer: { tier: 'STANDARD' } });
  });

  test('availableEvents tells each caller what they may do, and why not', async () => {
    const sr = await submittedRequest(t);
    const q = `query($id: ID!) { serviceRequest(id: $id) { availableEvents { event mutation allowed code reason } } }`;
    const byEvent = async (who: string) => Object.fromEntries((await t.gql(who, q, { id: sr.id })).data.serviceRequest.availableEvents.map((e: any) => [e.event, e]));
    const agent = await byEvent('AGENT');
    const customer = await byEvent('CUSTOMER_ACME');
    expect(Object.keys(agent).sort()).toEqual(['ACCEPT', 'ARCHIVE', 'CANCEL', 'CLOSE_FOLLOW_UP', 'RECORD_RETURN_VISIT', 'REJECT', 'RESUBMIT', 'RETURN', 'SUBMIT', 'UPDATE']);
    expect(agent.ACCEPT).toEqual({ event: 'ACCEPT', mutation: 'acceptServiceRequest', allowed: true, code: null, reason: null });
    expect(customer.ACCEPT).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(customer.CANCEL).toMatchObject({ allowed: true });
    expect(customer.SUBMIT).toMatchObject({ allowed: false, code: 'INVALID_TRANSITION' });
  });
});

describe('lists', () => {
  let ids: string[];
  beforeAll(async () => {
    ids = [];
    for (const urgency of ['NORMAL', 'CRITICAL', 'URGENT', 'NORMAL', 'CRITICAL']) ids.push((await createRequest(t, 'CUSTOMER_HUAXIA', { urgency, description: `list-test ${urgency}` })).id);
  });
  const LIST = `query($first: Int, $after: String, $filter: ServiceRequestFilter, $orderBy: ServiceRequestOrder) {
    serviceRequests(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id urgency } } } }`;

  test('cursor pages cover the list once, newest first, with totalCount of all matches', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: any = await t.gql('CUSTOMER_HUAXIA', LIST, { first: 2, after });
      const conn = res.data.serviceRequests;
      expect(conn.totalCount).toBe(5);
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  test('PRIORITY puts critical, then urgent, then normal first, oldest first within each', async () => {
    const res = await t.gql('CUSTOMER_HUAXIA', LIST, { first: 10, orderBy: 'PRIORITY' });
    expect(res.data.serviceRequests.edges.map((e: any) => e.node.id)).toEqual([ids[1], ids[4], ids[2], ids[0], ids[3]]);
    const page2 = await t.gql('CUSTOMER_HUAXIA', LIST, { first: 2, orderBy: 'PRIORITY', after: res.data.serviceRequests.edges[1].cursor });
    expect(page2.data.serviceRequests.edges.map((e: any) => e.node.id)).toEqual([ids[2], ids[0]]);
  });

  test('filters combine: state, urgency, customer, date range', async () => {
    const res = await t.gql('AGENT', LIST, { first: 50, filter: { state: ['DRAFT'], urgency: ['CRITICAL'], customerId: t.gid.customer('HUAXIA'), createdFrom: '2020-01-01T00:00:00Z' } });
    expect(res.data.serviceRequests.edges.map((e: any) => e.node.id).sort()).toEqual([ids[1], ids[4]].sort());
    const none = await t.gql('AGENT', LIST, { first: 50, filter: { customerId: t.gid.department('TECH') } });
    expect(none.data.serviceRequests.totalCount).toBe(0);
    const future = await t.gql('AGENT', LIST, { first: 50, filter: { createdFrom: '2199-01-01T00:00:00Z' } });
    expect(future.data.serviceRequests.totalCount).toBe(0);
  });

  test('a page larger than the cap, a forged cursor and a date out of range are clear VALIDATION errors', async () => {
    const forge = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    for (const variables of [
      { first: 101 },
      { first: -1 },
      { after: 'forged' },
      { after: forge(['garbage', 'x']) },
      { after: forge(['2026-01-01T00:00:00Z', 'not-a-uuid']) },
      { after: forge([1e300, '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000']), orderBy: 'PRIORITY' },
      { filter: { createdFrom: '9999-01-01T00:00:00Z' } },
    ]) {
      const res = await t.gql('AGENT', LIST, variables);
      expect({ variables, code: res.errors?.[0].extensions?.code }).toEqual({ variables, code: 'VALIDATION' });
      expect(JSON.stringify(res.errors)).not.toMatch(/at .*\.ts|QueryFailedError|stack/);
    }
  });
});

describe('concurrency', () => {
  test('two accepts of the same request at the same moment: exactly one succeeds, the history shows one', async () => {
    const sr = await submittedRequest(t);
    const outcomes = await Promise.all(
      ['AGENT', 'AGENT_2'].map((who) => send(t, who, 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH'), expectedVersion: 2 })),
    );
    const codes = outcomes.map((o) => o.userErrors[0]?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'STALE_VERSION')).toHaveLength(1);
    const res = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { version history(first: 100) { nodes { event } } } }`, { id: sr.id });
    expect(res.data.serviceRequest.history.nodes.filter((h: any) => h.event === 'ACCEPT')).toHaveLength(1);
    expect(res.data.serviceRequest.version).toBe(3);
  });

  test('ten racing events on one request: versions stay contiguous and the chain verifies', async () => {
    const sr = await createRequest(t);
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: sr.id, specialRequirements: `note ${i}` })));
    const res = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { version history(first: 100) { nodes { seq version } } } verifyAuditChain(documentId: $id) { valid eventCount } }`, { id: sr.id });
    expect(res.data.serviceRequest.version).toBe(11);
    expect(res.data.serviceRequest.history.nodes.map((h: any) => h.version)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(res.data.verifyAuditChain).toEqual({ valid: true, eventCount: 11 });
  });
});

describe('audit chain', () => {
  test('the app role cannot alter the trail; an event altered by a superuser is found', async () => {
    const sr = await submittedRequest(t);
    await send(t, 'AGENT', 'returnServiceRequest', { id: sr.id, reason: 'original reason' });
    const documentId = idOf(sr.id, 'ServiceRequest');
    // the application's own role may not alter the trail: PostgreSQL refuses
    for (const sql of [`UPDATE audit_event SET reason = 'forged' WHERE document_id = $1`, `DELETE FROM audit_event WHERE document_id = $1`]) {
      await expect(t.dataSource.query(sql, [documentId])).rejects.toThrow(/permission denied/);
    }
    await expect(t.dataSource.query('TRUNCATE audit_event')).rejects.toThrow(/permission denied/);
    // a superuser can, and the chain says where
    await t.owner.query(`UPDATE audit_event SET reason = 'forged reason' WHERE document_id = $1 AND seq = 3`, [documentId]);
    const res = await t.gql('AGENT', `query($id: ID!) { verifyAuditChain(documentId: $id) { valid eventCount brokenAtSeq reason } }`, { id: sr.id });
    expect(res.data.verifyAuditChain).toMatchObject({ valid: false, eventCount: 3, brokenAtSeq: 3 });
  });
});
