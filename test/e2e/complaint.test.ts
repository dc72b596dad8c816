/**
 * Complaints (SPEC §3.5) over HTTP with demo tokens: a customer's complaint through classification, the
 * responsible department's investigation and resolution, the executive's approval, the notification, a
 * reopening and the return visit; a rejected resolution; refusals that change nothing; what portal users
 * never see; the list and its filters.
 */
import { ApprovalSignature } from '../../src/approval/approval.entity';
import { Complaint } from '../../src/documents/complaint/complaint.entity';
import { idOf } from '../../src/graphql/global-id';
import { addWorkingDays } from '../../src/time/working-days';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { startTestApi, type TestApi } from '../support/api';
import { createRequest, USER_ERRORS } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const FIELDS = `id number state version channel subject description receivedAt createdAt category severity classifiedAt internalNote
  assignedAt resolutionDueAt resolutionOverdue investigationStartedAt cause responsibility remedy compensationAmount resolutionProposedAt approvalRound rejectionReason resolvedAt
  notifiedVia notificationNote notifiedAt firstResponseAt customerConfirmedAt unsatisfiedReason reopenCount followUpNote satisfaction closedAt
  customer { code } department { code } createdBy { name } resolvedBy { name } request { id }
  approvals { round step decision tier signerRole signerName comment signer { name } }`;
/** what portal users never see */
const STAFF_ONLY = ['cause', 'responsibility', 'remedy', 'compensationAmount', 'internalNote', 'rejectionReason', 'approvalRound', 'resolutionProposedAt', 'resolvedBy', 'approvals'];

const INPUT_TYPES: Record<string, string> = {
  createComplaint: 'CreateComplaintInput',
  classifyComplaint: 'ClassifyComplaintInput',
  assignComplaint: 'AssignComplaintInput',
  investigateComplaint: 'DocumentEventInput',
  resolveComplaint: 'ResolveComplaintInput',
  approveComplaint: 'DocumentEventInput',
  rejectComplaint: 'ReasonEventInput',
  notifyComplaint: 'NotifyComplaintInput',
  confirmSatisfiedComplaint: 'DocumentEventInput',
  reportUnsatisfiedComplaint: 'ReasonEventInput',
  closeComplaint: 'CloseComplaintInput',
  archiveComplaint: 'DocumentEventInput',
};

type Payload = { doc: any; userErrors: Array<{ code: string; message: string; field: string | null }> };

async function act(who: string, mutation: string, input: Record<string, unknown>): Promise<Payload> {
  const res = await t.gql(who, `mutation($input: ${INPUT_TYPES[mutation]}!) { ${mutation}(input: $input) { complaint { ${FIELDS} } ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return { doc: res.data[mutation].complaint, userErrors: res.data[mutation].userErrors };
}

async function ok(who: string, mutation: string, input: Record<string, unknown>): Promise<any> {
  const out = await act(who, mutation, input);
  expect({ mutation, userErrors: out.userErrors }).toEqual({ mutation, userErrors: [] });
  return out.doc;
}

async function read(who: string, id: string): Promise<any> {
  const res = await t.gql(who, `query($id: ID!) { complaint(id: $id) { ${FIELDS} } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.complaint;
}

async function history(who: string, id: string): Promise<Array<{ event: string; fromState: string | null; toState: string; reason: string | null; changes: Record<string, unknown> }>> {
  const res = await t.gql(who, `query($id: ID!) { complaint(id: $id) { history(first: 100) { nodes { event fromState toState reason changes } } } verifyAuditChain(documentId: $id) { valid } }`, { id });
  expect(res.errors).toBeUndefined();
  expect(res.data.verifyAuditChain).toEqual({ valid: true });
  return res.data.complaint.history.nodes;
}

const COMPLAINT = { subject: 'Technician was late and rude', description: 'The technician arrived four hours late and left without testing the pump.' };
const RESOLUTION = { cause: 'The technician was double-booked by dispatch.', responsibility: 'SERVICE_FAULT', remedy: 'A free re-test visit and an apology.', compensationAmount: 500.5 };

/** A complaint filed by `who` (staff for ACME by phone), classified and assigned to `department`. */
async function assignedComplaint(who = 'CUSTOMER_ACME', department = 'TECH', severity = 'MEDIUM', input: Record<string, unknown> = {}) {
  const staff = !who.startsWith('CUSTOMER');
  const cp = await ok(who, 'createComplaint', { ...COMPLAINT, ...(staff ? { customerId: t.gid.customer('ACME'), channel: 'PHONE' } : {}), ...input });
  await ok('AGENT', 'classifyComplaint', { id: cp.id, category: 'SERVICE_ATTITUDE', severity });
  return ok('AGENT', 'assignComplaint', { id: cp.id, departmentId: t.gid.department(department) });
}

async function pendingApproval(resolver = 'SUPERVISOR_TECH', who = 'CUSTOMER_ACME', department = 'TECH') {
  const cp = await assignedComplaint(who, department);
  await ok(resolver, 'investigateComplaint', { id: cp.id });
  return ok(resolver, 'resolveComplaint', { id: cp.id, ...RESOLUTION });
}

const row = (id: string) => t.dataSource.getRepository(Complaint).findOneByOrFail({ id: idOf(id, 'Complaint')! });

/** Refused with `code`; the complaint's row (version included), its audit trail and its signatures are exactly as before. */
async function expectUnchanged(id: string, code: string, attempt: () => Promise<Payload>): Promise<Payload> {
  const documentId = idOf(id, 'Complaint')!;
  const before = await row(id);
  const events = await t.dataSource.getRepository(AuditEvent).countBy({ documentId });
  const signatures = await t.dataSource.getRepository(ApprovalSignature).countBy({ documentId });
  const out = await attempt();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await row(id)).toEqual(before);
  expect(await t.dataSource.getRepository(AuditEvent).countBy({ documentId })).toBe(events);
  expect(await t.dataSource.getRepository(ApprovalSignature).countBy({ documentId })).toBe(signatures);
  return out;
}

describe('a customer\'s complaint, end to end', () => {
  test('filed → classified → assigned → investigated → resolved → approved → notified → unsatisfied → resolved again → approved → notified → satisfied → followed up → closed → archived', async () => {
    const sr = await createRequest(t, 'CUSTOMER_ACME');
    const filed = await ok('CUSTOMER_ACME', 'createComplaint', { ...COMPLAINT, requestId: sr.id, channel: 'PAPER' });
    expect(filed).toMatchObject({ state: 'RECEIVED', version: 1, channel: 'ONLINE', customer: { code: 'ACME' }, createdBy: { name: 'Alice Acme' }, request: { id: sr.id }, department: null, reopenCount: 0 });
    expect(filed.number).toMatch(/^CP-\d{4}-\d{6}$/);
    expect(filed.receivedAt).toBe(filed.createdAt);

    // customer service classifies it and gives it to technical support: HIGH is due 1 working day later
    const classified = await ok('AGENT', 'classifyComplaint', { id: filed.id, category: 'AFTER_SALES', severity: 'HIGH', internalNote: 'Second complaint this month.' });
    expect(classified).toMatchObject({ state: 'CLASSIFIED', category: 'AFTER_SALES', severity: 'HIGH', internalNote: 'Second complaint this month.' });
    expect(classified.classifiedAt).not.toBeNull();
    const assigned = await ok('AGENT', 'assignComplaint', { id: filed.id, departmentId: t.gid.department('TECH') });
    expect(assigned).toMatchObject({ state: 'ASSIGNED', department: { code: 'TECH' }, resolutionOverdue: false });
    expect(assigned.resolutionDueAt).toBe(addWorkingDays(new Date(assigned.assignedAt), 1).toISOString());

    // the department investigates and proposes a resolution
    const investigating = await ok('SUPERVISOR_TECH', 'investigateComplaint', { id: filed.id, comment: 'Calling the dispatcher.' });
    expect(investigating.state).toBe('INVESTIGATING');
    expect(investigating.investigationStartedAt).not.toBeNull();
    expect(investigating.firstResponseAt).toBeNull(); // internal: the customer has not been answered yet
    const proposed = await ok('SUPERVISOR_TECH', 'resolveComplaint', { id: filed.id, ...RESOLUTION });
    expect(proposed).toMatchObject({ state: 'PENDING_APPROVAL', ...RESOLUTION, approvalRound: 1, resolvedBy: { name: 'Wang Qiang (技術支持部主管)' }, resolvedAt: null });

    // the executive approves (seed 002); the signature is recorded like a task's
    const approved = await ok('EXECUTIVE', 'approveComplaint', { id: filed.id, comment: 'Agreed, and refund the call-out fee.' });
    expect(approved.state).toBe('RESOLVED');
    expect(approved.resolvedAt).not.toBeNull();
    expect(approved.approvals).toEqual([
      { round: 1, step: 'EXECUTIVE', decision: 'APPROVE', tier: 'EXECUTIVE', signerRole: 'EXECUTIVE', signerName: 'Zhao Gang (總經理)', comment: 'Agreed, and refund the call-out fee.', signer: { name: 'Zhao Gang (總經理)' } },
    ]);

    // customer service tells the customer: the first response
    const notified = await ok('AGENT', 'notifyComplaint', { id: filed.id, channel: 'PHONE', note: 'We apologise; a free re-test visit is booked for Monday.' });
    expect(notified).toMatchObject({ state: 'CUSTOMER_NOTIFIED', notifiedVia: 'PHONE', notificationNote: 'We apologise; a free re-test visit is booked for Monday.' });
    expect(notified.firstResponseAt).toBe(notified.notifiedAt);
    const firstResponseAt = notified.firstResponseAt;

    // the customer is not satisfied: back to the department
    const reopened = await ok('CUSTOMER_ACME', 'reportUnsatisfiedComplaint', { id: filed.id, reason: 'Monday is too late; the line is down.' });
    expect(reopened).toMatchObject({ state: 'INVESTIGATING', reopenCount: 1, unsatisfiedReason: 'Monday is too late; the line is down.' });

    // another supervisor of the department resolves it again, in a new round; the executive approves again
    const again = await ok('SUPERVISOR_TECH_2', 'resolveComplaint', { id: filed.id, ...RESOLUTION, remedy: 'A re-test visit tomorrow morning.', compensationAmount: 800 });
    expect(again).toMatchObject({ state: 'PENDING_APPROVAL', approvalRound: 2, remedy: 'A re-test visit tomorrow morning.', compensationAmount: 800, resolvedBy: { name: 'Sun Hui (技術支持部副主管)' } });
    const approvedAgain = await ok('EXECUTIVE', 'approveComplaint', { id: filed.id });
    expect(approvedAgain.approvals.map((a: any) => [a.round, a.decision])).toEqual([[1, 'APPROVE'], [2, 'APPROVE']]);

    const notifiedAgain = await ok('AGENT', 'notifyComplaint', { id: filed.id, channel: 'EMAIL', note: 'A technician comes tomorrow at 9:00.' });
    expect(notifiedAgain).toMatchObject({ state: 'CUSTOMER_NOTIFIED', notifiedVia: 'EMAIL' });
    expect(notifiedAgain.firstResponseAt).toBe(firstResponseAt); // the first reply stays the first
    expect(notifiedAgain.notifiedAt > firstResponseAt).toBe(true);

    // another portal user of the organisation answers for it; customer service makes the return visit and closes it
    const satisfied = await ok('CUSTOMER_ACME_2', 'confirmSatisfiedComplaint', { id: filed.id });
    expect(satisfied.state).toBe('FOLLOW_UP');
    expect(satisfied.customerConfirmedAt).not.toBeNull();
    const closed = await ok('AGENT', 'closeComplaint', { id: filed.id, note: 'Line running again; customer thanked the technician.', satisfaction: 'SATISFIED' });
    expect(closed).toMatchObject({ state: 'CLOSED', followUpNote: 'Line running again; customer thanked the technician.', satisfaction: 'SATISFIED' });
    expect(closed.closedAt).not.toBeNull();

    // records control: customer service may not archive; the archivist, who does not read a closed complaint
    // (only the register lists it), archives it (records control, src/records/) and then reads it
    expect(await read('ARCHIVIST', filed.id)).toBeNull();
    expect((await act('AGENT', 'archiveComplaint', { id: filed.id })).userErrors[0].code).toBe('FORBIDDEN');
    expect((await act('ARCHIVIST', 'archiveComplaint', { id: filed.id })).userErrors).toEqual([]);
    expect((await read('ARCHIVIST', filed.id)).state).toBe('ARCHIVED');

    // the whole story in the audit trail, chained
    expect((await history('AGENT', filed.id)).map((e) => `${e.event} → ${e.toState}`)).toEqual([
      'CREATE → RECEIVED', 'CLASSIFY → CLASSIFIED', 'ASSIGN → ASSIGNED', 'INVESTIGATE → INVESTIGATING', 'RESOLVE → PENDING_APPROVAL', 'APPROVE → RESOLVED',
      'NOTIFY → CUSTOMER_NOTIFIED', 'REPORT_UNSATISFIED → INVESTIGATING', 'RESOLVE → PENDING_APPROVAL', 'APPROVE → RESOLVED', 'NOTIFY → CUSTOMER_NOTIFIED',
      'CONFIRM_SATISFIED → FOLLOW_UP', 'CLOSE → CLOSED', 'ARCHIVE → ARCHIVED',
    ]);

    // the portal user's view: progress and what they were told, never the internal judgement
    const theirs = await read('CUSTOMER_ACME', filed.id);
    expect(theirs).toMatchObject({ state: 'ARCHIVED', category: 'AFTER_SALES', severity: 'HIGH', department: { code: 'TECH' }, notificationNote: 'A technician comes tomorrow at 9:00.', satisfaction: 'SATISFIED', reopenCount: 1 });
    for (const field of STAFF_ONLY) expect({ field, value: theirs[field] }).toEqual({ field, value: null });
    const theirHistory = await history('CUSTOMER_ACME', filed.id);
    expect(theirHistory.map((e) => e.event)).toEqual(['CREATE', 'CLASSIFY', 'ASSIGN', 'INVESTIGATE', 'NOTIFY', 'REPORT_UNSATISFIED', 'NOTIFY', 'CONFIRM_SATISFIED', 'CLOSE', 'ARCHIVE']);
    const changed = theirHistory.flatMap((e) => Object.keys(e.changes));
    expect(changed).toEqual(expect.arrayContaining(['category', 'severity', 'notificationNote']));
    for (const field of ['cause', 'responsibility', 'remedy', 'compensationAmount', 'internalNote', 'resolvedById', 'approvalRound']) expect(changed).not.toContain(field);

    // and the request it is about lists it, for the customer as for staff
    const viaRequest = await t.gql('CUSTOMER_ACME', `query($id: ID!) { serviceRequest(id: $id) { complaints { id cause compensationAmount responsibility } } }`, { id: sr.id });
    expect(viaRequest.data.serviceRequest.complaints).toEqual([{ id: filed.id, cause: null, compensationAmount: null, responsibility: null }]);
  });

  test('a rejected resolution goes back to INVESTIGATING, with the executive\'s signature and reason recorded', async () => {
    const pending = await pendingApproval('SUPERVISOR_TECH', 'AGENT');
    expect(pending.channel).toBe('PHONE');

    // a reason is required
    const blank = await expectUnchanged(pending.id, 'VALIDATION', () => act('EXECUTIVE', 'rejectComplaint', { id: pending.id, reason: '   ' }));
    expect(blank.userErrors[0].field).toBe('reason');

    const rejected = await ok('EXECUTIVE', 'rejectComplaint', { id: pending.id, reason: 'Compensation without a cost breakdown; check with finance.' });
    expect(rejected).toMatchObject({ state: 'INVESTIGATING', rejectionReason: 'Compensation without a cost breakdown; check with finance.', approvalRound: 1, resolvedAt: null });
    expect(rejected.approvals).toEqual([
      { round: 1, step: 'EXECUTIVE', decision: 'REJECT', tier: 'EXECUTIVE', signerRole: 'EXECUTIVE', signerName: 'Zhao Gang (總經理)', comment: 'Compensation without a cost breakdown; check with finance.', signer: { name: 'Zhao Gang (總經理)' } },
    ]);
    const events = await history('AGENT', pending.id);
    expect(events.at(-1)).toMatchObject({ event: 'REJECT', fromState: 'PENDING_APPROVAL', toState: 'INVESTIGATING', reason: 'Compensation without a cost breakdown; check with finance.' });

    // resolved again in round 2 and approved
    await ok('SUPERVISOR_TECH', 'resolveComplaint', { id: pending.id, ...RESOLUTION, compensationAmount: 300 });
    const approved = await ok('EXECUTIVE', 'approveComplaint', { id: pending.id });
    expect(approved.approvals.map((a: any) => [a.round, a.decision])).toEqual([[1, 'REJECT'], [2, 'APPROVE']]);
    expect(approved.state).toBe('RESOLVED');
  });
});

describe('refusals change nothing', () => {
  test('a supervisor of another department may not investigate or resolve; one outside its audience does not even find it', async () => {
    const cp = await assignedComplaint('CUSTOMER_ACME', 'SALES');
    // a division head who supervises technical support reads every complaint, but SALES' is not theirs to handle
    await expectUnchanged(cp.id, 'FORBIDDEN', () => act('EXEC_SUPERVISOR_TECH', 'investigateComplaint', { id: cp.id }));
    await ok('SUPERVISOR_SALES', 'investigateComplaint', { id: cp.id });
    const forbidden = await expectUnchanged(cp.id, 'FORBIDDEN', () => act('EXEC_SUPERVISOR_TECH', 'resolveComplaint', { id: cp.id, ...RESOLUTION }));
    expect(forbidden.doc.state).toBe('INVESTIGATING'); // the document as it is, to a caller who may read it
    // a supervisor of technical support does not see SALES' complaint at all
    const missing = await expectUnchanged(cp.id, 'NOT_FOUND', () => act('SUPERVISOR_TECH', 'resolveComplaint', { id: cp.id, ...RESOLUTION }));
    expect(missing.doc).toBeNull();
    // nor does a customer classify, nor an agent resolve
    await expectUnchanged(cp.id, 'FORBIDDEN', () => act('AGENT', 'resolveComplaint', { id: cp.id, ...RESOLUTION }));
  });

  test('the resolving supervisor who is also an executive may not approve their own resolution', async () => {
    const pending = await pendingApproval('EXEC_SUPERVISOR_TECH');
    const avail = await t.gql('EXEC_SUPERVISOR_TECH', `query($id: ID!) { complaint(id: $id) { availableEvents { event allowed code } } }`, { id: pending.id });
    expect(avail.data.complaint.availableEvents.find((e: any) => e.event === 'APPROVE')).toEqual({ event: 'APPROVE', allowed: false, code: 'SEGREGATION_OF_DUTIES' });
    const refused = await expectUnchanged(pending.id, 'SEGREGATION_OF_DUTIES', () => act('EXEC_SUPERVISOR_TECH', 'approveComplaint', { id: pending.id }));
    expect(refused.doc).toMatchObject({ state: 'PENDING_APPROVAL', approvals: [] });
    // a supervisor is not an executive
    await expectUnchanged(pending.id, 'FORBIDDEN', () => act('SUPERVISOR_TECH', 'approveComplaint', { id: pending.id }));
    // another executive may
    expect((await ok('EXECUTIVE', 'approveComplaint', { id: pending.id })).state).toBe('RESOLVED');
  });

  test('events out of order, wrong inputs and stale versions are refused', async () => {
    const cp = await ok('AGENT', 'createComplaint', { ...COMPLAINT, customerId: t.gid.customer('HUAXIA'), channel: 'EMAIL' });
    await expectUnchanged(cp.id, 'INVALID_TRANSITION', () => act('AGENT', 'assignComplaint', { id: cp.id, departmentId: t.gid.department('TECH') }));
    await expectUnchanged(cp.id, 'FORBIDDEN', () => act('CUSTOMER_HUAXIA', 'classifyComplaint', { id: cp.id, category: 'OTHER', severity: 'LOW' }));
    await expectUnchanged(cp.id, 'STALE_VERSION', () => act('AGENT', 'classifyComplaint', { id: cp.id, expectedVersion: 7, category: 'OTHER', severity: 'LOW' }));
    await ok('AGENT', 'classifyComplaint', { id: cp.id, expectedVersion: 1, category: 'PRODUCT_QUALITY', severity: 'LOW' });
    const noDepartment = await expectUnchanged(cp.id, 'VALIDATION', () => act('AGENT', 'assignComplaint', { id: cp.id, departmentId: t.gid.customer('ACME') }));
    expect(noDepartment.userErrors[0].field).toBe('departmentId');
    const assigned = await ok('AGENT', 'assignComplaint', { id: cp.id, departmentId: t.gid.department('TECH') });
    expect(assigned.resolutionDueAt).toBe(addWorkingDays(new Date(assigned.assignedAt), 5).toISOString()); // LOW: 5 working days
    await ok('SUPERVISOR_TECH', 'investigateComplaint', { id: cp.id });
    for (const compensationAmount of [1.234, -1]) {
      const bad = await expectUnchanged(cp.id, 'VALIDATION', () => act('SUPERVISOR_TECH', 'resolveComplaint', { id: cp.id, ...RESOLUTION, compensationAmount }));
      expect(bad.userErrors[0].field).toBe('compensationAmount');
    }
    await expectUnchanged(cp.id, 'VALIDATION', () => act('SUPERVISOR_TECH', 'resolveComplaint', { id: cp.id, ...RESOLUTION, cause: 'a\u0000b' }));
    // no compensation is fine
    const { compensationAmount: _, ...withoutCompensation } = RESOLUTION;
    expect(await ok('SUPERVISOR_TECH', 'resolveComplaint', { id: cp.id, ...withoutCompensation, responsibility: 'PRODUCT' })).toMatchObject({ compensationAmount: null, responsibility: 'PRODUCT' });
    // the customer's answer comes only after NOTIFY
    await ok('EXECUTIVE', 'approveComplaint', { id: cp.id });
    await expectUnchanged(cp.id, 'INVALID_TRANSITION', () => act('CUSTOMER_HUAXIA', 'confirmSatisfiedComplaint', { id: cp.id }));
    await ok('AGENT', 'notifyComplaint', { id: cp.id, channel: 'EMAIL', note: 'The supplier replaces the unit.' });
    // a portal user of another organisation finds nothing; a supervisor may not answer for the customer
    await expectUnchanged(cp.id, 'NOT_FOUND', () => act('CUSTOMER_ACME', 'confirmSatisfiedComplaint', { id: cp.id }));
    await expectUnchanged(cp.id, 'FORBIDDEN', () => act('SUPERVISOR_TECH', 'confirmSatisfiedComplaint', { id: cp.id }));
    await expectUnchanged(cp.id, 'VALIDATION', () => act('CUSTOMER_HUAXIA', 'reportUnsatisfiedComplaint', { id: cp.id, reason: '' }));
    // customer service records the customer's answer given by phone
    expect((await ok('AGENT', 'confirmSatisfiedComplaint', { id: cp.id, comment: 'Customer confirmed by phone.' })).state).toBe('FOLLOW_UP');
  });

  test('filing: a customer for their own organisation, linking only a request of that customer within scope', async () => {
    const huaxiaRequest = await createRequest(t, 'CUSTOMER_HUAXIA');
    // a portal user may not complain for another organisation, nor link a request they cannot see
    const other = await act('CUSTOMER_ACME', 'createComplaint', { ...COMPLAINT, customerId: t.gid.customer('HUAXIA') });
    expect(other.userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    const hidden = await act('CUSTOMER_ACME', 'createComplaint', { ...COMPLAINT, requestId: huaxiaRequest.id });
    expect(hidden.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: 'requestId' })]);
    // customer service sees every request, but links only one of the complaint's own customer
    const mismatch = await act('AGENT', 'createComplaint', { ...COMPLAINT, customerId: t.gid.customer('ACME'), channel: 'PHONE', requestId: huaxiaRequest.id });
    expect(mismatch.userErrors.map((e) => e.code)).toEqual(['GUARD_FAILED']);
    // staff say how it came in; technicians and supervisors do not file complaints
    expect((await act('AGENT', 'createComplaint', { ...COMPLAINT, customerId: t.gid.customer('ACME') })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'channel' });
    expect((await act('TECHNICIAN', 'createComplaint', { ...COMPLAINT, customerId: t.gid.customer('ACME'), channel: 'PHONE' })).userErrors[0].code).toBe('FORBIDDEN');
    expect((await act('CUSTOMER_ACME', 'createComplaint', { ...COMPLAINT, subject: ' ' })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'subject' });
    const counted = await t.dataSource.query(`SELECT count(*)::int AS n FROM complaint WHERE request_id = $1`, [idOf(huaxiaRequest.id, 'ServiceRequest')]);
    expect(counted[0].n).toBe(0);
    // the same request from its own customer is linked
    const linked = await ok('CUSTOMER_HUAXIA', 'createComplaint', { ...COMPLAINT, requestId: huaxiaRequest.id });
    expect(linked).toMatchObject({ request: { id: huaxiaRequest.id }, customer: { code: 'HUAXIA' }, channel: 'ONLINE' });
  });
});

describe('who reads a complaint', () => {
  test('a customer of another organisation, a technician, an archivist before archiving and a supervisor outside the department read nothing', async () => {
    const cp = await pendingApproval();
    for (const who of ['CUSTOMER_HUAXIA', 'TECHNICIAN', 'ARCHIVIST', 'SUPERVISOR_SALES']) {
      expect({ who, complaint: await read(who, cp.id) }).toEqual({ who, complaint: null });
      const node = await t.gql(who, `query($id: ID!) { node(id: $id) { id } }`, { id: cp.id });
      expect({ who, node: node.data.node }).toEqual({ who, node: null });
      const list = await t.gql(who, `{ complaints(first: 100) { nodes { id } } }`);
      expect(list.data.complaints.nodes.map((n: any) => n.id)).not.toContain(cp.id);
    }
    for (const who of ['CUSTOMER_ACME', 'CUSTOMER_ACME_2', 'SUPERVISOR_TECH', 'AGENT', 'EXECUTIVE']) expect({ who, id: (await read(who, cp.id))?.id }).toEqual({ who, id: cp.id });
    // before assignment, only customer service, executives and the customer read it
    const fresh = await ok('CUSTOMER_ACME', 'createComplaint', COMPLAINT);
    expect(await read('SUPERVISOR_TECH', fresh.id)).toBeNull();
  });

  test('portal users never see cause, responsibility, remedy, compensation, notes or approvals, on any path', async () => {
    const cp = await pendingApproval();
    await ok('EXECUTIVE', 'approveComplaint', { id: cp.id, comment: 'fine' });
    const notified = await ok('AGENT', 'notifyComplaint', { id: cp.id, channel: 'ONLINE', note: 'Resolved: a re-test visit.' });
    expect(notified.cause).toBe(RESOLUTION.cause); // staff see it
    const staffOnly = STAFF_ONLY.map((f) => (['resolvedBy'].includes(f) ? `${f} { name }` : f === 'approvals' ? `${f} { decision }` : f)).join(' ');
    const paths = {
      one: await t.gql('CUSTOMER_ACME', `query($id: ID!) { complaint(id: $id) { ${staffOnly} } }`, { id: cp.id }),
      node: await t.gql('CUSTOMER_ACME', `query($id: ID!) { node(id: $id) { ... on Complaint { ${staffOnly} } } }`, { id: cp.id }),
      list: await t.gql('CUSTOMER_ACME', `{ complaints(first: 100) { nodes { id ${staffOnly} } } }`),
    };
    const mutation = await act('CUSTOMER_ACME', 'confirmSatisfiedComplaint', { id: cp.id });
    expect(mutation.userErrors).toEqual([]);
    const seen = [paths.one.data.complaint, paths.node.data.node, ...paths.list.data.complaints.nodes, mutation.doc];
    expect(paths.list.data.complaints.nodes.length).toBeGreaterThan(0);
    for (const doc of seen) for (const field of STAFF_ONLY) expect({ field, value: doc[field] }).toEqual({ field, value: null });
  });
});

describe('the complaints list', () => {
  test('newest first, keyset paging, filters by state, customer, department, severity, category and date', async () => {
    const start = new Date();
    const a = await assignedComplaint('AGENT', 'TECH', 'HIGH');
    const b = await assignedComplaint('CUSTOMER_ACME', 'SALES', 'LOW');
    const c = await ok('CUSTOMER_HUAXIA', 'createComplaint', COMPLAINT);
    const ids = [c.id, b.id, a.id];
    const list = async (who: string, filter: Record<string, unknown>, first = 100, after?: string) => {
      const res = await t.gql(who, `query($filter: ComplaintFilter, $first: Int, $after: String) { complaints(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`, { filter: { createdFrom: start.toISOString(), ...filter }, first, after });
      expect(res.errors).toBeUndefined();
      return res.data.complaints;
    };
    expect((await list('AGENT', {})).nodes.map((n: any) => n.id)).toEqual(ids);
    const page1 = await list('AGENT', {}, 2);
    expect(page1).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const page2 = await list('AGENT', {}, 2, page1.pageInfo.endCursor);
    expect([...page1.nodes, ...page2.nodes].map((n: any) => n.id)).toEqual(ids);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    expect((await list('AGENT', { state: ['RECEIVED'] })).nodes.map((n: any) => n.id)).toEqual([c.id]);
    expect((await list('AGENT', { customerId: t.gid.customer('ACME') })).nodes.map((n: any) => n.id)).toEqual([b.id, a.id]);
    expect((await list('AGENT', { departmentId: t.gid.department('SALES') })).nodes.map((n: any) => n.id)).toEqual([b.id]);
    expect((await list('AGENT', { severity: ['HIGH', 'MEDIUM'] })).nodes.map((n: any) => n.id)).toEqual([a.id]);
    expect((await list('AGENT', { category: ['SERVICE_ATTITUDE'] })).nodes.map((n: any) => n.id)).toEqual([b.id, a.id]);
    expect((await list('AGENT', { category: ['PRODUCT_QUALITY'] })).nodes).toEqual([]);
    expect((await list('AGENT', { createdTo: start.toISOString() })).nodes).toEqual([]);
    expect((await list('AGENT', { customerId: t.gid.department('TECH') })).nodes).toEqual([]); // an id of the wrong kind matches nothing
    // scopes apply under the filters
    expect((await list('SUPERVISOR_TECH', {})).nodes.map((n: any) => n.id)).toEqual([a.id]);
    expect((await list('CUSTOMER_ACME', {})).nodes.map((n: any) => n.id)).toEqual([b.id, a.id]);
    expect((await list('CUSTOMER_HUAXIA', { customerId: t.gid.customer('ACME') })).nodes).toEqual([]);
  });
});
