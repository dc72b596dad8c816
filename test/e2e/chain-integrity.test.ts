/** Invariants across documents of the chain that a race or an out-of-order event must not break (review findings). */
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, act, assignedTask, inProgressTask, ok, pendingTask, submittedRecord } from '../support/chain';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const recordStates = async (taskId: string) =>
  (await t.gql('AGENT', `query($id: ID!) { serviceTask(id: $id) { state records { state } } }`, { id: taskId })).data.serviceTask as { state: string; records: Array<{ state: string }> };

test('a record created while its task finishes: one of the two is refused, never an open record on a finished task', async () => {
  for (let round = 0; round < 6; round++) {
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    await submittedRecord(t, task.id);
    const [finish, create] = await Promise.all([
      act(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id }),
      act(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T06:00:00.000Z', actualEnd: '2026-12-01T07:00:00.000Z' }),
    ]);
    const after = await recordStates(task.id);
    if (after.state === 'AWAITING_ACCEPTANCE') {
      expect(after.records.map((r) => r.state)).toEqual(['SUBMITTED']);
      expect(create.userErrors[0].code).toBe('GUARD_FAILED');
    } else {
      expect(after.state).toBe('IN_PROGRESS');
      expect(finish.userErrors[0].code).toBe('GUARD_FAILED');
    }
  }
});

test('a request with open tasks cannot be cancelled; once they are cancelled it can', async () => {
  const sr = await acceptedRequest(t);
  const task = await pendingTask(t, sr.id);
  const refused = await act(t, 'CUSTOMER_ACME', 'cancelServiceRequest', { id: sr.id, reason: 'no longer needed' });
  expect(refused.userErrors[0]).toMatchObject({ code: 'GUARD_FAILED', message: expect.stringContaining('open tasks') });
  await ok(t, 'SUPERVISOR_TECH', 'cancelServiceTask', { id: task.id, reason: 'customer withdrew' });
  const cancelled = await ok(t, 'CUSTOMER_ACME', 'cancelServiceRequest', { id: sr.id, reason: 'no longer needed' });
  expect(cancelled.state).toBe('CANCELLED');
});

test('after FINISH the records are frozen: no send-back, no new entries', async () => {
  const sr = await acceptedRequest(t);
  const task = await inProgressTask(t, sr.id);
  const record = await submittedRecord(t, task.id);
  await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
  const sendBack = await act(t, 'SUPERVISOR_TECH', 'sendBackServiceRecord', { id: record.id, reason: 'add the serial number' });
  expect(sendBack.userErrors[0]).toMatchObject({ code: 'GUARD_FAILED', message: expect.stringContaining('frozen') });
  expect((await recordStates(task.id)).records.map((r) => r.state)).toEqual(['SUBMITTED']);
});

test('a confirmed task given to another technician waits for them to confirm', async () => {
  const sr = await acceptedRequest(t);
  const task = await assignedTask(t, sr.id);
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: task.id });
  const moved = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, assigneeId: t.gid.user('TECHNICIAN_2') });
  expect(moved.state).toBe('ASSIGNED');
  expect((await act(t, 'TECHNICIAN_2', 'startServiceTask', { id: task.id })).userErrors[0].code).toBe('INVALID_TRANSITION');
  expect((await ok(t, 'TECHNICIAN_2', 'confirmServiceTask', { id: task.id })).state).toBe('CONFIRMED');
  // a change that keeps the assignee keeps the confirmation
  const kept = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, resources: 'seal kit, torque wrench, ladder' });
  expect(kept.state).toBe('CONFIRMED');
});

test('system events are recorded as the system: a customer\'s history of the request does not name who approved', async () => {
  const sr = await acceptedRequest(t);
  await assignedTask(t, sr.id);
  const res = await t.gql('CUSTOMER_ACME', `query($id: ID!) { serviceRequest(id: $id) { state history(first: 100) { nodes { event actor { name } } } } }`, { id: sr.id });
  expect(res.data.serviceRequest.state).toBe('IN_SERVICE');
  expect(res.data.serviceRequest.history.nodes.at(-1)).toEqual({ event: 'START', actor: { name: 'system' } });
  expect(JSON.stringify(res.data)).not.toMatch(/Wang Qiang|Sun Hui/);
});
