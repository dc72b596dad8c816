/**
 * GraphQL over HTTP (the graphql-http package's server audit suite, run against the real server with a
 * caller's token): every MUST and SHOULD of the specification holds — no failure and no warning.
 */
import { serverAudits } from 'graphql-http';
import { startTestApi, type TestApi } from '../support/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

/** fetch as the AGENT demo identity: the audits know nothing of bearer tokens */
const authorized = (input: string | URL | Request, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${t.tokens.AGENT}`);
  return fetch(input, { ...init, headers });
};

test('the server audit suite of graphql-http: no failure, no warning', async () => {
  const results = [];
  for (const audit of serverAudits({ url: () => t.url, fetchFn: authorized })) {
    const result = await audit.fn();
    results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.status === 'ok' ? undefined : result.reason });
  }
  expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
  expect(results.length).toBeGreaterThan(30);
});

async function post(accept: string, query: string) {
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${t.tokens.CUSTOMER_ACME}` }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> } };
}

test.each([
  ['a syntax error', '{', 'GRAPHQL_VALIDATION_FAILED'],
  ['a token-limit refusal', `{ ${'a '.repeat(2500)}}`, 'GRAPHQL_VALIDATION_FAILED'],
  ['an unknown field', '{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
  ['a subscription (served over WebSocket only)', 'subscription { documentEvents { documentType } }', 'OPERATION_NOT_SUPPORTED'],
])('%s is a client error: 400 for application/graphql-response+json, 200 with errors for application/json, never a 500', async (_, query, code) => {
  const modern = await post('application/graphql-response+json', query);
  expect(modern.status).toBe(400);
  expect(modern.body.errors[0].extensions.code).toBe(code);
  expect(modern.body).not.toHaveProperty('data');
  const legacy = await post('application/json', query);
  expect(legacy.status).toBe(200);
  expect(legacy.body.errors[0].extensions.code).toBe(code);
});

test('a plain GET query works without any CSRF header (the bearer token is the CSRF defence); a mutation over GET is 405', async () => {
  const auth = { authorization: `Bearer ${t.tokens.AGENT}` };
  const q = await fetch(`${t.url}?query=${encodeURIComponent('query($id: ID!) { me { name } node(id: $id) { id } }')}&variables=${encodeURIComponent('{"id":"nothing"}')}`, { headers: auth });
  expect(q.status).toBe(200);
  expect(await q.json()).toEqual({ data: { me: { name: 'Li Na (客服)' }, node: null } });
  const m = await fetch(`${t.url}?query=${encodeURIComponent('mutation { cancelServiceRequest(input: {id: "x", reason: "y"}) { userErrors { code } } }')}`, { headers: auth });
  expect(m.status).toBe(405);
});
