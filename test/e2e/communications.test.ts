/**
 * The communication log (SPEC §3.10, seed 002 §4.1.2, seed 003 §3.5): calls, faxes, letters, mails and visits
 * logged by staff against the customer and the document, listed within each staff member's scope, and never
 * visible to a customer — not through the query, the documents' field, node(id), nor the outbox that feeds
 * subscriptions and webhooks.
 */
import { CommunicationLogEntry } from '../../src/communications/communication.entity';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, assignedTask, inProgressTask } from '../support/chain';
import { USER_ERRORS } from '../support/documents';
import { countStatements } from '../support/sql-counter';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const FIELDS = `id channel direction at counterpartName summary loggedAt documentType customer { code } department { code } loggedBy { name } document { id }`;

async function log(who: string, input: Record<string, unknown>) {
  const res = await t.gql(who, `mutation($input: LogCommunicationInput!) { logCommunication(input: $input) { communication { ${FIELDS} } ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data.logCommunication as { communication: any; userErrors: Array<{ code: string; field: string | null; message: string }> };
}
async function logged(who: string, input: Record<string, unknown>) {
  const out = await log(who, input);
  expect(out.userErrors).toEqual([]);
  return out.communication;
}

const CALL = { channel: 'PHONE', direction: 'INBOUND', at: '2026-11-30T02:15:00.000Z', counterpartName: 'Alice Acme', summary: 'Pump leaks again since Friday; asked when the technician comes.' };
const count = () => t.dataSource.getRepository(CommunicationLogEntry).count();
const outboxRows = async () => Number((await t.owner.query(`SELECT count(*) AS n FROM outbox_event`))[0].n);

let request: any;
let task: any;
let entries: { call: any; contact: any; visit: any };

beforeAll(async () => {
  request = await acceptedRequest(t);
  task = await inProgressTask(t, request.id);
});

test('staff log calls, letters and visits against the customer and the document; the customer and department are taken from the document', async () => {
  const outbox = await outboxRows();
  const call = await logged('AGENT', { ...CALL, documentId: request.id });
  expect(call).toMatchObject({ channel: 'PHONE', direction: 'INBOUND', counterpartName: 'Alice Acme', documentType: 'ServiceRequest', customer: { code: 'ACME' }, department: { code: 'TECH' }, loggedBy: { name: expect.any(String) }, document: { id: request.id } });
  // the technician calls the customer at once to fix time and place (seed 003 §3.4.1)
  const contact = await logged('TECHNICIAN', { channel: 'PHONE', direction: 'OUTBOUND', at: '2026-11-30T03:00:00.000Z', counterpartName: 'Alice Acme', summary: 'Visit agreed for Tuesday 10:00 at line 3.', documentId: task.id, customerId: t.gid.customer('ACME') });
  expect(contact).toMatchObject({ documentType: 'ServiceTask', department: { code: 'TECH' }, document: { id: task.id } });
  // a visit logged against the customer alone: the department is the supervisor's own
  const visit = await logged('SUPERVISOR_TECH', { channel: 'VISIT', direction: 'OUTBOUND', at: '2026-11-28T06:00:00.000Z', counterpartName: 'Plant manager Li', summary: 'Yearly service review.', customerId: t.gid.customer('ACME') });
  expect(visit).toMatchObject({ documentType: null, document: null, department: { code: 'TECH' }, customer: { code: 'ACME' } });
  entries = { call, contact, visit };
  // no outbox row: nothing of the log reaches subscriptions or webhooks
  expect(await outboxRows()).toBe(outbox);
});

test('bad input gets a clear error and logs nothing', async () => {
  const before = await count();
  const report = (await t.gql('SUPERVISOR_TECH', `mutation { createServiceReport(input: { kind: MONTHLY, departmentId: "${t.gid.department('TECH')}", year: 2026, month: 10 }) { serviceReport { id } } }`)).data.createServiceReport.serviceReport;
  const otherTask = await assignedTask(t, (await acceptedRequest(t)).id, { assigneeId: t.gid.user('TECHNICIAN_2') });
  const cases: Array<[string, Record<string, unknown>, string, string | null, RegExp]> = [
    ['CUSTOMER_ACME', { ...CALL, customerId: t.gid.customer('ACME') }, 'FORBIDDEN', null, /customer service, supervisors, technicians and executives/],
    ['STOREKEEPER', { ...CALL, customerId: t.gid.customer('ACME') }, 'FORBIDDEN', null, /kept by/],
    ['AGENT', { ...CALL }, 'VALIDATION', 'customerId', /name the customer/],
    ['AGENT', { ...CALL, customerId: t.gid.customer('ACME'), at: '2099-01-01T00:00:00.000Z' }, 'VALIDATION', 'at', /future/],
    ['AGENT', { ...CALL, customerId: t.gid.customer('ACME'), summary: '   ' }, 'VALIDATION', 'summary', /blank/],
    ['AGENT', { ...CALL, customerId: t.gid.customer('ACME'), counterpartName: 'a\u0000b' }, 'VALIDATION', 'counterpartName', /NUL/],
    ['AGENT', { ...CALL, customerId: t.gid.customer('HUAXIA'), documentId: request.id }, 'VALIDATION', 'customerId', /another customer/],
    ['AGENT', { ...CALL, documentId: report.id }, 'VALIDATION', 'documentId', /not about one customer/],
    ['AGENT', { ...CALL, customerId: t.gid.department('TECH') }, 'NOT_FOUND', 'customerId', /No such customer/],
    // a task the technician does not work on is like no task at all
    ['TECHNICIAN', { ...CALL, documentId: otherTask.id }, 'NOT_FOUND', 'documentId', /No such document/],
    ['SUPERVISOR_SALES', { ...CALL, documentId: request.id }, 'NOT_FOUND', 'documentId', /No such document/],
  ];
  for (const [who, input, code, field, message] of cases) {
    const out = await log(who, input);
    expect({ who, input, out }).toEqual({ who, input, out: { communication: null, userErrors: [expect.objectContaining({ code, field, message: expect.stringMatching(message) })] } });
  }
  expect(await count()).toBe(before);
});

test('each member of staff lists the log within their scope, newest first, by customer or document, a page at a time', async () => {
  const list = async (who: string, args = '') => {
    const res = await t.gql(who, `{ communications${args} { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`);
    expect(res.errors).toBeUndefined();
    return res.data.communications;
  };
  const ids = (page: any) => page.nodes.map((n: any) => n.id);
  const { call, contact, visit } = entries;
  const newestFirst = [contact.id, call.id, visit.id];
  expect(ids(await list('AGENT', `(customerId: "${t.gid.customer('ACME')}")`))).toEqual(newestFirst);
  expect(ids(await list('EXECUTIVE'))).toEqual(newestFirst);
  expect(ids(await list('SUPERVISOR_TECH'))).toEqual(newestFirst);
  expect(ids(await list('SUPERVISOR_SALES'))).toEqual([]);
  // the technician: what they logged, and what is about the request of the task they work on — not the supervisor's visit
  expect(ids(await list('TECHNICIAN'))).toEqual([contact.id, call.id]);
  expect(ids(await list('TECHNICIAN_2'))).toEqual([]);
  expect(ids(await list('AGENT', `(documentId: "${request.id}")`))).toEqual([call.id]);
  expect(ids(await list('AGENT', `(customerId: "${t.gid.customer('HUAXIA')}")`))).toEqual([]);
  const first = await list('AGENT', '(first: 2)');
  expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
  expect(ids(await list('AGENT', `(first: 2, after: "${first.pageInfo.endCursor}")`))).toEqual([visit.id]);

  // the documents' field: the task's log for the technician working on it, the request's for its department's supervisor
  const field = await t.gql('TECHNICIAN', `query($task: ID!, $req: ID!) { serviceTask(id: $task) { communications { id summary } } serviceRequest(id: $req) { communications { id } } }`, { task: task.id, req: request.id });
  expect(field.data).toEqual({ serviceTask: { communications: [{ id: contact.id, summary: 'Visit agreed for Tuesday 10:00 at line 3.' }] }, serviceRequest: { communications: [{ id: call.id }] } });
  expect((await t.gql('AGENT', `query($id: ID!) { node(id: $id) { ... on Communication { summary loggedBy { name } } } }`, { id: visit.id })).data.node).toEqual({ summary: 'Yearly service review.', loggedBy: { name: expect.any(String) } });
  expect((await t.gql('TECHNICIAN', `query($id: ID!) { node(id: $id) { id } }`, { id: visit.id })).data.node).toBeNull();
});

test('a customer never sees the log: the query is refused, the field and node(id) answer null', async () => {
  const { call, contact } = entries;
  const refused = await t.gql('CUSTOMER_ACME', `{ communications { totalCount nodes { id } } }`);
  expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/staff only/), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) });
  expect(refused.data).toBeNull();
  const res = await t.gql('CUSTOMER_ACME', `query($req: ID!, $task: ID!, $c: ID!) {
    serviceRequest(id: $req) { id communications { id } }
    serviceTask(id: $task) { id communications { id } }
    node(id: $c) { id } }`, { req: request.id, task: task.id, c: call.id });
  expect(res.errors).toBeUndefined();
  // they read their request and their approved task, and nothing of what was said about them
  expect(res.data).toEqual({ serviceRequest: { id: request.id, communications: null }, serviceTask: { id: task.id, communications: null }, node: null });
  expect((await t.gql('CUSTOMER_ACME', `query($c: ID!) { node(id: $c) { id } }`, { c: contact.id })).data.node).toBeNull();
  // the store and the archivist do not keep the log either
  for (const who of ['STOREKEEPER', 'ARCHIVIST']) expect((await t.gql(who, `{ communications { totalCount } }`)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('the log is append-only for the application', async () => {
  await expect(t.dataSource.query(`UPDATE communication_log_entry SET summary = 'rewritten'`)).rejects.toThrow(/permission denied/);
  await expect(t.dataSource.query(`DELETE FROM communication_log_entry`)).rejects.toThrow(/permission denied/);
});

test('a list selecting each document\'s log reads it for the whole page at once, the newest `first` of each', async () => {
  const requests = [await acceptedRequest(t), await acceptedRequest(t), await acceptedRequest(t)];
  const byRequest = new Map<string, string[]>();
  for (const [i, r] of requests.entries()) {
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) ids.unshift((await logged('AGENT', { ...CALL, at: `2026-11-2${k}T0${i}:00:00.000Z`, documentId: r.id })).id);
    byRequest.set(r.id, ids); // newest first
  }
  const ids = new Set(requests.map((r) => r.id));
  const { result, statements } = await countStatements(() =>
    t.gql('AGENT', `{ serviceRequests(first: 100, filter: { state: [ACCEPTED] }) { nodes { id communications(first: 2) { id } } } }`),
  );
  const nodes = result.data.serviceRequests.nodes.filter((n: { id: string }) => ids.has(n.id));
  expect(nodes).toHaveLength(3);
  for (const n of nodes) expect(n.communications.map((c: { id: string }) => c.id)).toEqual(byRequest.get(n.id)!.slice(0, 2));
  // one statement picks the page's entries, one loads them — not one per request of the page
  expect(statements.filter((s) => /communication_log_entry/.test(s))).toHaveLength(2);
});
