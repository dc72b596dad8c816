/**
 * history is a bounded, paginated connection (issue #9): a document with many events is read a page at a
 * time, at most 100 events, by cursor; portal users' pages leave out staff-only events without gaps.
 */
import { startTestApi, type TestApi } from '../support/api';
import { createRequest } from '../support/documents';
import { ok } from '../support/chain';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const PAGE = `query($id: ID!, $first: Int, $after: String) { serviceRequest(id: $id) { history(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { seq event } } } }`;

test('a long history is read a page at a time, every event exactly once, in order', async () => {
  const sr = await createRequest(t, 'CUSTOMER_ACME');
  for (let i = 0; i < 120; i++) await ok(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: sr.id, description: `edit ${i}` });
  const seen: number[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const res: any = await t.gql('CUSTOMER_ACME', PAGE, { id: sr.id, first: 50, after });
    expect(res.errors).toBeUndefined();
    const page: any = res.data.serviceRequest.history;
    expect(page.totalCount).toBe(121);
    expect(page.nodes.length).toBeLessThanOrEqual(50);
    seen.push(...page.nodes.map((n: any) => n.seq));
    pages++;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(pages).toBe(3);
  expect(seen).toEqual(Array.from({ length: 121 }, (_, i) => i + 1));
  // without `first`, a page of 50
  const first = await t.gql('CUSTOMER_ACME', PAGE, { id: sr.id });
  expect(first.data.serviceRequest.history.nodes).toHaveLength(50);
});

test('more than 100 at once, or a cursor the history did not give out, is a VALIDATION error', async () => {
  const sr = await createRequest(t, 'CUSTOMER_ACME');
  const big = await t.gql('CUSTOMER_ACME', PAGE, { id: sr.id, first: 101 });
  expect(big.errors?.[0].extensions?.code).toBe('VALIDATION');
  const forged = await t.gql('CUSTOMER_ACME', PAGE, { id: sr.id, after: Buffer.from('["x"]').toString('base64url') });
  expect(forged.errors?.[0].extensions?.code).toBe('VALIDATION');
  expect(forged.status).toBe(200);
});

test('a customer\'s pages leave out the staff-only events of a task, and count only what they may see', async () => {
  const { acceptedRequest, assignedTask } = await import('../support/chain');
  const sr = await acceptedRequest(t);
  const task = await assignedTask(t, sr.id);
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: task.id });
  const q = `query($id: ID!, $first: Int) { serviceTask(id: $id) { history(first: $first) { totalCount nodes { event } } } }`;
  const staff = (await t.gql('AGENT', q, { id: task.id, first: 100 })).data.serviceTask.history;
  expect(staff.nodes.map((n: any) => n.event)).toEqual(['CREATE', 'SUBMIT', 'APPROVE', 'CONFIRM']);
  const customer = (await t.gql('CUSTOMER_ACME', q, { id: task.id, first: 1 })).data.serviceTask.history;
  // SUBMIT and APPROVE are staff-only: the customer's first page of one is CREATE, and they count two events
  expect(customer).toEqual({ totalCount: 2, nodes: [{ event: 'CREATE' }] });
});
