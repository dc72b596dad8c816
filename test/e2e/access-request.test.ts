/** Access requests (SPEC §3.7): a grant widens reads until it expires or is revoked, and every read through it is logged. */
import { issueToken } from '../../src/auth/tokens';
import { expireAccessGrants } from '../../src/documents/access-request/access-request.expiry';
import { toGlobalId } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { send, submittedRequest } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const AR = `id number state version targetKind documentType documentId purpose grantedUntil decisionReason department { code }`;
const CREATE = `mutation($input: CreateAccessRequestInput!) { createAccessRequest(input: $input) { accessRequest { ${AR} } userErrors { code message field } } }`;
const READ_SR = `query($id: ID!) { serviceRequest(id: $id) { id number } node(id: $id) { id } }`;

async function ask(who: string, input: Record<string, unknown>) {
  const res = await t.gql(who, CREATE, { input: { purpose: 'Audit of the pump repair for the quality review', days: 7, ...input } });
  expect(res.errors).toBeUndefined();
  return res.data.createAccessRequest;
}

async function decide(who: string, mutation: string, input: Record<string, unknown>) {
  const type = mutation === 'grantAccessRequest' ? 'GrantAccessRequestInput' : mutation === 'withdrawAccessRequest' ? 'DocumentEventInput' : 'ReasonEventInput';
  const res = await t.gql(who, `mutation($input: ${type}!) { ${mutation}(input: $input) { accessRequest { ${AR} } userErrors { code message field } } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data[mutation];
}

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

async function acceptedRequest() {
  const sr = await submittedRequest(t);
  const accepted = await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
  expect(accepted.userErrors).toEqual([]);
  return sr;
}

test('a granted document becomes readable, each read is logged, and revoking closes it again at once', async () => {
  const sr = await acceptedRequest();
  expect((await t.gql('SUPERVISOR_SALES', READ_SR, { id: sr.id })).data).toEqual({ serviceRequest: null, node: null });

  const { accessRequest: ar, userErrors } = await ask('SUPERVISOR_SALES', { documentId: sr.id });
  expect(userErrors).toEqual([]);
  expect(ar).toMatchObject({ state: 'REQUESTED', targetKind: 'DOCUMENT', documentType: 'ServiceRequest', documentId: sr.id });
  expect(ar.number).toMatch(/^AR-\d{4}-\d{6}$/);

  const granted = await decide('SUPERVISOR_TECH', 'grantAccessRequest', { id: ar.id, expiresAt: inHours(24) });
  expect(granted.userErrors).toEqual([]);
  expect(granted.accessRequest.state).toBe('GRANTED');

  const read = await t.gql('SUPERVISOR_SALES', READ_SR, { id: sr.id }, { 'x-request-id': 'grant-read-1' });
  expect(read.data).toEqual({ serviceRequest: { id: sr.id, number: sr.number }, node: { id: sr.id } });
  await t.gql('SUPERVISOR_SALES', `query($id: ID!) { serviceRequest(id: $id) { history(first: 100) { nodes { event } } } }`, { id: sr.id }, { 'x-request-id': 'grant-read-2' });
  // a grant is for reading: events still need the normal audience
  expect((await send(t, 'SUPERVISOR_SALES', 'cancelServiceRequest', { id: sr.id, reason: 'x' })).userErrors[0].code).toBe('NOT_FOUND');

  const log = await t.gql('SUPERVISOR_TECH', `query($id: ID!) { node(id: $id) { ... on AccessRequest { reads { readerName documentType documentId requestId } } } }`, { id: ar.id });
  // one entry per request that read it (a request reading it twice, as serviceRequest and node, is one read), newest first
  expect(log.data.node.reads).toEqual(
    ['grant-read-2', 'grant-read-1'].map((requestId) => ({ readerName: 'Liu Yang (銷售部主管)', documentType: 'ServiceRequest', documentId: sr.id, requestId })),
  );
  // the owner's own reads are not reads through the grant
  const before = log.data.node.reads.length;
  await t.gql('SUPERVISOR_TECH', READ_SR, { id: sr.id });
  const after = await t.gql('SUPERVISOR_TECH', `query($id: ID!) { node(id: $id) { ... on AccessRequest { reads { readerName } } } }`, { id: ar.id });
  expect(after.data.node.reads).toHaveLength(before);

  const revoked = await decide('SUPERVISOR_TECH', 'revokeAccessRequest', { id: ar.id, reason: 'Review finished' });
  expect(revoked.accessRequest.state).toBe('REVOKED');
  expect((await t.gql('SUPERVISOR_SALES', READ_SR, { id: sr.id })).data).toEqual({ serviceRequest: null, node: null });
});

test('a department grant opens that department\'s documents in lists too, and logs each one read', async () => {
  const sr = await acceptedRequest();
  const { accessRequest: ar } = await ask('TECHNICIAN_2', { departmentId: t.gid.department('TECH') });
  await decide('SUPERVISOR_TECH', 'grantAccessRequest', { id: ar.id, expiresAt: inHours(1) });
  const list = await t.gql('TECHNICIAN_2', `{ serviceRequests(first: 100, filter: { departmentId: "${t.gid.department('TECH')}" }) { totalCount nodes { id } } }`);
  const ids = list.data.serviceRequests.nodes.map((n: any) => n.id);
  expect(ids).toContain(sr.id);
  expect(list.data.serviceRequests.totalCount).toBe(ids.length);
  const log = await t.gql('SUPERVISOR_TECH', `query($id: ID!) { node(id: $id) { ... on AccessRequest { reads { documentId } } } }`, { id: ar.id });
  expect(log.data.node.reads.map((r: any) => r.documentId).sort()).toEqual([...ids].sort());
});

test('who decides: the owning department\'s supervisor, never on their own request', async () => {
  const sr = await acceptedRequest();
  const { accessRequest: own } = await ask('SUPERVISOR_TECH', { documentId: sr.id });
  expect((await decide('SUPERVISOR_TECH', 'grantAccessRequest', { id: own.id, expiresAt: inHours(1) })).userErrors[0].code).toBe('SEGREGATION_OF_DUTIES');
  const { accessRequest: ar } = await ask('TECHNICIAN', { documentId: sr.id });
  // an agent sees every document, access requests included, but does not decide them
  expect((await decide('AGENT', 'grantAccessRequest', { id: ar.id, expiresAt: inHours(1) })).userErrors[0].code).toBe('FORBIDDEN');
  // another department's supervisor does not even see it
  expect((await decide('SUPERVISOR_SALES', 'denyAccessRequest', { id: ar.id, reason: 'no' })).userErrors[0].code).toBe('NOT_FOUND');
  const tooLong = await decide('SUPERVISOR_TECH', 'grantAccessRequest', { id: ar.id, expiresAt: inHours(24 * 91) });
  expect(tooLong.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'expiresAt' });
  const past = await decide('SUPERVISOR_TECH', 'grantAccessRequest', { id: ar.id, expiresAt: inHours(-1) });
  expect(past.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'expiresAt' });
  const denied = await decide('SUPERVISOR_TECH_2', 'denyAccessRequest', { id: ar.id, reason: 'Not needed for your work' });
  expect(denied.accessRequest).toMatchObject({ state: 'DENIED', decisionReason: 'Not needed for your work' });
  expect((await t.gql('TECHNICIAN', READ_SR, { id: sr.id })).data.serviceRequest).toBeNull();
});

test('asking reveals nothing: a missing document and a hidden one give the same answer', async () => {
  const sr = await acceptedRequest();
  const hidden = await ask('CUSTOMER_HUAXIA', { documentId: sr.id });
  const missing = await ask('CUSTOMER_HUAXIA', { documentId: toGlobalId('ServiceRequest', '00000000-0000-4000-8000-000000000009') });
  const shape = (x: any) => ({ state: x.accessRequest.state, userErrors: x.userErrors, targetKind: x.accessRequest.targetKind });
  expect(shape(hidden)).toEqual(shape(missing));
  const bad = await ask('CUSTOMER_HUAXIA', { documentId: t.gid.department('TECH') });
  expect(bad.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'documentId' });
  const both = await ask('CUSTOMER_HUAXIA', { documentId: sr.id, departmentId: t.gid.department('TECH') });
  expect(both.userErrors[0]).toMatchObject({ code: 'VALIDATION' });
});

test('a grant ends by itself at its expiry; the sweep records EXPIRED by the system', async () => {
  const sr = await acceptedRequest();
  const { accessRequest: ar } = await ask('TECHNICIAN', { documentId: sr.id });
  await decide('SUPERVISOR_TECH', 'grantAccessRequest', { id: ar.id, expiresAt: new Date(Date.now() + 1500).toISOString() });
  expect((await t.gql('TECHNICIAN', READ_SR, { id: sr.id })).data.serviceRequest).not.toBeNull();
  await new Promise((r) => setTimeout(r, 1700));
  expect((await t.gql('TECHNICIAN', READ_SR, { id: sr.id })).data.serviceRequest).toBeNull();
  expect(await expireAccessGrants(t.dataSource, t.api.engine)).toBeGreaterThanOrEqual(1);
  const res = await t.gql('TECHNICIAN', `query($id: ID!) { accessRequest(id: $id) { state history(first: 100) { nodes { event actor { name } } } } }`, { id: ar.id });
  expect(res.data.accessRequest.state).toBe('EXPIRED');
  expect(res.data.accessRequest.history.nodes.at(-1)).toEqual({ event: 'EXPIRE', actor: { name: 'system' } });
  expect(await expireAccessGrants(t.dataSource, t.api.engine)).toBe(0);
});

test('with tokens cached: a new grant opens on the next request (the cache drops the grantee on the grant\'s commit), a revocation closes at once', async () => {
  const cached = await startTestApi({ tokenCacheMs: 60_000 });
  try {
    const sr = (await cached.gql('CUSTOMER_ACME', `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } } }`, {
      input: { category: 'AFTER_SALES', serviceType: 'REPAIR', description: 'x', contactName: 'A', contactPhone: '1', address: 'a', expectedFrom: '2026-12-01T00:00:00Z', expectedTo: '2026-12-02T00:00:00Z' },
    })).data.createServiceRequest.serviceRequest;
    await cached.gql('CUSTOMER_ACME', `mutation($id: ID!) { submitServiceRequest(input: { id: $id }) { userErrors { code } } }`, { id: sr.id });
    await cached.gql('AGENT', `mutation($id: ID!, $d: ID!) { acceptServiceRequest(input: { id: $id, targetDepartmentId: $d }) { userErrors { code } } }`, { id: sr.id, d: cached.gid.department('TECH') });
    const ar = (await cached.gql('TECHNICIAN', CREATE, { input: { documentId: sr.id, purpose: 'audit', days: 1 } })).data.createAccessRequest.accessRequest;
    const granted = await cached.gql('SUPERVISOR_TECH', `mutation($id: ID!, $e: DateTimeISO!) { grantAccessRequest(input: { id: $id, expiresAt: $e }) { userErrors { code } } }`, { id: ar.id, e: inHours(1) });
    expect(granted.data.grantAccessRequest.userErrors).toEqual([]);
    // the technician's token was verified (and cached) before the grant: the grant's notification drops it, so
    // the next request sees the document (the notification arrives just after the commit: a short bounded wait)
    let seen = null;
    for (let i = 0; i < 100 && !seen; i++) {
      seen = (await cached.gql('TECHNICIAN', READ_SR, { id: sr.id })).data.serviceRequest;
      if (!seen) await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toEqual({ id: sr.id, number: expect.any(String) });
    // a token verified after the grant carries it
    const fresh = await issueToken(cached.dataSource, cached.ids.users.TECHNICIAN, 'second device');
    const asFresh = () =>
      fetch(cached.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh}` }, body: JSON.stringify({ query: READ_SR, variables: { id: sr.id } }) }).then(
        (r) => r.json() as Promise<any>,
      );
    expect((await asFresh()).data.serviceRequest).toEqual({ id: sr.id, number: expect.any(String) });
    const revoked = await cached.gql('SUPERVISOR_TECH', `mutation($id: ID!) { revokeAccessRequest(input: { id: $id, reason: "done" }) { userErrors { code } } }`, { id: ar.id });
    expect(revoked.data.revokeAccessRequest.userErrors).toEqual([]);
    expect((await asFresh()).data.serviceRequest).toBeNull();
  } finally {
    await cached.close();
  }
});
