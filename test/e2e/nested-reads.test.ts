/**
 * No N+1: a nested list (request → tasks → records → entries → revisions,
 * acceptances, assignee, helpers, customer, department, signatures) costs the
 * same number of SQL statements for 5 requests as for 50. Statements are
 * counted by wrapping the DataSource's logger for the duration of one HTTP
 * request: the counting lives in the test, not in the server.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'typeorm';
import { ApprovalSignature } from '../../src/approval/approval.entity';
import { ServiceAcceptance } from '../../src/documents/service-acceptance/service-acceptance.entity';
import { ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision } from '../../src/documents/service-record/service-record.entity';
import { EntryKind } from '../../src/documents/service-record/service-record.enums';
import { ServiceRequest } from '../../src/documents/service-request/service-request.entity';
import { ServiceTask } from '../../src/documents/service-task/service-task.entity';
import { toGlobalId } from '../../src/graphql/global-id';
import { Customer } from '../../src/organisation/organisation.entities';
import { startTestApi, type TestApi } from '../support/api';

let t: TestApi;
beforeAll(async () => {
  // the nested list below is priced far above a portal's allowance (it is the statement count that is tested here)
  t = await startTestApi({ fairness: { maxQueryCost: 100_000_000 } });
});
afterAll(() => t.close());

/** n requests of a new customer, each with a task, a record (two entries, one amended), an acceptance and a signature */
async function seedChain(n: number): Promise<string> {
  const m = t.dataSource.manager;
  const code = `N${n}-${randomUUID().slice(0, 8)}`;
  const customer = await m.save(Customer, { code, name: `Customer ${code}` });
  const { users, departments } = t.ids;
  const stamp = (p: string, i: number) => `${p}-${code}-${String(i).padStart(6, '0')}`;
  const base = (i: number, p: string) => ({ id: randomUUID(), number: stamp(p, i), version: 1, createdById: users.SUPERVISOR_TECH, createdAt: new Date(Date.now() + i), updatedAt: new Date() });
  const requests = Array.from({ length: n }, (_, i) => ({ ...base(i, 'SR'), state: 'IN_SERVICE', customerId: customer.id, channel: 'PHONE', category: 'AFTER_SALES', serviceType: 'REPAIR', targetDepartmentId: departments.TECH }));
  await m.insert(ServiceRequest, requests as never);
  const tasks = requests.map((r, i) => ({ ...base(i, 'ST'), state: 'AWAITING_ACCEPTANCE', requestId: r.id, customerId: customer.id, departmentId: departments.TECH, assigneeId: users.TECHNICIAN, helperIds: [users.TECHNICIAN_2], approvedAt: new Date() }));
  await m.insert(ServiceTask, tasks as never);
  const records = tasks.map((task, i) => ({ ...base(i, 'RC'), createdById: users.TECHNICIAN, state: 'SUBMITTED', taskId: task.id, requestId: task.requestId, departmentId: departments.TECH, customerId: customer.id, attachments: [] }));
  await m.insert(ServiceRecord, records as never);
  const entries = records.flatMap((r) => [1, 2].map((seq) => ({ id: randomUUID(), recordId: r.id, seq, kind: EntryKind.PROGRESS, authorId: users.TECHNICIAN })));
  await m.insert(ServiceRecordEntry, entries);
  const revisions = entries.flatMap((e) => [1, 2].slice(0, e.seq).map((revision) => ({ entryId: e.id, revision, text: `text ${revision}`, authorId: users.TECHNICIAN, authorName: 'Zhang Wei', at: new Date(), reason: revision > 1 ? 'fix' : null })));
  await m.insert(ServiceRecordEntryRevision, revisions);
  await m.insert(ServiceAcceptance, tasks.map((task, i) => ({ ...base(i, 'AC'), createdById: users.TECHNICIAN, state: 'PENDING_CUSTOMER', taskId: task.id, requestId: task.requestId, customerId: customer.id, departmentId: departments.TECH, round: 1 })) as never);
  await m.insert(ApprovalSignature, tasks.map((task) => ({ documentType: 'ServiceTask', documentId: task.id, round: 1, step: 'SUPERVISOR', decision: 'APPROVE', tier: 'SUPERVISOR', signerId: users.SUPERVISOR_TECH_2, signerName: 'Sun Hui', signerRole: 'SUPERVISOR', at: new Date(), comment: null })) as never);
  return toGlobalId('Customer', customer.id);
}

const NESTED = `query($first: Int, $filter: ServiceRequestFilter) { serviceRequests(first: $first, filter: $filter) { totalCount nodes {
  number customer { name } targetDepartment { code } createdBy { name }
  tasks { number assignee { name } helpers { name } department { code } customer { code } request { number } approvals { signerName signer { name } }
    records { number author { name } task { number } entries { kind text amended author { name } revisions { revision authorName } } }
    acceptances { round task { number } } } } } }`;

/** the statements one HTTP request runs, and its result */
async function counted(who: string, variables: Record<string, unknown>, query = NESTED) {
  const ds = t.dataSource as unknown as { logger: Logger };
  const original = ds.logger;
  const statements: string[] = [];
  ds.logger = Object.assign(Object.create(Object.getPrototypeOf(original)), original, {
    logQuery: (query: string, ...rest: unknown[]) => {
      statements.push(query);
      return (original.logQuery as (...a: unknown[]) => unknown).call(original, query, ...rest);
    },
  });
  try {
    const res = await t.gql(who, query, variables);
    expect(res.errors).toBeUndefined();
    return { statements, data: res.data.serviceRequests };
  } finally {
    ds.logger = original;
  }
}

test.each(['AGENT', 'SUPERVISOR_TECH', 'TECHNICIAN'])('as %s, the nested list costs the same number of statements for 5 and for 50 requests', async (who) => {
  const five = await seedChain(5);
  const fifty = await seedChain(50);
  const small = await counted(who, { first: 5, filter: { customerId: five } });
  const large = await counted(who, { first: 50, filter: { customerId: fifty } });
  // the data is really there, at every level
  expect(small.data.totalCount).toBe(5);
  expect(large.data.nodes).toHaveLength(50);
  for (const node of large.data.nodes) {
    expect(node.tasks).toHaveLength(1);
    const [task] = node.tasks;
    expect(task.helpers).toEqual([{ name: 'Huang Lei (服務人員)' }]);
    expect(task.request.number).toBe(node.number);
    expect(task.records[0].entries.map((e: any) => [e.text, e.amended])).toEqual([['text 1', false], ['text 2', true]]);
    expect(task.records[0].task.number).toBe(task.number);
    expect(task.acceptances).toEqual([{ round: 1, task: { number: task.number } }]);
    expect(task.approvals).toEqual([{ signerName: 'Sun Hui', signer: { name: 'Sun Hui (技術支持部副主管)' } }]);
  }
  expect(large.statements.length).toBe(small.statements.length);
  // one statement per kind and level, not per document
  expect(large.statements.length).toBeLessThan(25);
});

/** n accepted requests of a new customer, each with a task waiting for approval; every other task already signed by SUPERVISOR_TECH_2 in its round */
async function seedPendingApprovals(n: number): Promise<string> {
  const m = t.dataSource.manager;
  const code = `P${n}-${randomUUID().slice(0, 8)}`;
  const customer = await m.save(Customer, { code, name: `Customer ${code}` });
  const { users, departments } = t.ids;
  const base = (i: number, p: string) => ({ id: randomUUID(), number: `${p}-${code}-${String(i).padStart(6, '0')}`, version: 1, createdById: users.SUPERVISOR_TECH, createdAt: new Date(Date.now() + i), updatedAt: new Date() });
  const requests = Array.from({ length: n }, (_, i) => ({ ...base(i, 'SR'), state: 'ACCEPTED', customerId: customer.id, channel: 'PHONE', category: 'AFTER_SALES', serviceType: 'REPAIR', targetDepartmentId: departments.TECH }));
  await m.insert(ServiceRequest, requests as never);
  const tasks = requests.map((r, i) => ({ ...base(i, 'ST'), state: 'PENDING_APPROVAL', tier: 'SUPERVISOR', approvalRound: 1, requestId: r.id, customerId: customer.id, departmentId: departments.TECH, assigneeId: users.TECHNICIAN, helperIds: [] }));
  await m.insert(ServiceTask, tasks as never);
  await m.insert(ApprovalSignature, tasks.filter((_, i) => i % 2 === 0).map((task) => ({ documentType: 'ServiceTask', documentId: task.id, round: 1, step: 'SUPERVISOR', decision: 'APPROVE', tier: 'SUPERVISOR', signerId: users.SUPERVISOR_TECH_2, signerName: 'Sun Hui', signerRole: 'SUPERVISOR', at: new Date(), comment: null })) as never);
  return toGlobalId('Customer', customer.id);
}

const BUTTONS = `query($first: Int, $filter: ServiceRequestFilter) { serviceRequests(first: $first, filter: $filter) { totalCount nodes {
  number availableEvents { event allowed code }
  tasks { number availableEvents { event allowed code } } } } }`;

test('availableEvents on a list of requests and their tasks: the same number of statements for 5 and for 50, and each document judged by its own facts', async () => {
  const five = await seedPendingApprovals(5);
  const fifty = await seedPendingApprovals(50);
  const small = await counted('SUPERVISOR_TECH_2', { first: 5, filter: { customerId: five } }, BUTTONS);
  const large = await counted('SUPERVISOR_TECH_2', { first: 50, filter: { customerId: fifty } }, BUTTONS);
  expect(large.data.nodes).toHaveLength(50);
  const approve = (task: any) => task.availableEvents.find((e: any) => e.event === 'APPROVE');
  // sorted newest first: the index in the seed is 49 - position
  large.data.nodes.forEach((node: any, position: number) => {
    const [task] = node.tasks;
    const signedByMe = (49 - position) % 2 === 0;
    expect(approve(task)).toEqual(signedByMe ? { event: 'APPROVE', allowed: false, code: 'SEGREGATION_OF_DUTIES' } : { event: 'APPROVE', allowed: true, code: null });
    // a supervisor may not cancel a customer's request (creator or customer service only); the request's open task is a fact it loaded
    expect(node.availableEvents.find((e: any) => e.event === 'CANCEL')).toEqual({ event: 'CANCEL', allowed: false, code: 'FORBIDDEN' });
  });
  expect(large.statements.length).toBe(small.statements.length);
  expect(large.statements.length).toBeLessThan(15);
});
