/**
 * The chained service over HTTP with demo tokens: a customer's request, the
 * department's task (with its approval tier), the technician's records and
 * the customer's acceptance rounds, to a COMPLETED request.
 */
import { ServiceTask } from '../../src/documents/service-task/service-task.entity';
import { ServiceRequest } from '../../src/documents/service-request/service-request.entity';
import { ApprovalSignature } from '../../src/approval/approval.entity';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { ServiceRecord, ServiceRecordEntry } from '../../src/documents/service-record/service-record.entity';
import { ServiceAcceptance } from '../../src/documents/service-acceptance/service-acceptance.entity';
import { idOf } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import {
  ACCEPTANCE_FIELDS,
  acceptedRequest,
  act,
  assignedTask,
  draftTask,
  inProgressTask,
  latestAcceptance,
  ok,
  PASS,
  pendingTask,
  RECORD_FIELDS,
  REPAIR,
  signedRecord,
  submittedRecord,
  TASK_FIELDS,
  type Payload,
} from '../support/chain';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const uuid = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];

async function requestState(id: string) {
  return (await t.dataSource.getRepository(ServiceRequest).findOneByOrFail({ id: idOf(id, 'ServiceRequest')! })).state;
}
async function taskRow(id: string) {
  return t.dataSource.getRepository(ServiceTask).findOneByOrFail({ id: idOf(id, 'ServiceTask')! });
}

/** Refused with `code`; the task's row, its audit trail and its signatures are exactly as before. */
async function expectTaskUnchanged(id: string, code: string, act: () => Promise<Payload>): Promise<Payload> {
  const documentId = uuid(id);
  const before = await taskRow(id);
  const events = await t.dataSource.getRepository(AuditEvent).countBy({ documentId });
  const signatures = await t.dataSource.getRepository(ApprovalSignature).countBy({ documentId });
  const out = await act();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await taskRow(id)).toEqual(before);
  expect(await t.dataSource.getRepository(AuditEvent).countBy({ documentId })).toBe(events);
  expect(await t.dataSource.getRepository(ApprovalSignature).countBy({ documentId })).toBe(signatures);
  return out;
}

async function history(who: string, type: string, id: string): Promise<Array<{ event: string; fromState: string | null; toState: string; actor: { name: string } }>> {
  const field = type[0].toLowerCase() + type.slice(1);
  const res = await t.gql(who, `query($id: ID!) { ${field}(id: $id) { history(first: 100) { nodes { event fromState toState actor { name } changes } } } verifyAuditChain(documentId: $id) { valid } }`, { id });
  expect(res.errors).toBeUndefined();
  expect(res.data.verifyAuditChain).toEqual({ valid: true });
  return res.data[field].history.nodes;
}

describe('the whole chain', () => {
  test('a customer\'s request → task → record → acceptance passed and verified → the request is COMPLETED', async () => {
    const sr = await acceptedRequest(t);
    expect(sr.state).toBe('ACCEPTED');

    const draft = await draftTask(t, sr.id);
    expect(draft).toMatchObject({ state: 'DRAFT', tier: null, approvalRound: 0, estimatedCost: 1200, assignee: { name: 'Zhang Wei (服務人員)' } });
    expect(draft.number).toMatch(/^ST-\d{4}-\d{6}$/);

    const pending = await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: draft.id });
    expect(pending).toMatchObject({ state: 'PENDING_APPROVAL', tier: 'SUPERVISOR', approvalRound: 1 });

    const assigned = await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: draft.id, comment: 'Approved: routine repair.' });
    expect(assigned.state).toBe('ASSIGNED');
    expect(assigned.approvals).toEqual([
      expect.objectContaining({ round: 1, step: 'SUPERVISOR', decision: 'APPROVE', tier: 'SUPERVISOR', signerRole: 'SUPERVISOR', signerName: 'Sun Hui (技術支持部副主管)', comment: 'Approved: routine repair.', signer: { name: 'Sun Hui (技術支持部副主管)' } }),
    ]);
    // the first approved task starts the request, in the same transaction
    expect(await requestState(sr.id)).toBe('IN_SERVICE');

    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: draft.id });
    const started = await ok(t, 'TECHNICIAN', 'startServiceTask', { id: draft.id });
    expect(started).toMatchObject({ state: 'IN_PROGRESS', startedAt: expect.any(String) });

    // no acceptance exists to sign before the work is finished
    expect(await latestAcceptance(t, draft.id)).toBeUndefined();

    const record = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: draft.id, actualStart: '2026-12-01T02:00:00.000Z' });
    expect(record.number).toMatch(/^RC-\d{4}-\d{6}$/);
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'Drained the pump and removed the old seal.' });
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROBLEM', text: 'Shaft sleeve scored.' });
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'SOLUTION', text: 'Fitted a new sleeve from the van stock.' });
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'FEEDBACK', text: 'Plant manager satisfied with the test run.' });
    // SUBMIT needs the end time
    const early = await act(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id });
    expect(early.userErrors).toEqual([expect.objectContaining({ code: 'GUARD_FAILED' })]);
    const sha256 = 'a'.repeat(64);
    const updated = await ok(t, 'TECHNICIAN', 'updateServiceRecord', {
      id: record.id,
      actualEnd: '2026-12-01T05:30:00.000Z',
      addAttachments: [{ name: 'after.jpg', contentType: 'image/jpeg', size: 204800, sha256, location: 's3://sdd-attachments/rc/after.jpg' }],
    });
    expect(updated.attachments).toEqual([{ name: 'after.jpg', contentType: 'image/jpeg', size: 204800, sha256, location: 's3://sdd-attachments/rc/after.jpg' }]);
    expect(updated.entries.map((e: any) => [e.seq, e.kind])).toEqual([[1, 'PROGRESS'], [2, 'PROBLEM'], [3, 'SOLUTION'], [4, 'FEEDBACK']]);
    // a repair: the warranty check and the repaired fault before filing
    const early2 = await act(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id });
    expect(early2.userErrors).toEqual([expect.objectContaining({ code: 'GUARD_FAILED', message: expect.stringContaining('warranty check') })]);
    await ok(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR });
    await ok(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id });
    // the department's supervisor reviews only a report the customer has signed
    const unsigned = await act(t, 'SUPERVISOR_TECH', 'approveServiceRecord', { id: record.id });
    expect(unsigned.userErrors).toEqual([expect.objectContaining({ code: 'GUARD_FAILED', message: expect.stringContaining('signed') })]);
    const signed = await ok(t, 'CUSTOMER_ACME', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE' });
    expect(signed).toMatchObject({ state: 'SUBMITTED', customerSignerName: 'Alice Acme', customerSignChannel: 'PORTAL', customerSignedAt: expect.any(String) });
    const reviewed = await ok(t, 'SUPERVISOR_TECH', 'approveServiceRecord', { id: record.id });
    expect(reviewed.state).toBe('REVIEWED');

    const finished = await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: draft.id });
    expect(finished.state).toBe('AWAITING_ACCEPTANCE');
    const acceptance = await latestAcceptance(t, draft.id, 'CUSTOMER_ACME');
    expect(acceptance).toMatchObject({ state: 'PENDING_CUSTOMER', round: 1 });
    expect(acceptance.number).toMatch(/^AC-\d{4}-\d{6}$/);
    // the customer finds it among the acceptances waiting for them
    const waiting = await t.gql('CUSTOMER_ACME', `{ serviceAcceptances(filter: { state: [PENDING_CUSTOMER] }) { nodes { id } } }`);
    expect(waiting.data.serviceAcceptances.nodes).toContainEqual({ id: acceptance.id });

    const passed = await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acceptance.id, ...PASS });
    expect(passed).toMatchObject({ state: 'PASSED', signerName: 'Alice Acme', qualityScore: 5, satisfaction: 'VERY_SATISFIED', itemsConfirmed: PASS.itemsConfirmed, signedAt: expect.any(String) });
    // verification is customer service's
    const notTheirs = await act(t, 'CUSTOMER_ACME', 'verifyServiceAcceptance', { id: acceptance.id });
    expect(notTheirs.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const verified = await ok(t, 'AGENT', 'verifyServiceAcceptance', { id: acceptance.id });
    expect(verified).toMatchObject({ state: 'VERIFIED', verifiedAt: expect.any(String) });

    expect((await taskRow(draft.id)).state).toBe('COMPLETED');
    expect(await requestState(sr.id)).toBe('COMPLETED');

    expect((await history('AGENT', 'ServiceRequest', sr.id)).map((h) => h.event)).toEqual(['CREATE', 'SUBMIT', 'ACCEPT', 'START', 'COMPLETE']);
    expect((await history('AGENT', 'ServiceTask', draft.id)).map((h) => [h.event, h.toState])).toEqual([
      ['CREATE', 'DRAFT'],
      ['SUBMIT', 'PENDING_APPROVAL'],
      ['APPROVE', 'ASSIGNED'],
      ['CONFIRM', 'CONFIRMED'],
      ['START', 'IN_PROGRESS'],
      ['FINISH', 'AWAITING_ACCEPTANCE'],
      ['CLOSE', 'COMPLETED'],
    ]);
    const acceptanceHistory = await history('AGENT', 'ServiceAcceptance', acceptance.id);
    expect(acceptanceHistory.map((h) => [h.event, h.actor.name])).toEqual([
      // opened by the system, reacting to the technician's FINISH (the same request id links the two)
      ['CREATE', 'system'],
      ['PASS', 'Alice Acme'],
      ['VERIFY', 'Li Na (客服)'],
    ]);

    // the nested read: request → tasks → records → entries, acceptances
    const nested = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { state tasks { state department { code } customer { code } helpers { name }
      records { state author { name } entries { kind } } acceptances { round state } request { id } } } }`, { id: sr.id });
    expect(nested.data.serviceRequest).toEqual({
      state: 'COMPLETED',
      tasks: [{ state: 'COMPLETED', department: { code: 'TECH' }, customer: { code: 'ACME' }, helpers: [],
        records: [{ state: 'REVIEWED', author: { name: 'Zhang Wei (服務人員)' }, entries: [{ kind: 'PROGRESS' }, { kind: 'PROBLEM' }, { kind: 'SOLUTION' }, { kind: 'FEEDBACK' }] }],
        acceptances: [{ round: 1, state: 'VERIFIED' }], request: { id: sr.id } }],
    });
  });

  test('a failed acceptance reopens the task; after rectification round 2 is passed and verified', async () => {
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    await submittedRecord(t, task.id);
    await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
    const round1 = await latestAcceptance(t, task.id, 'CUSTOMER_ACME');

    const failed = await ok(t, 'CUSTOMER_ACME', 'failServiceAcceptance', { id: round1.id, issues: 'Pump still leaks at the gland.' });
    expect(failed).toMatchObject({ state: 'FAILED', round: 1, issues: 'Pump still leaks at the gland.', signerName: 'Alice Acme' });
    expect((await taskRow(task.id)).state).toBe('IN_PROGRESS');
    expect(await requestState(sr.id)).toBe('IN_SERVICE');
    // a failed round is final
    expect((await act(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: round1.id, ...PASS })).userErrors[0].code).toBe('INVALID_TRANSITION');

    // rectification (整改): another visit, another record
    await submittedRecord(t, task.id, 'TECHNICIAN', 'Re-seated the gland packing; no leak after 2 h.');
    await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
    const round2 = await latestAcceptance(t, task.id, 'CUSTOMER_ACME');
    expect(round2).toMatchObject({ state: 'PENDING_CUSTOMER', round: 2 });
    expect(round2.id).not.toBe(round1.id);

    // a paper signature recorded by customer service names the signer
    const unnamed = await act(t, 'AGENT', 'passServiceAcceptance', { id: round2.id, ...PASS });
    expect(unnamed.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'signerName' })]);
    // nobody signs before the service: a paper signature dated before the finish is refused
    const finishedAt = (await taskRow(task.id)).finishedAt!;
    const backdated = await act(t, 'AGENT', 'passServiceAcceptance', { id: round2.id, ...PASS, signerName: 'Wu Bo (plant manager)', signedAt: new Date(finishedAt.getTime() - 3_600_000).toISOString() });
    expect(backdated.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'signedAt' })]);
    const signedAt = new Date().toISOString();
    const passed = await ok(t, 'AGENT', 'passServiceAcceptance', { id: round2.id, ...PASS, signerName: 'Wu Bo (plant manager)', signedAt });
    expect(passed).toMatchObject({ state: 'PASSED', signerName: 'Wu Bo (plant manager)', signedAt });
    // the agent doubts it, the customer signs again
    const queried = await ok(t, 'AGENT', 'queryServiceAcceptance', { id: round2.id, reason: 'Signature illegible; please confirm online.' });
    expect(queried).toMatchObject({ state: 'PENDING_CUSTOMER', signedAt: null });
    await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: round2.id, ...PASS });
    await ok(t, 'AGENT', 'verifyServiceAcceptance', { id: round2.id });

    expect((await taskRow(task.id)).state).toBe('COMPLETED');
    expect(await requestState(sr.id)).toBe('COMPLETED');
    const res = await t.gql('AGENT', `query($id: ID!) { serviceTask(id: $id) { acceptances { round state } records { state } } }`, { id: task.id });
    expect(res.data.serviceTask).toEqual({ acceptances: [{ round: 1, state: 'FAILED' }, { round: 2, state: 'VERIFIED' }], records: [{ state: 'SUBMITTED' }, { state: 'SUBMITTED' }] });
    expect((await history('AGENT', 'ServiceTask', task.id)).map((h) => h.event)).toEqual(['CREATE', 'SUBMIT', 'APPROVE', 'CONFIRM', 'START', 'FINISH', 'REOPEN', 'FINISH', 'CLOSE']);
  });

  test('the request completes only when its last open task does; cancelled tasks do not count', async () => {
    const sr = await acceptedRequest(t);
    const a = await inProgressTask(t, sr.id);
    const b = await assignedTask(t, sr.id, { description: 'Second visit: calibrate sensors.' });
    const c = await draftTask(t, sr.id, { description: 'Spare task, maybe not needed.' });
    await submittedRecord(t, a.id);
    await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: a.id });
    const acc = await latestAcceptance(t, a.id);
    await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acc.id, ...PASS });
    await ok(t, 'AGENT', 'verifyServiceAcceptance', { id: acc.id });
    expect((await taskRow(a.id)).state).toBe('COMPLETED');
    expect(await requestState(sr.id)).toBe('IN_SERVICE');
    await ok(t, 'SUPERVISOR_TECH', 'cancelServiceTask', { id: c.id, reason: 'Not needed.' });
    expect(await requestState(sr.id)).toBe('IN_SERVICE');
    // cancelling the last open task leaves only completed ones: the request completes
    await ok(t, 'SUPERVISOR_TECH', 'cancelServiceTask', { id: b.id, reason: 'Sensors calibrated during the first visit.' });
    expect(await requestState(sr.id)).toBe('COMPLETED');
  });
});

describe('approval tiers (SPEC §2)', () => {
  test.each([
    ['an amount at the threshold', 'CUSTOMER_ACME', { estimatedCost: 50000 }],
    ['a KEY customer', 'CUSTOMER_HUAXIA', {}],
    ['a COMPLEX service', 'CUSTOMER_ACME', { complexity: 'COMPLEX' }],
  ])('%s needs the supervisor\'s endorsement and an executive\'s approval', async (_name, customer, plan) => {
    const sr = await acceptedRequest(t, customer);
    const task = await pendingTask(t, sr.id, plan);
    expect(task.tier).toBe('EXECUTIVE');

    // an executive cannot approve before the endorsement
    const early = await expectTaskUnchanged(task.id, 'APPROVAL_TIER', () => act(t, 'EXECUTIVE', 'approveServiceTask', { id: task.id }));
    expect(early.userErrors[0].message).toMatch(/endorsement/);

    // the supervisor's signature is an endorsement: the task is not approved yet
    const endorsed = await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id, comment: 'Endorsed.' });
    expect(endorsed.state).toBe('PENDING_EXECUTIVE');
    expect(await requestState(sr.id)).toBe('ACCEPTED');

    // no supervisor completes it, not even another one
    for (const who of ['SUPERVISOR_TECH_2', 'SUPERVISOR_TECH_3']) {
      const refused = await expectTaskUnchanged(task.id, 'APPROVAL_TIER', () => act(t, who, 'approveServiceTask', { id: task.id }));
      expect(refused.userErrors[0].message).toMatch(/only an executive/);
    }

    const approved = await ok(t, 'EXECUTIVE', 'approveServiceTask', { id: task.id, comment: 'Approved at GM level.' });
    expect(approved.state).toBe('ASSIGNED');
    expect(approved.approvals.map((a: any) => [a.step, a.decision, a.signerRole, a.signerName, a.tier, a.comment])).toEqual([
      ['SUPERVISOR', 'ENDORSE', 'SUPERVISOR', 'Sun Hui (技術支持部副主管)', 'EXECUTIVE', 'Endorsed.'],
      ['EXECUTIVE', 'APPROVE', 'EXECUTIVE', 'Zhao Gang (總經理)', 'EXECUTIVE', 'Approved at GM level.'],
    ]);
    expect(await requestState(sr.id)).toBe('IN_SERVICE');
  });

  test('just under the threshold, for a standard customer and service, the supervisor\'s approval is enough', async () => {
    const sr = await acceptedRequest(t);
    const task = await pendingTask(t, sr.id, { estimatedCost: 49999.99 });
    expect(task.tier).toBe('SUPERVISOR');
    expect((await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id })).state).toBe('ASSIGNED');
  });

  test('segregation of duties: the creator cannot approve; an out-of-department supervisor does not even see the task', async () => {
    const sr = await acceptedRequest(t);
    const task = await pendingTask(t, sr.id);
    const self = await expectTaskUnchanged(task.id, 'SEGREGATION_OF_DUTIES', () => act(t, 'SUPERVISOR_TECH', 'approveServiceTask', { id: task.id }));
    expect(self.userErrors[0].message).toMatch(/created/);
    await expectTaskUnchanged(task.id, 'NOT_FOUND', () => act(t, 'SUPERVISOR_SALES', 'approveServiceTask', { id: task.id }));
    // a technician cannot sign at all
    await expectTaskUnchanged(task.id, 'FORBIDDEN', () => act(t, 'TECHNICIAN', 'approveServiceTask', { id: task.id }));
  });

  test('a supervisor who already endorsed cannot also be the one who finishes the approval (and signatures of a round stay with it)', async () => {
    const sr = await acceptedRequest(t, 'CUSTOMER_HUAXIA');
    const task = await pendingTask(t, sr.id);
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id });
    // rejected at the executive step, it goes back to DRAFT with the signature recorded
    const rejected = await ok(t, 'EXECUTIVE', 'rejectServiceTask', { id: task.id, reason: 'Cost estimate missing travel.' });
    expect(rejected).toMatchObject({ state: 'DRAFT' });
    expect(rejected.approvals.map((a: any) => [a.round, a.decision, a.signerRole])).toEqual([[1, 'ENDORSE', 'SUPERVISOR'], [1, 'REJECT', 'EXECUTIVE']]);
    // resubmitted: a new round, in which the same supervisor may sign again
    const again = await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: task.id });
    expect(again.approvalRound).toBe(2);
    expect((await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id })).state).toBe('PENDING_EXECUTIVE');
  });

  test('segregation of duties: whoever endorsed cannot also give the executive approval', async () => {
    const sr = await acceptedRequest(t, 'CUSTOMER_HUAXIA');
    const task = await pendingTask(t, sr.id);
    const endorsed = await ok(t, 'EXEC_SUPERVISOR_TECH', 'approveServiceTask', { id: task.id });
    expect(endorsed.state).toBe('PENDING_EXECUTIVE');
    const twice = await expectTaskUnchanged(task.id, 'SEGREGATION_OF_DUTIES', () => act(t, 'EXEC_SUPERVISOR_TECH', 'approveServiceTask', { id: task.id }));
    expect(twice.userErrors[0].message).toMatch(/already signed/);
    expect((await ok(t, 'EXECUTIVE', 'approveServiceTask', { id: task.id })).state).toBe('ASSIGNED');
  });

  test('availableEvents tells each signer what they may do at each step, and why not', async () => {
    const sr = await acceptedRequest(t, 'CUSTOMER_HUAXIA');
    const task = await pendingTask(t, sr.id);
    const q = `query($id: ID!) { serviceTask(id: $id) { availableEvents { event mutation allowed code reason } } }`;
    const approve = async (who: string) => (await t.gql(who, q, { id: task.id })).data.serviceTask.availableEvents.find((e: any) => e.event === 'APPROVE');
    expect(await approve('SUPERVISOR_TECH_2')).toEqual({ event: 'APPROVE', mutation: 'approveServiceTask', allowed: true, code: null, reason: null });
    expect(await approve('SUPERVISOR_TECH')).toMatchObject({ allowed: false, code: 'SEGREGATION_OF_DUTIES' });
    expect(await approve('EXECUTIVE')).toMatchObject({ allowed: false, code: 'APPROVAL_TIER' });
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id });
    expect(await approve('SUPERVISOR_TECH_3')).toMatchObject({ allowed: false, code: 'APPROVAL_TIER' });
    expect(await approve('EXECUTIVE')).toMatchObject({ allowed: true });
  });

  test('before approval a change recomputes the tier; after approval a change of cost sends the task back for approval', async () => {
    const sr = await acceptedRequest(t);
    const task = await pendingTask(t, sr.id);
    expect(task.tier).toBe('SUPERVISOR');
    const raised = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, estimatedCost: 80000 });
    expect(raised).toMatchObject({ state: 'PENDING_APPROVAL', tier: 'EXECUTIVE', approvalRound: 1 });
    const lowered = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, estimatedCost: 3000 });
    expect(lowered).toMatchObject({ state: 'PENDING_APPROVAL', tier: 'SUPERVISOR' });
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id });
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: task.id });

    // a change that is not cost, customer or complexity keeps the approval
    const reworded = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, description: 'Replace seal and sleeve.' });
    expect(reworded).toMatchObject({ state: 'CONFIRMED', approvalRound: 1 });
    // the same cost is no change
    expect((await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, estimatedCost: 3000 })).state).toBe('CONFIRMED');

    const repriced = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, estimatedCost: 60000, comment: 'Needs a new impeller.' });
    expect(repriced).toMatchObject({ state: 'PENDING_APPROVAL', tier: 'EXECUTIVE', approvalRound: 2 });
    // round 2 starts from the beginning: SUPERVISOR_TECH_2 may endorse again, then the executive approves
    expect((await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id })).state).toBe('PENDING_EXECUTIVE');
    const reapproved = await ok(t, 'EXECUTIVE', 'approveServiceTask', { id: task.id });
    expect(reapproved.state).toBe('ASSIGNED');
    expect(reapproved.approvals.map((a: any) => [a.round, a.decision])).toEqual([[1, 'APPROVE'], [2, 'ENDORSE'], [2, 'APPROVE']]);
    // a complexity change sends it back too
    const complex = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, complexity: 'COMPLEX' });
    expect(complex).toMatchObject({ state: 'PENDING_APPROVAL', approvalRound: 3 });
  });

  test('two approvals of the same task at the same moment: exactly one succeeds, and the history shows one approval', async () => {
    const sr = await acceptedRequest(t);
    const task = await pendingTask(t, sr.id);
    const outcomes = await Promise.all(['SUPERVISOR_TECH_2', 'SUPERVISOR_TECH_3'].map((who) => act(t, who, 'approveServiceTask', { id: task.id })));
    const codes = outcomes.map((o) => o.userErrors[0]?.code ?? 'OK').sort();
    expect(codes).toEqual(['INVALID_TRANSITION', 'OK']);
    const res = await t.gql('AGENT', `query($id: ID!) { serviceTask(id: $id) { state version approvals { decision } history(first: 100) { nodes { event } } } }`, { id: task.id });
    expect(res.data.serviceTask.state).toBe('ASSIGNED');
    expect(res.data.serviceTask.version).toBe(3);
    expect(res.data.serviceTask.history.nodes.filter((h: any) => h.event === 'APPROVE')).toHaveLength(1);
    expect(res.data.serviceTask.approvals).toEqual([{ decision: 'APPROVE' }]);
    // and the request was started once
    expect((await history('AGENT', 'ServiceRequest', sr.id)).filter((h) => h.event === 'START')).toHaveLength(1);
  });
});

describe('concurrency across documents', () => {
  test('the last two tasks of a request verified at the same moment: the request completes once', async () => {
    const sr = await acceptedRequest(t);
    const tasks = [await inProgressTask(t, sr.id), await inProgressTask(t, sr.id, { description: 'Second line.' })];
    const acceptances = [];
    for (const task of tasks) {
      await submittedRecord(t, task.id);
      await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
      const acc = await latestAcceptance(t, task.id);
      await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acc.id, ...PASS });
      acceptances.push(acc);
    }
    const outcomes = await Promise.all(acceptances.map((acc, i) => act(t, i ? 'AGENT_2' : 'AGENT', 'verifyServiceAcceptance', { id: acc.id })));
    expect(outcomes.map((o) => o.userErrors)).toEqual([[], []]);
    expect(await requestState(sr.id)).toBe('COMPLETED');
    expect((await history('AGENT', 'ServiceRequest', sr.id)).filter((h) => h.event === 'COMPLETE')).toHaveLength(1);
  });

  test('two tasks of an accepted request approved at the same moment: both succeed, the request starts once', async () => {
    const sr = await acceptedRequest(t);
    const tasks = [await pendingTask(t, sr.id), await pendingTask(t, sr.id, { description: 'Second line.' })];
    const outcomes = await Promise.all(tasks.map((task, i) => act(t, i ? 'SUPERVISOR_TECH_3' : 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id })));
    expect(outcomes.map((o) => [o.userErrors, o.doc.state])).toEqual([[[], 'ASSIGNED'], [[], 'ASSIGNED']]);
    expect((await history('AGENT', 'ServiceRequest', sr.id)).filter((h) => h.event === 'START')).toHaveLength(1);
  });
});

describe('task rules', () => {
  test('a task is made by the request\'s department from an ACCEPTED request, with technicians', async () => {
    const draftSr = await t.gql('CUSTOMER_ACME', `mutation { createServiceRequest(input: { category: AFTER_SALES, serviceType: REPAIR }) { serviceRequest { id } } }`);
    const srId = draftSr.data.createServiceRequest.serviceRequest.id;
    const before = await t.dataSource.getRepository(ServiceTask).count();
    // the supervisor does not see a request not routed to them
    expect((await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: srId })).userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: 'requestId' })]);
    expect((await act(t, 'TECHNICIAN', 'createServiceTask', { requestId: srId })).userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const sr = await acceptedRequest(t);
    expect((await act(t, 'SUPERVISOR_SALES', 'createServiceTask', { requestId: sr.id })).userErrors[0].code).toBe('NOT_FOUND');
    expect((await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, assigneeId: t.gid.user('AGENT') })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'assigneeId' })]);
    expect((await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, plannedStart: '2026-12-02T00:00:00Z', plannedEnd: '2026-12-01T00:00:00Z' })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'plannedEnd' })]);
    expect(await t.dataSource.getRepository(ServiceTask).count()).toBe(before);
    // submitting an incomplete plan is refused
    const bare = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id });
    const refused = await expectTaskUnchanged(bare.id, 'GUARD_FAILED', () => act(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: bare.id }));
    expect(refused.userErrors[0].message).toMatch(/assignee/);
  });

  test('dispute and revise; finish needs submitted records; only the assignee confirms', async () => {
    const sr = await acceptedRequest(t);
    const task = await assignedTask(t, sr.id);
    await expectTaskUnchanged(task.id, 'FORBIDDEN', () => act(t, 'SUPERVISOR_TECH', 'confirmServiceTask', { id: task.id }));
    await expectTaskUnchanged(task.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'disputeServiceTask', { id: task.id, reason: ' ' }));
    const disputed = await ok(t, 'TECHNICIAN', 'disputeServiceTask', { id: task.id, reason: 'I am on leave that week.' });
    expect(disputed.state).toBe('DISPUTED');
    const revised = await ok(t, 'SUPERVISOR_TECH', 'reviseServiceTask', { id: task.id, assigneeId: t.gid.user('TECHNICIAN_2'), helperIds: [t.gid.user('TECHNICIAN')] });
    expect(revised).toMatchObject({ state: 'DRAFT', assignee: { name: 'Huang Lei (服務人員)' } });
    await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: task.id });
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id });
    await ok(t, 'TECHNICIAN_2', 'confirmServiceTask', { id: task.id });
    await ok(t, 'TECHNICIAN_2', 'startServiceTask', { id: task.id });

    const none = await expectTaskUnchanged(task.id, 'GUARD_FAILED', () => act(t, 'TECHNICIAN_2', 'finishServiceTask', { id: task.id }));
    expect(none.userErrors[0].message).toMatch(/at least one service record/);
    // the helper writes a record; while it is OPEN the task cannot finish
    const record = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T02:00:00Z', actualEnd: '2026-12-01T03:00:00Z' });
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'Checked wiring.' });
    await expectTaskUnchanged(task.id, 'GUARD_FAILED', () => act(t, 'TECHNICIAN_2', 'finishServiceTask', { id: task.id }));
    await ok(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR });
    await ok(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id });
    await signedRecord(t, record.id);
    // the department's supervisor reviews the helper's record, no longer the assignee (SPEC §3.3)
    await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'TECHNICIAN_2', 'approveServiceRecord', { id: record.id }));
    expect((await ok(t, 'SUPERVISOR_TECH', 'approveServiceRecord', { id: record.id })).state).toBe('REVIEWED');
    // cancelling after the work started is not allowed
    await expectTaskUnchanged(task.id, 'INVALID_TRANSITION', () => act(t, 'SUPERVISOR_TECH', 'cancelServiceTask', { id: task.id, reason: 'x' }));
    expect((await ok(t, 'TECHNICIAN_2', 'finishServiceTask', { id: task.id })).state).toBe('AWAITING_ACCEPTANCE');
  });
});

/** Refused with `code`; the document's row and audit trail are exactly as before. */
async function expectUnchanged(entity: Function, id: string, code: string, act: () => Promise<Payload>): Promise<Payload> {
  const documentId = uuid(id);
  const repo = t.dataSource.getRepository(entity as never);
  const before = await repo.findOneByOrFail({ id: documentId } as never);
  const events = await t.dataSource.getRepository(AuditEvent).countBy({ documentId });
  const out = await act();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await repo.findOneByOrFail({ id: documentId } as never)).toEqual(before);
  expect(await t.dataSource.getRepository(AuditEvent).countBy({ documentId })).toBe(events);
  return out;
}

describe('refusals on records and acceptances change nothing', () => {
  test('records: a second author, a missing end, a technician reviewing; acceptances: an unsigned verify, a bad score, a nameless paper signature', async () => {
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T02:00:00Z' });
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'Step one.' });
    const entries = () => t.dataSource.getRepository(ServiceRecordEntry).countBy({ recordId: uuid(record.id) });
    const entryCount = await entries();
    await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'SUPERVISOR_TECH', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'not mine' }));
    await expectUnchanged(ServiceRecord, record.id, 'GUARD_FAILED', () => act(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id }));
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, actualEnd: '2026-12-01T03:00:00.001Z' }));
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, addAttachments: [{ name: 'x', contentType: 'image/png', size: 1, sha256: 'not-a-hash', location: 's3://x' }] }));
    expect(await entries()).toBe(entryCount);
    await ok(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, actualEnd: '2026-12-01T03:00:00Z' });
    await ok(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR });
    await ok(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id });
    // the author is a technician: reviewing is a supervisor's (and never the author's: the segregation guard)
    await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'TECHNICIAN', 'approveServiceRecord', { id: record.id }));
    await expectUnchanged(ServiceRecord, record.id, 'INVALID_TRANSITION', () => act(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'too late' }));

    await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
    const acc = await latestAcceptance(t, task.id);
    await expectUnchanged(ServiceAcceptance, acc.id, 'INVALID_TRANSITION', () => act(t, 'AGENT', 'verifyServiceAcceptance', { id: acc.id }));
    await expectUnchanged(ServiceAcceptance, acc.id, 'FORBIDDEN', () => act(t, 'TECHNICIAN', 'passServiceAcceptance', { id: acc.id, ...PASS }));
    await expectUnchanged(ServiceAcceptance, acc.id, 'VALIDATION', () => act(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acc.id, ...PASS, qualityScore: 6 }));
    await expectUnchanged(ServiceAcceptance, acc.id, 'VALIDATION', () => act(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acc.id, ...PASS, itemsConfirmed: ['ok', '  '] }));
    await expectUnchanged(ServiceAcceptance, acc.id, 'VALIDATION', () => act(t, 'AGENT', 'passServiceAcceptance', { id: acc.id, ...PASS }));
    // and the task did not move either
    expect((await taskRow(task.id)).state).toBe('AWAITING_ACCEPTANCE');
  });
});

describe('service records', () => {
  test('an amended entry shows both texts and the corrector, and why', async () => {
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id });
    const added = await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'Replaced seal type A.' });
    const entry = added.entries[0];
    const amended = await ok(t, 'TECHNICIAN', 'amendEntryServiceRecord', { id: record.id, entryId: entry.id, text: 'Replaced seal type B.', reason: 'Wrong seal type noted.' });
    expect(amended.entries).toEqual([
      expect.objectContaining({
        seq: 1,
        kind: 'PROGRESS',
        text: 'Replaced seal type B.',
        amended: true,
        author: { name: 'Zhang Wei (服務人員)' },
        revisions: [
          expect.objectContaining({ revision: 1, text: 'Replaced seal type A.', authorName: 'Zhang Wei (服務人員)', reason: null }),
          expect.objectContaining({ revision: 2, text: 'Replaced seal type B.', authorName: 'Zhang Wei (服務人員)', reason: 'Wrong seal type noted.' }),
        ],
      }),
    ]);
    // the amendment is in the record's history with its reason
    expect((await history('AGENT', 'ServiceRecord', record.id)).at(-1)).toMatchObject({ event: 'AMEND_ENTRY', actor: { name: 'Zhang Wei (服務人員)' } });
    // an amendment needs a reason; someone else's entry id is refused; only the author amends
    expect((await act(t, 'TECHNICIAN', 'amendEntryServiceRecord', { id: record.id, entryId: entry.id, text: 'x', reason: '' })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'reason' });
    expect((await act(t, 'TECHNICIAN', 'amendEntryServiceRecord', { id: record.id, entryId: t.gid.user('AGENT'), text: 'x', reason: 'y' })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'entryId' });
    expect((await act(t, 'SUPERVISOR_TECH', 'amendEntryServiceRecord', { id: record.id, entryId: entry.id, text: 'x', reason: 'y' })).userErrors[0].code).toBe('FORBIDDEN');
  });

  test('times are to the minute and end is not before start; the author never reviews their own record', async () => {
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    expect((await act(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T02:00:30.000Z' })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'actualStart' })]);
    expect((await act(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T02:00:00.000Z', actualEnd: '2026-12-01T01:59:00.000Z' })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'actualEnd' })]);
    expect((await act(t, 'TECHNICIAN_2', 'createServiceRecord', { taskId: task.id })).userErrors[0].code).toBe('NOT_FOUND');
    const record = await submittedRecord(t, task.id);
    const self = await act(t, 'TECHNICIAN', 'approveServiceRecord', { id: record.id });
    expect(self.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('supervisor of the task\'s department') })]);
    const back = await ok(t, 'SUPERVISOR_TECH', 'sendBackServiceRecord', { id: record.id, reason: 'Add the pressure readings.' });
    expect(back).toMatchObject({ state: 'OPEN', sendBackReason: 'Add the pressure readings.' });
  });
});

describe('visibility (SPEC §7)', () => {
  test('a technician reads only the tasks they work on, and their requests; others get NOT_FOUND', async () => {
    const sr = await acceptedRequest(t);
    const task = await assignedTask(t, sr.id);
    const q = `query($task: ID!, $sr: ID!) { serviceTask(id: $task) { id } serviceRequest(id: $sr) { id tasks { id } } node(id: $task) { id } }`;
    const mine = await t.gql('TECHNICIAN', q, { task: task.id, sr: sr.id });
    expect(mine.data).toEqual({ serviceTask: { id: task.id }, serviceRequest: { id: sr.id, tasks: [{ id: task.id }] }, node: { id: task.id } });
    const other = await t.gql('TECHNICIAN_2', q, { task: task.id, sr: sr.id });
    expect(other.data).toEqual({ serviceTask: null, serviceRequest: null, node: null });
    await expectTaskUnchanged(task.id, 'NOT_FOUND', () => act(t, 'TECHNICIAN_2', 'confirmServiceTask', { id: task.id }));
    const list = await t.gql('TECHNICIAN_2', `{ serviceTasks(first: 100) { nodes { id } } }`);
    expect(list.data.serviceTasks.nodes).not.toContainEqual({ id: task.id });
    // a helper sees it
    await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, helperIds: [t.gid.user('TECHNICIAN_2')] });
    expect((await t.gql('TECHNICIAN_2', q, { task: task.id, sr: sr.id })).data.serviceTask).toEqual({ id: task.id });
  });

  test('a customer sees the status and schedule of their approved tasks: no cost, approvals or internal steps', async () => {
    const sr = await acceptedRequest(t);
    const draft = await draftTask(t, sr.id, { estimatedCost: 7777, complexity: 'COMPLEX' });
    const q = `query($id: ID!) { serviceTask(id: $id) { ${TASK_FIELDS} helpers { name } createdBy { name } records { id } history(first: 100) { nodes { event changes reason } } } }`;
    // not approved yet: not theirs to see
    expect((await t.gql('CUSTOMER_ACME', q, { id: draft.id })).data.serviceTask).toBeNull();
    await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: draft.id });
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: draft.id, comment: 'endorsed internally' });
    await ok(t, 'EXECUTIVE', 'approveServiceTask', { id: draft.id, comment: 'secret approval note' });

    const seen = (await t.gql('CUSTOMER_ACME', q, { id: draft.id })).data.serviceTask;
    expect(seen).toMatchObject({
      state: 'ASSIGNED',
      plannedStart: '2026-12-01T01:00:00.000Z',
      plannedEnd: '2026-12-01T09:00:00.000Z',
      estimatedCost: null,
      complexity: null,
      tier: null,
      approvalRound: null,
      resources: null,
      approvals: null,
      helpers: null,
      createdBy: null,
      records: [],
    });
    expect(seen.history.nodes.map((h: any) => h.event)).toEqual(['CREATE']);
    expect(JSON.stringify(seen)).not.toMatch(/7777|COMPLEX|EXECUTIVE|secret|endorsed|APPROVE/);
    expect(JSON.stringify(seen.history.nodes)).not.toMatch(/estimatedCost|complexity|resources|tier/);
    // through the request too
    const nested = await t.gql('CUSTOMER_ACME', `query($id: ID!) { serviceRequest(id: $id) { tasks { id estimatedCost approvals { comment } } } }`, { id: sr.id });
    expect(nested.data.serviceRequest.tasks).toEqual([{ id: draft.id, estimatedCost: null, approvals: null }]);
    // another organisation sees nothing
    expect((await t.gql('CUSTOMER_HUAXIA', q, { id: draft.id })).data.serviceTask).toBeNull();
    // staff do see it all
    const staff = (await t.gql('AGENT', q, { id: draft.id })).data.serviceTask;
    expect(staff).toMatchObject({ estimatedCost: 7777, complexity: 'COMPLEX', tier: 'EXECUTIVE' });
    expect(staff.approvals).toHaveLength(2);
  });

  test('supervisors see their department\'s chain; customers their own acceptances and their filed records (they sign them)', async () => {
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await submittedRecord(t, task.id);
    await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
    const acc = await latestAcceptance(t, task.id);
    const q = `query($task: ID!, $record: ID!, $acc: ID!) { serviceTask(id: $task) { id } serviceRecord(id: $record) { id } serviceAcceptance(id: $acc) { id } }`;
    const vars = { task: task.id, record: record.id, acc: acc.id };
    const see = async (who: string) => (await t.gql(who, q, vars)).data;
    expect(await see('SUPERVISOR_TECH_3')).toEqual({ serviceTask: { id: task.id }, serviceRecord: { id: record.id }, serviceAcceptance: { id: acc.id } });
    expect(await see('EXECUTIVE')).toEqual({ serviceTask: { id: task.id }, serviceRecord: { id: record.id }, serviceAcceptance: { id: acc.id } });
    expect(await see('SUPERVISOR_SALES')).toEqual({ serviceTask: null, serviceRecord: null, serviceAcceptance: null });
    expect(await see('CUSTOMER_ACME')).toEqual({ serviceTask: { id: task.id }, serviceRecord: { id: record.id }, serviceAcceptance: { id: acc.id } });
    expect(await see('CUSTOMER_HUAXIA')).toEqual({ serviceTask: null, serviceRecord: null, serviceAcceptance: null });
    expect(await see('TECHNICIAN_2')).toEqual({ serviceTask: null, serviceRecord: null, serviceAcceptance: null });
    expect(await see('TECHNICIAN')).toEqual({ serviceTask: { id: task.id }, serviceRecord: { id: record.id }, serviceAcceptance: { id: acc.id } });
    const lists = async (who: string) => {
      const res = await t.gql(who, `query($task: ID!) { serviceTasks(filter: { requestId: "${sr.id}" }) { nodes { id } } serviceRecords(filter: { taskId: $task }) { totalCount nodes { id } } serviceAcceptances(filter: { taskId: $task }) { nodes { id } } }`, { task: task.id });
      expect(res.errors).toBeUndefined();
      return [res.data.serviceTasks.nodes.length, res.data.serviceRecords.totalCount, res.data.serviceAcceptances.nodes.length];
    };
    expect(await lists('SUPERVISOR_TECH')).toEqual([1, 1, 1]);
    expect(await lists('SUPERVISOR_SALES')).toEqual([0, 0, 0]);
    expect(await lists('CUSTOMER_ACME')).toEqual([1, 1, 1]);
    expect(await lists('TECHNICIAN_2')).toEqual([0, 0, 0]);
    // another organisation cannot sign it: it answers like a missing acceptance
    expect((await act(t, 'CUSTOMER_HUAXIA', 'passServiceAcceptance', { id: acc.id, ...PASS })).userErrors[0].code).toBe('NOT_FOUND');
    // acceptances are opened only by FINISH
    const types = await t.gql('AGENT', `{ __type(name: "Mutation") { fields { name } } }`);
    expect(types.data.__type.fields.map((f: any) => f.name)).not.toContain('createServiceAcceptance');
  });
});

export { ACCEPTANCE_FIELDS, RECORD_FIELDS };
