/**
 * Field service as the seeds run it (SPEC §3.10, issue 13 items 2 and 3), over HTTP with a clock the test moves:
 * regions on requests, customers and technicians; technicians' certificates and the assignment refused without a
 * valid one (missing, expired — also between creation and approval — or revoked) with the reason named and nothing
 * changed; the dispatch notice signed by a named agent; the assignee's customer contact meeting the first-reply
 * deadline (and START the on-site one); technician suggestions ranked by qualification, region and load; portal
 * users seeing no technician data; a paid service approved by a leader before the work.
 */
import { issueToken } from '../../src/auth/tokens';
import { toGlobalId } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { act, ok, submittedRecord } from '../support/chain';
import { createRequest } from '../support/documents';

/** Shanghai local time → the instant */
const cst = (local: string) => new Date(`${local}+08:00`);
let now = cst('2026-12-07T10:00:00'); // a Monday
const clock = () => new Date(now);
const setNow = (local: string) => (now = cst(local));
const iso = (local: string) => cst(local).toISOString();

let t: TestApi;
/** technicians made here, with no certificate from the seed: key → user id */
const made: Record<string, string> = {};
let fieldDepartment: string;

async function user(key: string, name: string, roles: string[], department: string, region: string | null, active = true): Promise<string> {
  const [row] = await t.owner.query(`INSERT INTO app_user (name, login, roles, department_id, region_code, active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [name, key.toLowerCase(), roles, department, region, active]);
  made[key] = row.id;
  return row.id;
}
const gidOf = (key: string) => toGlobalId('User', made[key]);

beforeAll(async () => {
  t = await startTestApi({ clock });
  // TECH gets a technician without any certificate
  await user('TECH_NEW', 'Lu Xin (服務人員, 新)', ['TECHNICIAN'], t.ids.departments.TECH, 'EAST');
  // a field department of its own for the suggestions: its supervisor, five technicians and a clerk
  [{ id: fieldDepartment }] = await t.owner.query(`INSERT INTO department (code, name) VALUES ('FIELD', '現場服務部 Field service') RETURNING id`);
  t.tokens.SUPERVISOR_FIELD = await issueToken(t.dataSource, await user('SUPERVISOR_FIELD', 'Gao Feng (現場服務部主管)', ['SUPERVISOR'], fieldDepartment, null), 'test');
  await user('F_AN', 'An Ping', ['TECHNICIAN'], fieldDepartment, 'EAST');
  await user('F_BO', 'Bo Tao', ['TECHNICIAN'], fieldDepartment, 'EAST');
  await user('F_CAI', 'Cai Yun', ['TECHNICIAN'], fieldDepartment, 'NORTH');
  await user('F_DU', 'Du Juan', ['TECHNICIAN'], fieldDepartment, 'EAST');
  await user('F_OLD', 'Er Lao (retired)', ['TECHNICIAN'], fieldDepartment, 'EAST', false);
  await user('F_CLERK', 'Fu Wen (clerk)', ['AGENT'], fieldDepartment, 'EAST');
}, 60_000);
afterAll(() => t.close());

const CERT_FIELDS = 'certificate { id qualificationCode certificateNumber validFrom expiresAt valid recordedAt recordedBy { name } revokedAt revokedBy { name } revokeReason technician { name } } userErrors { code message field }';
async function recordCertificate(who: string, input: Record<string, unknown>) {
  const res = await t.gql(who, `mutation($input: RecordTechnicianCertificateInput!) { recordTechnicianCertificate(input: $input) { ${CERT_FIELDS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data.recordTechnicianCertificate;
}
const certificate = (technicianId: string, certificateNumber: string, validFrom: string, expiresAt: string, qualificationCode = 'REPAIR') => ({
  technicianId,
  qualificationCode,
  certificateNumber,
  validFrom: iso(validFrom),
  expiresAt: iso(expiresAt),
});

const TASK = `id number state version approvalRound approvedAt chargeable
  dispatchNotice { number issuedAt agentName urgency regionCode note returnedAt }
  customerContact { contactedAt channel contactPerson agreedVisitAt agreedVisitPlace recordedAt }
  deadlines { kind dueAt metAt }
  history(first: 100) { totalCount nodes { event } }
  approvals { decision signerName }
  availableEvents { event allowed code reason }`;
async function task(id: string, who = 'AGENT') {
  const res = await t.gql(who, `query($id: ID!) { serviceTask(id: $id) { ${TASK} } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.serviceTask;
}
async function tasksOf(requestId: string): Promise<number> {
  const res = await t.gql('AGENT', `query($r: ID!) { serviceTasks(first: 100, filter: { requestId: $r }) { totalCount } }`, { r: requestId });
  return res.data.serviceTasks.totalCount;
}
const PLAN = { description: 'Repair the feed pump', plannedStart: iso('2026-12-08T09:00:00'), plannedEnd: iso('2026-12-08T17:00:00'), estimatedCost: 900 };

/** a request of ACME's, submitted and accepted for a department */
async function accepted(input: Record<string, unknown> = {}, department = 'TECH', urgency?: string) {
  const sr = await createRequest(t, 'CUSTOMER_ACME', input);
  await ok(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id });
  const departmentId = department === 'FIELD' ? toGlobalId('Department', fieldDepartment) : t.gid.department(department);
  await ok(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: departmentId, ...(urgency ? { urgency } : {}) });
  return sr;
}
async function approvedTask(requestId: string, input: Record<string, unknown> = {}) {
  const draft = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN, ...input });
  await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: draft.id });
  return ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: draft.id });
}
const unchanged = async (id: string, before: any) => {
  const after = await task(id);
  expect({ state: after.state, version: after.version, history: after.history.totalCount, approvals: after.approvals.length }).toEqual({
    state: before.state,
    version: before.version,
    history: before.history.totalCount,
    approvals: before.approvals.length,
  });
};

describe('regions', () => {
  test('requests default to the customer\'s site region, take another, and refuse an unknown one', async () => {
    setNow('2026-12-07T10:00:00');
    const regions = (await t.gql('CUSTOMER_ACME', `{ regions { code name } customers { code regionCode } }`)).data;
    expect(regions.regions.map((r: any) => r.code)).toEqual(['CENTRAL', 'EAST', 'NORTH', 'SOUTH', 'WEST']);
    expect(regions.customers).toEqual([{ code: 'ACME', regionCode: 'EAST' }]);
    const own = await createRequest(t, 'CUSTOMER_ACME');
    const regionOf = async (id: string) => (await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { regionCode } }`, { id })).data.serviceRequest.regionCode;
    expect(await regionOf(own.id)).toBe('EAST');
    const other = await createRequest(t, 'AGENT', { customerId: t.gid.customer('HUAXIA'), regionCode: 'SOUTH' });
    expect(await regionOf(other.id)).toBe('SOUTH');
    const huaxia = await createRequest(t, 'AGENT', { customerId: t.gid.customer('HUAXIA') });
    expect(await regionOf(huaxia.id)).toBe('NORTH');
    const before = (await t.gql('AGENT', `{ serviceRequests(first: 1) { totalCount } }`)).data.serviceRequests.totalCount;
    const res = await t.gql('CUSTOMER_ACME', `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } userErrors { code field } } }`, {
      input: { category: 'AFTER_SALES', serviceType: 'REPAIR', regionCode: 'ATLANTIS' },
    });
    expect(res.data.createServiceRequest).toEqual({ serviceRequest: null, userErrors: [{ code: 'VALIDATION', field: 'regionCode' }] });
    expect((await t.gql('AGENT', `{ serviceRequests(first: 1) { totalCount } }`)).data.serviceRequests.totalCount).toBe(before);
    // updated like any detail, checked the same way
    expect((await act(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: own.id, regionCode: 'MOON' })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'regionCode' })]);
    await ok(t, 'CUSTOMER_ACME', 'updateServiceRequest', { id: own.id, regionCode: 'CENTRAL' });
    expect(await regionOf(own.id)).toBe('CENTRAL');
  });
});

describe('qualifications (持證上崗)', () => {
  test('certificates are recorded by ADMIN or the technician\'s department supervisor, with who and when; bad input changes nothing', async () => {
    setNow('2026-12-07T10:00:00');
    const input = certificate(gidOf('TECH_NEW'), 'WX-TEST-0001', '2026-01-01T00:00:00', '2026-12-20T00:00:00');
    expect((await recordCertificate('TECHNICIAN', input)).userErrors[0].code).toBe('FORBIDDEN');
    expect((await recordCertificate('SUPERVISOR_SALES', input)).userErrors[0].code).toBe('FORBIDDEN');
    expect((await recordCertificate('SUPERVISOR_TECH', { ...input, qualificationCode: 'ASTRONAUT' })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'qualificationCode' });
    expect((await recordCertificate('SUPERVISOR_TECH', { ...input, expiresAt: input.validFrom })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'expiresAt' });
    expect((await recordCertificate('SUPERVISOR_TECH', { ...input, technicianId: t.gid.user('AGENT') })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'technicianId' });
    expect((await recordCertificate('SUPERVISOR_TECH', { ...input, certificateNumber: 'WX-2020-0001' })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'certificateNumber' });
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM technician_certificate WHERE user_id = $1`, [made.TECH_NEW]);
    expect(n).toBe(0);

    const recorded = await recordCertificate('ADMIN', certificate(gidOf('TECH_NEW'), 'EL-TEST-0001', '2026-01-01T00:00:00', '2027-01-01T00:00:00', 'ELECTRICAL'));
    expect(recorded.userErrors).toEqual([]);
    expect(recorded.certificate).toMatchObject({ qualificationCode: 'ELECTRICAL', certificateNumber: 'EL-TEST-0001', valid: true, recordedBy: { name: 'Ada Admin' }, recordedAt: now.toISOString(), technician: { name: 'Lu Xin (服務人員, 新)' } });
    const qualifications = (await t.gql('SUPERVISOR_TECH', `{ qualifications { code serviceTypes } }`)).data.qualifications;
    expect(qualifications).toEqual([
      { code: 'ELECTRICAL', serviceTypes: [] },
      { code: 'INSTALLATION', serviceTypes: ['INSTALLATION'] },
      { code: 'REPAIR', serviceTypes: ['REPAIR'] },
    ]);
    // the app role may not delete a certificate
    await expect(t.dataSource.query(`DELETE FROM technician_certificate WHERE certificate_number = 'EL-TEST-0001'`)).rejects.toThrow(/permission denied/);
  });

  test('an assignment is refused for a missing qualification (GUARD_FAILED, naming it) and nothing is created; a service type needing none takes anyone', async () => {
    setNow('2026-12-07T10:00:00');
    const repair = await accepted();
    const refused = await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, assigneeId: gidOf('TECH_NEW'), ...PLAN });
    expect(refused.userErrors).toEqual([{ code: 'GUARD_FAILED', field: null, message: expect.stringMatching(/Lu Xin.*holds no certificate of the REPAIR qualification.*REPAIR service/) }]);
    expect(refused.doc).toBeNull();
    expect(await tasksOf(repair.id)).toBe(0);
    // a draft without an assignee is fine; naming the unqualified one later is refused the same way, and changes nothing
    const draft = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, ...PLAN });
    const before = await task(draft.id);
    const update = await act(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: draft.id, assigneeId: gidOf('TECH_NEW') });
    expect(update.userErrors[0]).toMatchObject({ code: 'GUARD_FAILED', message: expect.stringContaining('REPAIR') });
    await unchanged(draft.id, before);
    // training needs no certificate
    const training = await accepted({ serviceType: 'TRAINING' });
    expect((await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: training.id, assigneeId: gidOf('TECH_NEW'), ...PLAN })).state).toBe('DRAFT');
  });

  test('an expired certificate is refused; a valid one is accepted', async () => {
    setNow('2026-12-07T10:00:00');
    expect((await recordCertificate('SUPERVISOR_TECH', certificate(gidOf('TECH_NEW'), 'WX-TEST-OLD', '2024-01-01T00:00:00', '2026-11-30T00:00:00'))).userErrors).toEqual([]);
    const repair = await accepted();
    const expired = await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, assigneeId: gidOf('TECH_NEW'), ...PLAN });
    expect(expired.userErrors).toEqual([{ code: 'GUARD_FAILED', field: null, message: expect.stringContaining('certificate WX-TEST-OLD of the REPAIR qualification') }]);
    expect(expired.userErrors[0].message).toContain('expired on 2026-11-29');
    expect(await tasksOf(repair.id)).toBe(0);
    // a certificate lapsing before the planned end does not cover the work either
    expect((await recordCertificate('SUPERVISOR_TECH', certificate(gidOf('TECH_NEW'), 'WX-TEST-0002', '2026-12-01T00:00:00', '2026-12-08T12:00:00'))).userErrors).toEqual([]);
    const lapsing = await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, assigneeId: gidOf('TECH_NEW'), ...PLAN });
    expect(lapsing.userErrors[0].message).toMatch(/WX-TEST-0002.*expires on 2026-12-08, before the planned end 2026-12-08/);
    // renewed: valid now and through the planned end
    expect((await recordCertificate('SUPERVISOR_TECH', certificate(gidOf('TECH_NEW'), 'WX-TEST-0003', '2026-12-01T00:00:00', '2027-12-01T00:00:00'))).userErrors).toEqual([]);
    const created = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, assigneeId: gidOf('TECH_NEW'), ...PLAN });
    expect(created.assignee.name).toBe('Lu Xin (服務人員, 新)');
  });

  test('a certificate that expires (or is revoked) between creation and approval is caught at APPROVE, which changes nothing', async () => {
    setNow('2026-12-07T10:00:00');
    const [{ id: techTemp }] = await t.owner.query(`INSERT INTO app_user (name, login, roles, department_id) VALUES ('Qi Lin', 'tech_temp', '{TECHNICIAN}', $1) RETURNING id`, [t.ids.departments.TECH]);
    const temp = toGlobalId('User', techTemp);
    expect((await recordCertificate('SUPERVISOR_TECH', certificate(temp, 'WX-TEMP-1', '2026-01-01T00:00:00', '2026-12-09T00:00:00'))).userErrors).toEqual([]);
    const repair = await accepted();
    const plan = { ...PLAN, plannedStart: iso('2026-12-07T14:00:00'), plannedEnd: iso('2026-12-07T18:00:00') };
    const draft = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, assigneeId: temp, ...plan });
    await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: draft.id });
    setNow('2026-12-09T10:00:00'); // the certificate expired meanwhile
    const before = await task(draft.id, 'SUPERVISOR_TECH_2');
    expect(before.availableEvents.find((e: any) => e.event === 'APPROVE')).toMatchObject({ allowed: false, code: 'GUARD_FAILED', reason: expect.stringContaining('WX-TEMP-1') });
    const approve = await act(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: draft.id });
    expect(approve.userErrors).toEqual([{ code: 'GUARD_FAILED', field: null, message: expect.stringContaining('expired on 2026-12-08') }]);
    await unchanged(draft.id, before);
    const [{ n: outbox }] = await t.owner.query(
      `SELECT count(*)::int AS n FROM outbox_event o JOIN service_task st ON st.id = o.document_id WHERE st.number = $1 AND o.event = 'APPROVE'`,
      [before.number],
    );
    expect(outbox).toBe(0);
    // another assignee, qualified: approved
    await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: draft.id, assigneeId: t.gid.user('TECHNICIAN_2'), plannedStart: iso('2026-12-10T09:00:00'), plannedEnd: iso('2026-12-10T12:00:00') });
    expect((await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: draft.id })).state).toBe('ASSIGNED');

    // revoked by ADMIN: refused from then on, with who revoked it kept
    const renewed = await recordCertificate('SUPERVISOR_TECH', certificate(temp, 'WX-TEMP-2', '2026-12-01T00:00:00', '2028-01-01T00:00:00'));
    expect((await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, assigneeId: temp, ...PLAN, plannedStart: iso('2026-12-10T09:00:00'), plannedEnd: iso('2026-12-10T12:00:00') })).userErrors).toEqual([]);
    const revoke = (who: string, reason = 'Failed the annual safety check') =>
      t.gql(who, `mutation($input: RevokeTechnicianCertificateInput!) { revokeTechnicianCertificate(input: $input) { ${CERT_FIELDS} } }`, { input: { id: renewed.certificate.id, reason } });
    expect((await revoke('SUPERVISOR_SALES')).data.revokeTechnicianCertificate.userErrors[0].code).toBe('FORBIDDEN');
    expect((await revoke('TECHNICIAN')).data.revokeTechnicianCertificate.userErrors[0].code).toBe('FORBIDDEN');
    // a blank reason is a refusal as data, like every mutation's (not a request error), and revokes nothing
    const blank = await revoke('ADMIN', '   ');
    expect(blank.errors).toBeUndefined();
    expect(blank.data.revokeTechnicianCertificate).toMatchObject({ certificate: null, userErrors: [expect.objectContaining({ code: 'VALIDATION', field: 'reason' })] });
    const revoked = (await revoke('ADMIN')).data.revokeTechnicianCertificate;
    expect(revoked.certificate).toMatchObject({ valid: false, revokedBy: { name: 'Ada Admin' }, revokeReason: 'Failed the annual safety check', revokedAt: now.toISOString() });
    expect((await revoke('ADMIN')).data.revokeTechnicianCertificate.userErrors[0].code).toBe('INVALID_TRANSITION');
    const afterRevoke = await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: repair.id, assigneeId: temp, ...PLAN, plannedStart: iso('2026-12-10T09:00:00'), plannedEnd: iso('2026-12-10T12:00:00') });
    expect(afterRevoke.userErrors[0]).toMatchObject({ code: 'GUARD_FAILED', message: expect.stringContaining('WX-TEMP-2 of the REPAIR qualification') });
    expect(afterRevoke.userErrors[0].message).toContain('was revoked');
  });

  test('REVISE of a disputed task to an unqualified assignee is refused too', async () => {
    setNow('2026-12-09T10:00:00');
    const repair = await accepted();
    const assigned = await approvedTask(repair.id, { plannedStart: iso('2026-12-10T09:00:00'), plannedEnd: iso('2026-12-10T12:00:00') });
    await ok(t, 'TECHNICIAN', 'disputeServiceTask', { id: assigned.id, reason: 'On leave that day.' });
    const [{ id: nobody }] = await t.owner.query(`INSERT INTO app_user (name, login, roles, department_id) VALUES ('Ren Wu', 'tech_nocert', '{TECHNICIAN}', $1) RETURNING id`, [t.ids.departments.TECH]);
    const before = await task(assigned.id);
    const revise = await act(t, 'SUPERVISOR_TECH', 'reviseServiceTask', { id: assigned.id, assigneeId: toGlobalId('User', nobody) });
    expect(revise.userErrors[0]).toMatchObject({ code: 'GUARD_FAILED', message: expect.stringContaining('Ren Wu holds no certificate') });
    await unchanged(assigned.id, before);
    expect((await ok(t, 'SUPERVISOR_TECH', 'reviseServiceTask', { id: assigned.id, assigneeId: t.gid.user('TECHNICIAN_2') })).state).toBe('DRAFT');
  });
});

describe('the dispatch notice (售後服務通知單)', () => {
  test('issued once by a named agent for an approved task, with its own number, the urgency and the region; returned with the field report', async () => {
    setNow('2026-12-07T10:00:00');
    const sr = await accepted({ regionCode: 'SOUTH' }, 'TECH', 'URGENT');
    const draft = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN });
    // not before approval
    expect((await act(t, 'AGENT', 'dispatchServiceTask', { id: draft.id })).userErrors[0].code).toBe('INVALID_TRANSITION');
    await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: draft.id });
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: draft.id });
    const before = await task(draft.id);
    // only customer service, and a person: not the supervisor, the technician, the customer or the dispatch bot
    for (const who of ['SUPERVISOR_TECH', 'TECHNICIAN', 'AUTOMATION_DISPATCH']) expect((await act(t, who, 'dispatchServiceTask', { id: draft.id })).userErrors[0].code).toBe('FORBIDDEN');
    expect((await act(t, 'CUSTOMER_ACME', 'dispatchServiceTask', { id: draft.id })).userErrors[0].code).toBe('FORBIDDEN');
    const badRegion = await act(t, 'AGENT', 'dispatchServiceTask', { id: draft.id, regionCode: 'ATLANTIS' });
    expect(badRegion.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'regionCode' })]);
    await unchanged(draft.id, before);
    // customer service's "to dispatch": approved tasks without a notice
    const listed = async (dispatched: boolean) =>
      (await t.gql('AGENT', `query($d: Boolean) { serviceTasks(first: 100, filter: { dispatched: $d }) { nodes { id } } }`, { d: dispatched })).data.serviceTasks.nodes.map((n: { id: string }) => n.id);
    expect(await listed(false)).toContain(draft.id);
    expect(await listed(true)).not.toContain(draft.id);

    await ok(t, 'AGENT', 'dispatchServiceTask', { id: draft.id, note: 'Bring the seal kit.' });
    expect(await listed(false)).not.toContain(draft.id);
    expect(await listed(true)).toContain(draft.id);
    const dispatched = await task(draft.id);
    expect(dispatched.dispatchNotice).toEqual({ number: 'DN-2026-000001', issuedAt: now.toISOString(), agentName: 'Li Na (客服)', urgency: 'URGENT', regionCode: 'SOUTH', note: 'Bring the seal kit.', returnedAt: null });
    expect(dispatched.state).toBe('ASSIGNED');
    expect(dispatched.history.nodes.map((h: any) => h.event)).toContain('DISPATCH');
    // once per task
    expect((await act(t, 'AGENT_2', 'dispatchServiceTask', { id: draft.id })).userErrors[0]).toMatchObject({ code: 'GUARD_FAILED', message: expect.stringContaining('issued already') });
    // the next notice has the next number; urgency and region may be set by the agent
    const other = await approvedTask((await accepted()).id);
    await ok(t, 'AGENT_2', 'dispatchServiceTask', { id: other.id, urgency: 'CRITICAL', regionCode: 'WEST' });
    expect((await task(other.id)).dispatchNotice).toMatchObject({ number: 'DN-2026-000002', agentName: 'Zhou Min (客服)', urgency: 'CRITICAL', regionCode: 'WEST' });

    // the customer sees the notice on the approved task; it comes back with the field report when the task is finished
    expect((await task(draft.id, 'CUSTOMER_ACME')).dispatchNotice.number).toBe('DN-2026-000001');
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: draft.id });
    await ok(t, 'TECHNICIAN', 'startServiceTask', { id: draft.id });
    await submittedRecord(t, draft.id);
    setNow('2026-12-07T16:00:00');
    await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: draft.id });
    expect((await task(draft.id)).dispatchNotice.returnedAt).toBe(now.toISOString());
    expect((await act(t, 'AGENT', 'dispatchServiceTask', { id: draft.id })).userErrors[0].code).toBe('INVALID_TRANSITION');
  });
});

describe('the customer contact and the field-response clock (SPEC §4)', () => {
  const contact = { channel: 'PHONE', contactPerson: 'Alice Acme', agreedVisitAt: iso('2026-12-08T09:30:00') };

  test('a far site: the assignee\'s recorded contact is the first reply and meets it; nobody else records it; bad times change nothing', async () => {
    setNow('2026-12-07T10:00:00');
    const far = await approvedTask((await accepted({ siteDistanceKm: 250 })).id);
    const first = (await task(far.id)).deadlines.find((d: any) => d.kind === 'FIELD_FIRST_REPLY');
    expect(first).toEqual({ kind: 'FIELD_FIRST_REPLY', dueAt: iso('2026-12-07T22:00:00'), metAt: null });
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: far.id });
    const before = await task(far.id);
    expect(before.deadlines.find((d: any) => d.kind === 'FIELD_FIRST_REPLY').metAt).toBeNull(); // confirming answers nobody
    for (const who of ['TECHNICIAN_2', 'AGENT', 'SUPERVISOR_TECH']) expect((await act(t, who, 'recordContactServiceTask', { id: far.id, ...contact })).userErrors[0].code).toMatch(/FORBIDDEN|NOT_FOUND/);
    const future = await act(t, 'TECHNICIAN', 'recordContactServiceTask', { id: far.id, ...contact, contactedAt: iso('2026-12-07T11:00:00') });
    expect(future.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'contactedAt' })]);
    const beforeAssignment = await act(t, 'TECHNICIAN', 'recordContactServiceTask', { id: far.id, ...contact, contactedAt: iso('2026-12-06T11:00:00') });
    expect(beforeAssignment.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'contactedAt' })]);
    const visitBefore = await act(t, 'TECHNICIAN', 'recordContactServiceTask', { id: far.id, ...contact, agreedVisitAt: iso('2026-12-07T09:00:00') });
    expect(visitBefore.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'agreedVisitAt' })]);
    await unchanged(far.id, before);

    setNow('2026-12-07T13:00:00');
    await ok(t, 'TECHNICIAN', 'recordContactServiceTask', { id: far.id, ...contact, contactedAt: iso('2026-12-07T12:40:00') });
    const contacted = await task(far.id);
    expect(contacted.customerContact).toEqual({
      contactedAt: iso('2026-12-07T12:40:00'),
      channel: 'PHONE',
      contactPerson: 'Alice Acme',
      agreedVisitAt: iso('2026-12-08T09:30:00'),
      agreedVisitPlace: '88 Harbour Road, Pudong, Shanghai', // the request's address when none is given
      recordedAt: now.toISOString(),
    });
    expect(contacted.deadlines.find((d: any) => d.kind === 'FIELD_FIRST_REPLY').metAt).toBe(now.toISOString());
    expect(contacted.state).toBe('CONFIRMED');
    // the customer sees the agreed visit
    expect((await task(far.id, 'CUSTOMER_ACME')).customerContact.agreedVisitAt).toBe(iso('2026-12-08T09:30:00'));
    // a later call re-arranges the visit: the latest stays on the task, each one in the history
    await ok(t, 'TECHNICIAN', 'recordContactServiceTask', { id: far.id, channel: 'SMS', agreedVisitAt: iso('2026-12-08T14:00:00'), agreedVisitPlace: 'Gate 2, Plant B' });
    const again = await task(far.id);
    expect(again.customerContact).toMatchObject({ channel: 'SMS', agreedVisitPlace: 'Gate 2, Plant B', contactPerson: null });
    expect(again.history.nodes.filter((h: any) => h.event === 'RECORD_CONTACT')).toHaveLength(2);
  });

  test('a near site: on site within 24 h is met by the start, not by the contact', async () => {
    setNow('2026-12-07T10:00:00');
    const near = await approvedTask((await accepted({ siteDistanceKm: 40 })).id);
    expect((await task(near.id)).deadlines.filter((d: any) => d.kind.startsWith('FIELD_'))).toEqual([{ kind: 'FIELD_ON_SITE', dueAt: iso('2026-12-08T10:00:00'), metAt: null }]);
    await ok(t, 'TECHNICIAN', 'recordContactServiceTask', { id: near.id, channel: 'PHONE', agreedVisitAt: iso('2026-12-07T15:00:00') });
    expect((await task(near.id)).deadlines.find((d: any) => d.kind === 'FIELD_ON_SITE').metAt).toBeNull();
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: near.id });
    setNow('2026-12-07T15:05:00');
    await ok(t, 'TECHNICIAN', 'startServiceTask', { id: near.id });
    expect((await task(near.id)).deadlines.find((d: any) => d.kind === 'FIELD_ON_SITE').metAt).toBe(now.toISOString());
  });
});

describe('technician suggestions', () => {
  const SUGGEST = `rank technician { name } regionCode regionMatch requiredQualification qualified qualificationProblem openTasks reasons`;
  const suggest = (who: string, args: Record<string, unknown>) =>
    t.gql(who, `query($taskId: ID, $requestId: ID, $first: Int) { suggestTechnicians(taskId: $taskId, requestId: $requestId, first: $first) { ${SUGGEST} } }`, args);

  test('ranked: qualified first, then the request\'s region, then the least loaded; the unqualified flagged last with why; inactive and other roles left out', async () => {
    setNow('2026-12-07T10:00:00');
    for (const [key, number] of [['F_AN', 'WX-F-1'], ['F_BO', 'WX-F-2'], ['F_CAI', 'WX-F-3'], ['F_OLD', 'WX-F-4']]) {
      expect((await recordCertificate('SUPERVISOR_FIELD', certificate(gidOf(key), number, '2026-01-01T00:00:00', '2030-01-01T00:00:00'))).userErrors).toEqual([]);
    }
    // Bo has a task waiting for approval: one open task
    const busy = await accepted({}, 'FIELD');
    const bosTask = await ok(t, 'SUPERVISOR_FIELD', 'createServiceTask', { requestId: busy.id, assigneeId: gidOf('F_BO'), ...PLAN });
    await ok(t, 'SUPERVISOR_FIELD', 'submitServiceTask', { id: bosTask.id });

    const sr = await accepted({}, 'FIELD'); // ACME's: region EAST, a REPAIR
    const res = await suggest('SUPERVISOR_FIELD', { requestId: sr.id });
    expect(res.errors).toBeUndefined();
    const list = res.data.suggestTechnicians;
    expect(list.map((s: any) => [s.rank, s.technician.name, s.regionMatch, s.qualified, s.openTasks])).toEqual([
      [1, 'An Ping', true, true, 0],
      [2, 'Bo Tao', true, true, 1],
      [3, 'Cai Yun', false, true, 0],
      [4, 'Du Juan', true, false, 0],
    ]);
    expect(list[0]).toMatchObject({ requiredQualification: 'REPAIR', qualificationProblem: null, reasons: ['holds a valid REPAIR certificate', 'in the request\'s region EAST', '0 open tasks'] });
    expect(list[2].reasons[1]).toBe('outside the request\'s region EAST (NORTH)');
    expect(list[3].qualificationProblem).toContain('Du Juan holds no certificate of the REPAIR qualification');
    expect((await suggest('SUPERVISOR_FIELD', { requestId: sr.id, first: 2 })).data.suggestTechnicians.map((s: any) => s.technician.name)).toEqual(['An Ping', 'Bo Tao']);
    // for Bo's own task, that task is not load
    const forTask = (await suggest('AGENT', { taskId: bosTask.id })).data.suggestTechnicians;
    expect(forTask.find((s: any) => s.technician.name === 'Bo Tao').openTasks).toBe(0);
    // a training needs no certificate: Du is qualified too
    const training = await accepted({ serviceType: 'TRAINING' }, 'FIELD');
    const trained = (await suggest('AGENT', { requestId: training.id })).data.suggestTechnicians;
    expect(trained.every((s: any) => s.qualified && s.requiredQualification === null)).toBe(true);
    expect(trained.map((s: any) => s.technician.name)).toEqual(['An Ping', 'Du Juan', 'Bo Tao', 'Cai Yun']);
  });

  test('for the department\'s supervisors and customer service only', async () => {
    setNow('2026-12-07T10:00:00');
    const sr = await accepted({}, 'FIELD');
    for (const who of ['TECHNICIAN', 'CUSTOMER_ACME', 'EXECUTIVE']) {
      const res = await suggest(who, { requestId: sr.id });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.data?.suggestTechnicians ?? null).toBeNull();
    }
    // another department's supervisor: the request is outside their scope, as if it did not exist
    const outside = await suggest('SUPERVISOR_TECH', { requestId: sr.id });
    expect(outside.errors).toBeUndefined();
    expect(outside.data.suggestTechnicians).toBeNull();
    expect((await suggest('AGENT', { requestId: toGlobalId('ServiceRequest', '00000000-0000-4000-8000-000000000000') })).data.suggestTechnicians).toBeNull();
    expect((await suggest('AGENT', {})).errors?.[0].extensions?.code).toBe('VALIDATION');
    expect((await suggest('AGENT', { requestId: sr.id })).data.suggestTechnicians).toHaveLength(4);
  });
});

test('a customer sees none of the technician data: no certificates, region or load', async () => {
  setNow('2026-12-07T10:00:00');
  const assigned = await approvedTask((await accepted()).id);
  const q = `query($id: ID!) { serviceTask(id: $id) { assignee { name regionCode certificates { certificateNumber } } } me { certificates { certificateNumber } } }`;
  const customer = await t.gql('CUSTOMER_ACME', q, { id: assigned.id });
  expect(customer.errors).toBeUndefined();
  expect(customer.data.serviceTask.assignee).toEqual({ name: 'Zhang Wei (服務人員)', regionCode: null, certificates: null });
  const staff = await t.gql('SUPERVISOR_TECH', q, { id: assigned.id });
  expect(staff.data.serviceTask.assignee.regionCode).toBe('EAST');
  expect(staff.data.serviceTask.assignee.certificates.map((c: any) => c.certificateNumber).sort()).toEqual(['AZ-2020-0001', 'WX-2020-0001']);
});

describe('paid service needs a leader\'s approval before the work (seed 003 §3.3.4: 有償服務需經領導同意)', () => {
  test('a task approved free of charge and then made chargeable goes back for approval; it starts only once approved again and consented to', async () => {
    setNow('2026-12-07T10:00:00');
    const assigned = await approvedTask((await accepted()).id);
    expect(assigned.approvalRound).toBe(1);
    // a price is needed to make it chargeable
    expect((await act(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: assigned.id, chargeable: true })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'quotedPrice' });
    const paid = await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: assigned.id, chargeable: true, quotedPrice: 800 });
    expect(paid).toMatchObject({ state: 'PENDING_APPROVAL', approvalRound: 2 });
    expect((await act(t, 'TECHNICIAN', 'confirmServiceTask', { id: assigned.id })).userErrors[0].code).toBe('INVALID_TRANSITION');
    // the creator may not approve the paid service; another supervisor does
    expect((await act(t, 'SUPERVISOR_TECH', 'approveServiceTask', { id: assigned.id })).userErrors[0].code).toBe('SEGREGATION_OF_DUTIES');
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: assigned.id });
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: assigned.id });
    expect((await act(t, 'TECHNICIAN', 'startServiceTask', { id: assigned.id })).userErrors[0].code).toBe('GUARD_FAILED');
    await ok(t, 'CUSTOMER_ACME', 'consentServiceTask', { id: assigned.id });
    expect((await ok(t, 'TECHNICIAN', 'startServiceTask', { id: assigned.id })).state).toBe('IN_PROGRESS');
    const approvals = (await task(assigned.id)).approvals.map((a: any) => [a.decision, a.signerName]);
    expect(approvals).toEqual([['APPROVE', 'Sun Hui (技術支持部副主管)'], ['APPROVE', 'Sun Hui (技術支持部副主管)']]);
  });

  test('a chargeable task goes for approval only with its quoted price, so the leader approves the paid terms', async () => {
    setNow('2026-12-07T10:00:00');
    const sr = await accepted();
    const draft = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN, chargeable: true });
    expect((await act(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: draft.id })).userErrors[0]).toMatchObject({ code: 'GUARD_FAILED', message: expect.stringContaining('quoted price') });
    // making a still-pending task chargeable keeps it waiting for the same approval (nothing was approved yet)
    const warranty = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN });
    await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: warranty.id });
    expect(await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: warranty.id, chargeable: true, quotedPrice: 500 })).toMatchObject({ state: 'PENDING_APPROVAL', approvalRound: 1 });
  });
});
