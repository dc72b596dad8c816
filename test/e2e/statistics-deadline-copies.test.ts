/**
 * The on-time rates read each deadline's copies of its document's department, customer and service type
 * (migration DeadlineScopeCopies, kept by triggers): a deadline opened before its document changed still counts
 * where the document now is — a request re-routed to another department, its service type corrected (which its
 * tasks' deadlines follow too), a task moved or reassigned — as the supervisor's, the customer's, the filtered
 * figures and the technicians' scorecards show.
 */
import { toGlobalId } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';

let t: TestApi;
const sh = (local: string) => `${local}+08:00`;
const JUNE = { from: sh('2025-06-01T00:00:00'), to: sh('2025-07-01T00:00:00') };
const ON_TIME = `query($filter: StatisticsFilter) { statistics(filter: $filter) { onTime { reviews { done onTime } approvals { done onTime } } } }`;
const ids: Record<string, string> = {};

async function onTime(who: string, filter: Record<string, unknown> = {}) {
  const res = await t.gql(who, ON_TIME, { filter: { ...JUNE, ...filter } });
  expect(res.errors).toBeUndefined();
  return res.data.statistics.onTime as { reviews: { done: number; onTime: number }; approvals: { done: number; onTime: number } };
}

beforeAll(async () => {
  t = await startTestApi();
  const q = (sql: string, params: unknown[] = []) => t.owner.query(sql, params);
  const { departments: dept, customers: cust, users: user } = t.ids;
  const [r] = await q(
    `INSERT INTO service_request (number, state, version, created_by_id, created_at, customer_id, channel, category, service_type, target_department_id, submitted_at)
     VALUES ('SR-DC-1', 'IN_SERVICE', 5, $1, $2, $3, 'PHONE', 'AFTER_SALES', 'REPAIR', $4, $2) RETURNING id`,
    [user.AGENT, sh('2025-06-02T09:00:00'), cust.ACME, dept.TECH],
  );
  ids.request = r.id;
  const [k] = await q(
    `INSERT INTO service_task (number, state, version, created_by_id, request_id, customer_id, department_id, assignee_id, approved_at)
     VALUES ('ST-DC-1', 'IN_PROGRESS', 4, $1, $2, $3, $4, $5, $6) RETURNING id`,
    [user.SUPERVISOR_TECH, ids.request, cust.ACME, dept.TECH, user.TECHNICIAN, sh('2025-06-03T10:00:00')],
  );
  ids.task = k.id;
  const deadline = (type: string, id: string, kind: string, due: string, met: string, by: string) =>
    q(`INSERT INTO deadline (document_type, document_id, kind, opened_at, opened_by_event, due_at, met_at, met_by_event) VALUES ($1, $2, $3, $4, 'X', $5, $6, $7)`, [
      type,
      id,
      kind,
      sh('2025-06-02T09:00:00'),
      sh(due),
      sh(met),
      by,
    ]);
  await deadline('ServiceRequest', ids.request, 'REQUEST_REVIEW', '2025-06-03T09:00:00', '2025-06-02T15:00:00', 'ServiceRequest.ACCEPT'); // on time
  await deadline('ServiceTask', ids.task, 'TASK_APPROVAL', '2025-06-03T09:00:00', '2025-06-03T10:00:00', 'ServiceTask.APPROVE'); // late
  await deadline('ServiceTask', ids.task, 'FIELD_ON_SITE', '2025-06-04T10:00:00', '2025-06-04T08:00:00', 'ServiceTask.START'); // on time
}, 120_000);
afterAll(() => t.close());

test('a deadline counts where its document is: department, customer, service type as they are now', async () => {
  expect((await onTime('SUPERVISOR_TECH')).reviews).toEqual({ done: 1, onTime: 1 });
  expect((await onTime('SUPERVISOR_SALES')).reviews).toEqual({ done: 0, onTime: 0 });
  expect((await onTime('EXECUTIVE', { serviceType: 'REPAIR' })).approvals).toEqual({ done: 1, onTime: 0 });
  expect((await onTime('EXECUTIVE', { serviceType: 'INSTALLATION' })).approvals).toEqual({ done: 0, onTime: 0 });
  expect((await onTime('EXECUTIVE', { departmentId: toGlobalId('Department', t.ids.departments.TECH) })).reviews.done).toBe(1);
  expect((await onTime('EXECUTIVE', { customerIds: [toGlobalId('Customer', t.ids.customers.HUAXIA)] })).reviews.done).toBe(0);

  // the request is re-routed to SALES and its service type corrected; it also changes hands to another customer
  await t.owner.query(`UPDATE service_request SET target_department_id = $2, service_type = 'INSTALLATION', customer_id = $3 WHERE id = $1`, [ids.request, t.ids.departments.SALES, t.ids.customers.HUAXIA]);
  expect((await onTime('SUPERVISOR_TECH')).reviews).toEqual({ done: 0, onTime: 0 });
  expect((await onTime('SUPERVISOR_SALES')).reviews).toEqual({ done: 1, onTime: 1 });
  expect((await onTime('EXECUTIVE', { customerIds: [toGlobalId('Customer', t.ids.customers.HUAXIA)] })).reviews.done).toBe(1);
  // the task's deadline follows its request's service type
  expect((await onTime('EXECUTIVE', { serviceType: 'REPAIR' })).approvals).toEqual({ done: 0, onTime: 0 });
  expect((await onTime('EXECUTIVE', { serviceType: 'INSTALLATION' })).approvals).toEqual({ done: 1, onTime: 0 });

  // the task moves to SALES: its approval deadline with it
  expect((await onTime('SUPERVISOR_SALES')).approvals.done).toBe(0);
  await t.owner.query(`UPDATE service_task SET department_id = $2 WHERE id = $1`, [ids.task, t.ids.departments.SALES]);
  expect((await onTime('SUPERVISOR_SALES')).approvals).toEqual({ done: 1, onTime: 0 });
  expect((await onTime('SUPERVISOR_TECH')).approvals.done).toBe(0);
});

const CARDS = `query($month: String) { technicianScorecards(month: $month) { technicianId fieldResponses fieldResponsesOnTime } }`;

test("a technician's field responses follow the task's assignee", async () => {
  const cards = async () => {
    const res = await t.gql('EXECUTIVE', CARDS, { month: '2025-06' });
    expect(res.errors).toBeUndefined();
    const byId = new Map<string, { fieldResponses: number }>(res.data.technicianScorecards.map((c: any) => [c.technicianId, c]));
    return (user: string) => byId.get(toGlobalId('User', t.ids.users[user]))?.fieldResponses;
  };
  let of = await cards();
  expect(of('TECHNICIAN')).toBe(1);
  expect(of('TECHNICIAN_2')).toBe(0);
  await t.owner.query(`UPDATE service_task SET assignee_id = $2 WHERE id = $1`, [ids.task, t.ids.users.TECHNICIAN_2]);
  of = await cards();
  expect(of('TECHNICIAN')).toBe(0);
  expect(of('TECHNICIAN_2')).toBe(1);
});
