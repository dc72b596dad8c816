/**
 * A technician reads the service requests of the tasks they are assigned to or help on (SPEC §7), through
 * service_request_worker (migration RequestWorkers, kept by a trigger on service_task): the request follows the
 * task's assignee, its helpers, a task moved to another request and a task deleted — on a node read and in the
 * statistics, both derived from the one read policy.
 */
import { startTestApi, type TestApi } from '../support/api';
import { toGlobalId } from '../../src/graphql/global-id';

let t: TestApi;
const sh = (local: string) => `${local}+08:00`;
const JUNE = { from: sh('2025-06-01T00:00:00'), to: sh('2025-07-01T00:00:00') };
const ids: Record<string, string> = {};

const sees = async (who: string, request: string) => {
  const res = await t.gql(who, `query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('ServiceRequest', request) });
  expect(res.errors).toBeUndefined();
  return res.data.node !== null;
};
const received = async (who: string) => {
  const res = await t.gql(who, `query($filter: StatisticsFilter) { statistics(filter: $filter) { requests { received } } }`, { filter: JUNE });
  expect(res.errors).toBeUndefined();
  return res.data.statistics.requests.received as number;
};
const rows = async () =>
  (await t.owner.query(`SELECT worker_id, request_id, task_id FROM service_request_worker WHERE task_id = $1 ORDER BY worker_id`, [ids.task])).map((r: any) => [r.worker_id, r.request_id]);

beforeAll(async () => {
  t = await startTestApi();
  const { departments: dept, customers: cust, users: user } = t.ids;
  const request = async (n: string) =>
    (
      await t.owner.query(
        `INSERT INTO service_request (number, state, version, created_by_id, created_at, customer_id, channel, category, service_type, target_department_id, submitted_at)
         VALUES ($5, 'IN_SERVICE', 5, $1, $2, $3, 'PHONE', 'AFTER_SALES', 'REPAIR', $4, $2) RETURNING id`,
        [user.AGENT, sh('2025-06-02T09:00:00'), cust.ACME, dept.TECH, n],
      )
    )[0].id;
  ids.one = await request('SR-RW-1');
  ids.two = await request('SR-RW-2');
  const [k] = await t.owner.query(
    `INSERT INTO service_task (number, state, version, created_by_id, request_id, customer_id, department_id, assignee_id)
     VALUES ('ST-RW-1', 'IN_PROGRESS', 4, $1, $2, $3, $4, $5) RETURNING id`,
    [user.SUPERVISOR_TECH, ids.one, cust.ACME, dept.TECH, user.TECHNICIAN],
  );
  ids.task = k.id;
}, 120_000);
afterAll(() => t.close());

test("a request's technicians follow its tasks' assignee and helpers", async () => {
  const { TECHNICIAN, TECHNICIAN_2 } = t.ids.users;
  expect(await rows()).toEqual([[TECHNICIAN, ids.one]]);
  expect(await sees('TECHNICIAN', ids.one)).toBe(true);
  expect(await sees('TECHNICIAN_2', ids.one)).toBe(false);
  expect(await received('TECHNICIAN')).toBe(1);
  expect(await received('TECHNICIAN_2')).toBe(0);

  // a helper joins: both read the request
  await t.owner.query(`UPDATE service_task SET helper_ids = ARRAY[$2::uuid] WHERE id = $1`, [ids.task, TECHNICIAN_2]);
  expect(await sees('TECHNICIAN_2', ids.one)).toBe(true);
  expect(await received('TECHNICIAN_2')).toBe(1);

  // the task changes hands: the helper becomes the assignee, the former assignee leaves
  await t.owner.query(`UPDATE service_task SET assignee_id = $2, helper_ids = '{}' WHERE id = $1`, [ids.task, TECHNICIAN_2]);
  expect(await rows()).toEqual([[TECHNICIAN_2, ids.one]]);
  expect(await sees('TECHNICIAN', ids.one)).toBe(false);
  expect(await received('TECHNICIAN')).toBe(0);
  expect(await sees('TECHNICIAN_2', ids.one)).toBe(true);

  // the task moves to another request: its technicians with it
  await t.owner.query(`UPDATE service_task SET request_id = $2 WHERE id = $1`, [ids.task, ids.two]);
  expect(await sees('TECHNICIAN_2', ids.one)).toBe(false);
  expect(await sees('TECHNICIAN_2', ids.two)).toBe(true);

  // an unrelated change of the task leaves the rows as they are; a deleted task takes them with it
  await t.owner.query(`UPDATE service_task SET version = version + 1 WHERE id = $1`, [ids.task]);
  expect(await rows()).toEqual([[TECHNICIAN_2, ids.two]]);
  await t.owner.query(`DELETE FROM service_task WHERE id = $1`, [ids.task]);
  expect(await rows()).toEqual([]);
  expect(await sees('TECHNICIAN_2', ids.two)).toBe(false);
});
