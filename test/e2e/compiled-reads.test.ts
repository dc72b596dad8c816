/**
 * Compiled reads (src/graphql/compiled-reads.ts): one SQL statement per root field, whatever the page size, with
 * the same answers as the resolvers. Statements are counted as nested-reads.test.ts counts them (the DataSource's
 * logger, for the duration of one HTTP request); tokens are cached so only the read itself is counted.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'typeorm';
import { ServiceAcceptance } from '../../src/documents/service-acceptance/service-acceptance.entity';
import { ServiceRecord } from '../../src/documents/service-record/service-record.entity';
import { ServiceRequest } from '../../src/documents/service-request/service-request.entity';
import { ServiceTask } from '../../src/documents/service-task/service-task.entity';
import { compiledReadStats } from '../../src/graphql/compiled-reads';
import { toGlobalId } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ tokenCacheMs: 600_000, fairness: { maxQueryCost: 100_000_000 } });
  // every identity's token verified once, so the counts below are the reads alone
  for (const who of ['AGENT', 'TECHNICIAN', 'SUPERVISOR_TECH', 'CUSTOMER_ACME']) await t.gql(who, '{ me { id } }');
});
afterAll(() => t.close());

/** n requests of the customer, each with an approved task (assignee, helper), a record and an acceptance; a draft task on the first */
async function seed(n: number, customerId: string): Promise<string[]> {
  const m = t.dataSource.manager;
  const code = `C${n}-${randomUUID().slice(0, 8)}`;
  const { users, departments } = t.ids;
  const base = (i: number, p: string) => ({ id: randomUUID(), number: `${p}-${code}-${String(i).padStart(6, '0')}`, version: 1, createdById: users.SUPERVISOR_TECH, createdAt: new Date(Date.now() + i), updatedAt: new Date() });
  const requests = Array.from({ length: n }, (_, i) => ({ ...base(i, 'SR'), state: 'IN_SERVICE', customerId, channel: 'PHONE', category: 'AFTER_SALES', serviceType: 'REPAIR', targetDepartmentId: departments.TECH, estimatedAmount: 1200.5, internalNote: 'staff only' }));
  await m.insert(ServiceRequest, requests as never);
  const tasks = requests.map((r, i) => ({ ...base(i, 'ST'), state: 'IN_PROGRESS', requestId: r.id, customerId, departmentId: departments.TECH, assigneeId: users.TECHNICIAN, helperIds: [users.TECHNICIAN_2], approvedAt: new Date(), plannedStart: new Date('2026-12-01T01:00:00.123Z') }));
  const drafts = [{ ...base(0, 'SD'), state: 'DRAFT', requestId: requests[0].id, customerId, departmentId: departments.TECH, assigneeId: users.TECHNICIAN_2, helperIds: [] }];
  await m.insert(ServiceTask, [...tasks, ...drafts] as never);
  await m.insert(ServiceRecord, tasks.map((task, i) => ({ ...base(i, 'RC'), createdById: users.TECHNICIAN, state: 'SUBMITTED', taskId: task.id, requestId: task.requestId, departmentId: departments.TECH, customerId, attachments: [] })) as never);
  await m.insert(ServiceAcceptance, tasks.map((task, i) => ({ ...base(i, 'AC'), createdById: users.TECHNICIAN, state: 'PENDING_CUSTOMER', taskId: task.id, requestId: task.requestId, customerId, departmentId: departments.TECH, round: 1 })) as never);
  return requests.map((r) => toGlobalId('ServiceRequest', r.id));
}

/** the bench's portal list (bench/scenarios.ts), with totalCount and cursors */
const PORTAL_LIST = `query($first: Int, $filter: ServiceRequestFilter) { serviceRequests(first: $first, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { id number state updatedAt
  estimatedAmount internalNote targetDepartment { name } customer { code tier }
  tasks { number state plannedStart plannedEnd assignee { name } helpers { name } department { name } request { number } records { number state task { number } } acceptances { round state } } } } }`;
const STATUS = 'query($id: ID!) { serviceRequest(id: $id) { number state updatedAt } }';

/** the statements `request` runs (the DataSource's logger), and its answer */
async function statementsOf<T>(request: () => Promise<T>): Promise<{ statements: string[]; res: T }> {
  const ds = t.dataSource as unknown as { logger: Logger };
  const original = ds.logger;
  const statements: string[] = [];
  ds.logger = Object.assign(Object.create(Object.getPrototypeOf(original)), original, {
    logQuery: (sql: string, ...rest: unknown[]) => {
      statements.push(sql);
      return (original.logQuery as (...a: unknown[]) => unknown).call(original, sql, ...rest);
    },
  });
  try {
    return { statements, res: await request() };
  } finally {
    ds.logger = original;
  }
}

/** the statements one HTTP request runs, its answer, and the same request's answer through the resolvers */
async function counted(who: string, query: string, variables: Record<string, unknown>) {
  const text = compiledReadStats.text;
  const { statements, res } = await statementsOf(() => t.gql(who, query, variables));
  expect(res.errors).toBeUndefined();
  const resolvers = await t.gql(who, query, variables, { 'x-read-path': 'resolvers' });
  expect(resolvers.errors).toBeUndefined();
  // the same compiled statement's objects, executed by graphql-js instead of answered as its text
  const objects = await t.gql(who, query, variables, { 'x-read-path': 'objects' });
  expect(objects.data).toEqual(res.data);
  return { statements, data: res.data, resolvers: resolvers.data, asText: compiledReadStats.text - text };
}

test.each(['CUSTOMER_ACME', 'AGENT', 'SUPERVISOR_TECH', 'TECHNICIAN'])('as %s, the nested portal list is one statement for 5 and for 50 requests, and answers as the resolvers do', async (who) => {
  const customer = t.ids.customers.ACME;
  await seed(5, customer);
  await seed(50, customer);
  const filter = { customerId: toGlobalId('Customer', customer) };
  for (const first of [5, 50]) {
    const { statements, data, resolvers, asText } = await counted(who, PORTAL_LIST, { first, filter });
    expect(statements).toHaveLength(1);
    expect(asText).toBe(1); // answered with the statement's JSON text
    expect(data.serviceRequests.nodes).toHaveLength(first);
    expect(data).toEqual(resolvers);
    // the data is really there, at every level the caller may read
    const node = data.serviceRequests.nodes.find((n: any) => n.number.startsWith('SR-C50'));
    if (who === 'CUSTOMER_ACME') {
      expect(node.internalNote).toBeNull();
      expect(node.customer.tier).toBeNull();
      // the filed (SUBMITTED) record: the customer reads it to sign it (issue 13)
      expect(node.tasks[0].records).toEqual([{ number: expect.stringMatching(/^RC-C50-/), state: 'SUBMITTED', task: { number: node.tasks[0].number } }]);
      expect(node.tasks[0].helpers).toBeNull();
    } else {
      expect(node.internalNote).toBe('staff only');
      expect(node.tasks[0].helpers).toEqual([{ name: 'Huang Lei (服務人員)' }]);
    }
    if (who !== 'TECHNICIAN') expect(node.tasks[0]).toMatchObject({ state: 'IN_PROGRESS', assignee: { name: expect.any(String) }, acceptances: [{ round: 1, state: 'PENDING_CUSTOMER' }] });
  }
  // the next page from the cursor: the same on both paths
  const one = await counted(who, PORTAL_LIST, { first: 3, filter });
  const after = await t.gql(who, `query($after: String) { serviceRequests(first: 3, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { number } } } }`, { after: one.data.serviceRequests.pageInfo.endCursor });
  const afterResolvers = await t.gql(who, `query($after: String) { serviceRequests(first: 3, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { number } } } }`, { after: one.data.serviceRequests.pageInfo.endCursor }, { 'x-read-path': 'resolvers' });
  expect(after.data).toEqual(afterResolvers.data);
});

test('status by id is one statement, and null outside the caller\'s scope as through the resolvers', async () => {
  const [mine] = await seed(1, t.ids.customers.ACME);
  const [theirs] = await seed(1, t.ids.customers.HUAXIA);
  const own = await counted('CUSTOMER_ACME', STATUS, { id: mine });
  expect(own.statements).toHaveLength(1);
  expect(own.asText).toBe(1);
  expect(own.data.serviceRequest).toMatchObject({ state: 'IN_SERVICE', number: expect.stringMatching(/^SR-C1/) });
  expect(own.data).toEqual(own.resolvers);
  const other = await counted('CUSTOMER_ACME', STATUS, { id: theirs });
  expect(other.statements).toHaveLength(1);
  expect(other.data).toEqual({ serviceRequest: null });
  expect(other.resolvers).toEqual({ serviceRequest: null });
  const byNode = await counted('CUSTOMER_ACME', `query($id: ID!) { node(id: $id) { __typename id ... on ServiceRequest { number tasks { number } } } }`, { id: mine });
  expect(byNode.statements).toHaveLength(1);
  expect(byNode.asText).toBe(1);
  expect(byNode.data).toEqual(byNode.resolvers);
});

test('answered as text, a query keeps graphql-js\'s answer exactly: aliases, fragments, __typename, edges, cursors, counts, @include, several root fields', async () => {
  const [id] = await seed(3, t.ids.customers.ACME);
  const query = `query($id: ID!, $more: Boolean!, $first: Int) {
    __typename
    one: serviceRequest(id: $id) { __typename ...Head tasks @include(if: $more) { n: number assignee { __typename name } helpers { name } records { state } } }
    list: serviceRequests(first: $first) { __typename totalCount pageInfo { endCursor hasNextPage __typename } edges { __typename cursor node { ...Head id } } }
    missing: serviceRequest(id: "U2VydmljZVJlcXVlc3Q6bm90LWEtdXVpZA") { number }
  }
  fragment Head on ServiceRequest { id number s: state updatedAt createdAt targetDepartment { name code } customer { name } }`;
  for (const who of ['AGENT', 'CUSTOMER_ACME', 'TECHNICIAN']) {
    for (const more of [true, false]) {
      const vars = { id, more, first: 2 };
      const before = compiledReadStats.text;
      const text = await t.gql(who, query, vars);
      expect(compiledReadStats.text - before).toBe(3);
      expect(text.errors).toBeUndefined();
      const objects = await t.gql(who, query, vars, { 'x-read-path': 'objects' });
      const resolvers = await t.gql(who, query, vars, { 'x-read-path': 'resolvers' });
      expect(text.data).toEqual(objects.data);
      expect(text.data).toEqual(resolvers.data);
      // the order of the keys too, as graphql-js writes them
      expect(JSON.stringify(text.data)).toBe(JSON.stringify(resolvers.data));
      expect(text.data.list.edges).toHaveLength(2);
      if (more) expect(Object.keys(text.data.one)).toEqual(['__typename', 'id', 'number', 's', 'updatedAt', 'createdAt', 'targetDepartment', 'customer', 'tasks']);
      else expect(text.data.one.tasks).toBeUndefined();
    }
  }
  // a variable graphql-js refuses is refused as it would be (not answered as text)
  const bad = await t.gql('AGENT', query, { id, more: 'yes', first: 2 });
  expect(bad.errors?.[0].message).toMatch(/\$more/);
});

test('a query with a root field that is not compiled runs each compiled statement once (nothing is read before the text path gives up)', async () => {
  const [id] = await seed(1, t.ids.customers.ACME);
  const query = `query($id: ID!) { a: serviceRequest(id: $id) { number } b: serviceRequests(first: 5) { nodes { number } } me { id } }`;
  const compiledStatements = async (headers: Record<string, string>) => {
    const { statements, res } = await statementsOf(() => t.gql('AGENT', query, { id }, headers));
    expect(res.errors).toBeUndefined();
    return statements.filter((sql) => sql.includes('json_build_object')).length;
  };
  const before = compiledReadStats.text;
  expect(await compiledStatements({})).toBe(2);
  expect(compiledReadStats.text).toBe(before); // `me` is not compiled: graphql-js answered the whole query
  expect(await compiledStatements({ 'x-read-path': 'objects' })).toBe(2);
});

test('a selection the compiler does not know falls back to the resolvers for that root field, with the same answer', async () => {
  const [id] = await seed(1, t.ids.customers.ACME);
  const before = { ...compiledReadStats };
  const query = `query($id: ID!, $more: Boolean!) { serviceRequest(id: $id) { number availableEvents { event allowed } history(first: 2) { nodes { event } } }
    again: serviceRequest(id: $id) { number tasks @include(if: $more) { number } } }`;
  const res = await t.gql('AGENT', query, { id, more: true });
  const resolvers = await t.gql('AGENT', query, { id, more: true }, { 'x-read-path': 'resolvers' });
  expect(res.errors).toBeUndefined();
  expect(res.data).toEqual(resolvers.data);
  expect(res.data.again.tasks).toHaveLength(2);
  // the first root field fell back, the second was compiled
  expect(compiledReadStats.resolvers - before.resolvers).toBe(1);
  expect(compiledReadStats.compiled - before.compiled).toBe(1);
});
