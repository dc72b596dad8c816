/**
 * The field report as the seeds run it (issue 13 items 1 and 4; SPEC §3.3, §3.10), over HTTP with a clock the test
 * moves: the customer signs the filed report only after the work (portal, or customer service recording the paper),
 * a supervisor of the department approves only a signed report (the task's assignee no longer may), the filing
 * deadline runs from the technician's return, a repair records its warranty check and repaired faults, and a new
 * request for the same fault on the same equipment within the post-repair warranty is a free repeat repair, linked.
 * The customer never sees the warranty evidence. Every refusal changes nothing.
 */
import { ServiceRecord } from '../../src/documents/service-record/service-record.entity';
import { ServiceRequest } from '../../src/documents/service-request/service-request.entity';
import { ServiceTask } from '../../src/documents/service-task/service-task.entity';
import { idOf } from '../../src/graphql/global-id';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, act, inProgressTask, ok, PLAN, REPAIR, RECORD_FIELDS, SIGNED_PAGE, signedRecord, submittedRecord, type Payload } from '../support/chain';
import { createRequest } from '../support/documents';

let now = new Date('2026-12-03T02:00:00.000Z');
const clock = () => new Date(now);
const setNow = (iso: string) => (now = new Date(iso));
const DAY = 86_400_000;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ clock });
});
afterAll(() => t.close());

const uuid = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];

/** Refused with `code`; the document's row and its audit trail are exactly as before. */
async function expectUnchanged(entity: Function, id: string, code: string, send: () => Promise<Payload>): Promise<Payload> {
  const documentId = uuid(id);
  const repo = t.dataSource.getRepository(entity as never);
  const before = await repo.findOneByOrFail({ id: documentId } as never);
  const events = await t.dataSource.getRepository(AuditEvent).countBy({ documentId });
  const outbox = Number((await t.dataSource.query(`SELECT count(*) AS n FROM outbox_event WHERE document_id = $1`, [documentId]))[0].n);
  const out = await send();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await repo.findOneByOrFail({ id: documentId } as never)).toEqual(before);
  expect(await t.dataSource.getRepository(AuditEvent).countBy({ documentId })).toBe(events);
  expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM outbox_event WHERE document_id = $1`, [documentId]))[0].n)).toBe(outbox);
  return out;
}

const recordAs = async (who: string, id: string, fields = RECORD_FIELDS) => {
  const res = await t.gql(who, `query($id: ID!) { serviceRecord(id: $id) { ${fields} } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.serviceRecord;
};

const REQUEST_REPEAT = `id state freeRepeatRepair equipmentSerial faultCode repeatOf { id } repeatOfRecord { id repairedFaults { faultCode warrantyUntil } warrantyCheck { coverage } }`;
const requestAs = async (who: string, id: string) => {
  const res = await t.gql(who, `query($id: ID!) { serviceRequest(id: $id) { ${REQUEST_REPEAT} } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.serviceRequest;
};

/** A new request of `who`'s organisation (or ACME's, filed by an agent) for `equipment`, submitted at the clock's now. */
async function reportedAgain(who: string, equipment: { equipmentSerial?: string; faultCode?: string }) {
  const sr = await createRequest(t, who, { description: 'The pump leaks again.', ...equipment });
  await ok(t, who, 'submitServiceRequest', { id: sr.id });
  return requestAs('AGENT', sr.id);
}

describe('the customer\'s sign-off', () => {
  test('is given only to a filed report after the work, by the request\'s customer; a supervisor of the department approves only a signed report, never the assignee', async () => {
    setNow('2026-12-01T04:00:00.000Z');
    const sr = await acceptedRequest(t);
    // TECHNICIAN is the assignee, TECHNICIAN_2 a helper who writes the record
    const task = await inProgressTask(t, sr.id, { helperIds: [t.gid.user('TECHNICIAN_2')] });
    // the work ends at 05:30 and it is 04:00: an actual end is not recorded ahead of time, at create or update
    const records = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM service_record WHERE task_id = $1`, [uuid(task.id)]))[0].n);
    const ahead = await act(t, 'TECHNICIAN_2', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T02:00:00.000Z', actualEnd: '2026-12-01T05:30:00.000Z' });
    expect(ahead.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'actualEnd', message: expect.stringMatching(/in the future/) })]);
    expect(await records()).toBe(0);
    const record = await ok(t, 'TECHNICIAN_2', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T02:00:00.000Z' });
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN_2', 'updateServiceRecord', { id: record.id, actualEnd: '2026-12-01T05:30:00.000Z' }));
    setNow('2026-12-01T06:00:00.000Z');
    await ok(t, 'TECHNICIAN_2', 'updateServiceRecord', { id: record.id, actualEnd: '2026-12-01T05:30:00.000Z' });
    await ok(t, 'TECHNICIAN_2', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'Seal replaced, pump tested.' });
    await ok(t, 'TECHNICIAN_2', 'recordRepairServiceRecord', { id: record.id, ...REPAIR });

    // an open report is not signed: the customer does not even see it yet, customer service cannot sign it yet
    await expectUnchanged(ServiceRecord, record.id, 'NOT_FOUND', () => act(t, 'CUSTOMER_ACME', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE' }));
    await expectUnchanged(ServiceRecord, record.id, 'INVALID_TRANSITION', () => act(t, 'AGENT', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: 'Alice Acme', signature: SIGNED_PAGE }));
    await ok(t, 'TECHNICIAN_2', 'submitServiceRecord', { id: record.id });

    // nobody approves an unsigned report
    const unsigned = await expectUnchanged(ServiceRecord, record.id, 'GUARD_FAILED', () => act(t, 'SUPERVISOR_TECH', 'approveServiceRecord', { id: record.id }));
    expect(unsigned.userErrors[0].message).toMatch(/valid only once the customer has signed it or stamped it with the company seal/);

    setNow('2026-12-01T08:00:00.000Z');
    // a paper signature dated before the end (never sign before the service, seed 003), or in the future, is refused;
    // so is paper without its signer or its scan
    const early = await expectUnchanged(ServiceRecord, record.id, 'GUARD_FAILED', () =>
      act(t, 'AGENT', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: 'Alice Acme', signature: SIGNED_PAGE, signedAt: '2026-12-01T05:00:00.000Z' }),
    );
    expect(early.userErrors[0].message).toMatch(/before the service/);
    await expectUnchanged(ServiceRecord, record.id, 'GUARD_FAILED', () =>
      act(t, 'AGENT', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: 'Alice Acme', signature: SIGNED_PAGE, signedAt: '2026-12-01T09:00:00.000Z' }),
    );
    expect((await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'AGENT', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: 'Alice Acme' }))).userErrors[0].field).toBe('signature');
    expect((await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'AGENT', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signature: SIGNED_PAGE }))).userErrors[0].field).toBe('signerName');
    // a portal user signs now, as themself
    expect((await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'CUSTOMER_ACME', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signedAt: '2026-12-01T06:00:00.000Z' }))).userErrors[0].field).toBe('signedAt');
    // another organisation's customer cannot sign it (it answers like a missing record); the technicians do not sign for the customer
    await expectUnchanged(ServiceRecord, record.id, 'NOT_FOUND', () => act(t, 'CUSTOMER_HUAXIA', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE' }));
    await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'TECHNICIAN_2', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: 'Alice Acme', signature: SIGNED_PAGE }));
    await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'TECHNICIAN', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: 'Alice Acme', signature: SIGNED_PAGE }));

    // the customer stamps it with the company seal in the portal
    const signed = await ok(t, 'CUSTOMER_ACME', 'signOffServiceRecord', { id: record.id, mark: 'COMPANY_SEAL', signature: { ...SIGNED_PAGE, name: 'seal.png', contentType: 'image/png' } });
    expect(signed).toMatchObject({
      state: 'SUBMITTED',
      customerSignedAt: '2026-12-01T08:00:00.000Z',
      customerSignerName: 'Alice Acme',
      customerSignChannel: 'PORTAL',
      customerSignMark: 'COMPANY_SEAL',
      customerSignRecordedAt: '2026-12-01T08:00:00.000Z',
      customerSignRecordedBy: { name: 'Alice Acme' },
      customerSignature: { name: 'seal.png', contentType: 'image/png', size: SIGNED_PAGE.size, sha256: SIGNED_PAGE.sha256, location: SIGNED_PAGE.location },
    });
    // the column another type's guard reads by SQL
    const [row] = await t.dataSource.query(`SELECT customer_signed_at FROM service_record WHERE id = $1`, [uuid(record.id)]);
    expect(row.customer_signed_at.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    // signed once
    const twice = await expectUnchanged(ServiceRecord, record.id, 'GUARD_FAILED', () => act(t, 'AGENT', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: 'Alice Acme', signature: SIGNED_PAGE }));
    expect(twice.userErrors[0].message).toMatch(/already signed/);

    // the task's assignee no longer reviews a helper's record; a supervisor of the task's department does
    const assignee = await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'TECHNICIAN', 'approveServiceRecord', { id: record.id }));
    expect(assignee.userErrors[0].message).toMatch(/supervisor of the task's department/);
    await expectUnchanged(ServiceRecord, record.id, 'NOT_FOUND', () => act(t, 'SUPERVISOR_SALES', 'approveServiceRecord', { id: record.id }));
    const reviewed = await ok(t, 'SUPERVISOR_TECH', 'approveServiceRecord', { id: record.id });
    expect(reviewed.state).toBe('REVIEWED');

    const history = await t.gql('AGENT', `query($id: ID!) { serviceRecord(id: $id) { history(first: 50) { nodes { event actor { name } } } } verifyAuditChain(documentId: $id) { valid } }`, { id: record.id });
    expect(history.data.verifyAuditChain.valid).toBe(true);
    expect(history.data.serviceRecord.history.nodes.map((n: any) => `${n.event} ${n.actor.name}`).slice(-2)).toEqual(['SIGN_OFF Alice Acme', 'APPROVE Wang Qiang (技術支持部主管)']);
    // availableEvents tells a screen why not, before anyone tries
    const other = await submittedRecord(t, task.id, 'TECHNICIAN_2');
    const events = (await t.gql('SUPERVISOR_TECH', `query($id: ID!) { serviceRecord(id: $id) { availableEvents { event allowed code } } }`, { id: other.id })).data.serviceRecord.availableEvents;
    expect(events.find((e: any) => e.event === 'APPROVE')).toEqual({ event: 'APPROVE', allowed: false, code: 'GUARD_FAILED' });
    const filter = await t.gql('SUPERVISOR_TECH', `query($task: ID!) { serviceRecords(filter: { taskId: $task, customerSigned: false }) { nodes { id } } }`, { task: task.id });
    expect(filter.data.serviceRecords.nodes).toEqual([{ id: other.id }]);
  });

  test('customer service records the paper signed on site; a send-back clears the sign-off and the warranty it started', async () => {
    setNow('2026-12-03T02:00:00.000Z');
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await submittedRecord(t, task.id);
    expect(record.repairedFaults[0].warrantyUntil).toBeNull(); // no valid report yet, no warranty
    const paper = await ok(t, 'AGENT', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE', signerName: '  Wang Jun (plant manager) ', signedAt: '2026-12-01T06:00:00.000Z', signature: SIGNED_PAGE });
    expect(paper).toMatchObject({
      customerSignedAt: '2026-12-01T06:00:00.000Z',
      customerSignerName: 'Wang Jun (plant manager)',
      customerSignChannel: 'PAPER',
      customerSignMark: 'SIGNATURE',
      customerSignRecordedAt: '2026-12-03T02:00:00.000Z',
      customerSignRecordedBy: { name: 'Li Na (客服)' },
      customerSignature: SIGNED_PAGE,
    });
    // the post-repair warranty runs from the repair's end: 90 days by default (REPAIR_WARRANTY_DAYS)
    expect(paper.repairedFaults).toEqual([
      { seq: 1, faultCode: 'E-17', description: 'Feed pump seal leaking under load', equipmentModel: 'FP-40', equipmentSerial: 'SN-40-0001', warrantyDays: 90, warrantyUntil: new Date(Date.parse('2026-12-01T05:30:00.000Z') + 90 * DAY).toISOString() },
    ]);
    // the customer reads the filed report they signed
    expect((await recordAs('CUSTOMER_ACME', record.id, 'id customerSignerName')).customerSignerName).toBe('Wang Jun (plant manager)');

    const back = await ok(t, 'SUPERVISOR_TECH', 'sendBackServiceRecord', { id: record.id, reason: 'Add the pressure readings.' });
    expect(back).toMatchObject({ state: 'OPEN', customerSignedAt: null, customerSignerName: null, customerSignChannel: null, customerSignature: null, customerSignRecordedBy: null });
    expect(back.repairedFaults[0].warrantyUntil).toBeNull();
    // an open report leaves the customer's view until it is filed again
    expect(await recordAs('CUSTOMER_ACME', record.id, 'id')).toBeNull();
  });

  test('once warranty parts were written off against the signed report, it is not sent back (that would clear the sign-off the write-off rests on)', async () => {
    setNow('2026-12-03T02:00:00.000Z');
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await submittedRecord(t, task.id);
    await signedRecord(t, record.id);
    // the parts requisition consumed in this record (set up by SQL: the parts flow has its own test)
    const [pr] = await t.owner.query(
      `INSERT INTO parts_requisition (number, state, version, created_by_id, task_id, request_id, customer_id, department_id, consumed_in_record_id, consumed_at)
       SELECT 'PR-TEST-' || substr(r.id::text, 1, 8), 'CONSUMED', 1, r.created_by_id, r.task_id, r.request_id, r.customer_id, r.department_id, r.id, now()
         FROM service_record r WHERE r.id = $1 RETURNING id`,
      [uuid(record.id)],
    );
    const sendBack = async () => (await t.gql('SUPERVISOR_TECH', `query($id: ID!) { serviceRecord(id: $id) { availableEvents { event allowed code } } }`, { id: record.id })).data.serviceRecord.availableEvents.find((e: any) => e.event === 'SEND_BACK');
    // consumed but not yet written off: the report may still go back
    expect(await sendBack()).toEqual({ event: 'SEND_BACK', allowed: true, code: null });

    await t.owner.query(`UPDATE parts_requisition SET state = 'WRITTEN_OFF', written_off_at = now() WHERE id = $1`, [pr.id]);
    expect(await sendBack()).toEqual({ event: 'SEND_BACK', allowed: false, code: 'GUARD_FAILED' });
    const refused = await expectUnchanged(ServiceRecord, record.id, 'GUARD_FAILED', () => act(t, 'SUPERVISOR_TECH', 'sendBackServiceRecord', { id: record.id, reason: 'Add the pressure readings.' }));
    expect(refused.userErrors[0].message).toMatch(/written off against this record/);
    // the sign-off stands, and the record is still approved as usual
    expect((await recordAs('AGENT', record.id, 'id customerSignerName')).customerSignerName).toBe('Alice Acme');
    expect((await ok(t, 'SUPERVISOR_TECH', 'approveServiceRecord', { id: record.id })).state).toBe('REVIEWED');
  });
});

describe('filing deadline', () => {
  test('runs 3 days from the technician\'s return to the company, from the service\'s end while no return is recorded', async () => {
    setNow('2026-12-01T08:00:00.000Z');
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id, actualStart: '2026-12-01T02:00:00.000Z', actualEnd: '2026-12-01T05:30:00.000Z' });
    const filing = async () => {
      const res = await t.gql('AGENT', `query($id: ID!) { serviceRecord(id: $id) { deadlines { kind dueAt metAt breached } } }`, { id: record.id });
      expect(res.errors).toBeUndefined();
      return res.data.serviceRecord.deadlines.filter((d: any) => d.kind === 'RECORD_FILING');
    };
    const overdue = async () => (await t.gql('SUPERVISOR_TECH', `{ serviceRecords(first: 100, filter: { overdue: true }) { nodes { id } } }`)).data.serviceRecords.nodes.map((n: any) => n.id);
    // no return recorded: from the end
    expect(await filing()).toEqual([{ kind: 'RECORD_FILING', dueAt: '2026-12-04T05:30:00.000Z', metAt: null, breached: false }]);

    // a return before the end, or not to the minute, is refused and changes nothing
    expect((await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, returnedAt: '2026-12-01T05:00:00.000Z' }))).userErrors[0].field).toBe('returnedAt');
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, returnedAt: '2026-12-02T10:00:30.000Z' }));
    // a return in the future would push the filing deadline out: refused
    const ahead = await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, returnedAt: '2030-01-01T00:00:00.000Z' }));
    expect(ahead.userErrors).toEqual([expect.objectContaining({ field: 'returnedAt', message: expect.stringMatching(/in the future/) })]);
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, returnedAt: '2026-12-01T08:01:00.000Z' }));
    // only the author records it
    await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'SUPERVISOR_TECH', 'updateServiceRecord', { id: record.id, returnedAt: '2026-12-02T10:00:00.000Z' }));
    expect(await filing()).toEqual([{ kind: 'RECORD_FILING', dueAt: '2026-12-04T05:30:00.000Z', metAt: null, breached: false }]);

    // back at the company the next day: 3 days from then
    setNow('2026-12-02T10:05:00.000Z');
    const returned = await ok(t, 'TECHNICIAN', 'updateServiceRecord', { id: record.id, returnedAt: '2026-12-02T10:00:00.000Z' });
    expect(returned.returnedAt).toBe('2026-12-02T10:00:00.000Z');
    expect(await filing()).toEqual([{ kind: 'RECORD_FILING', dueAt: '2026-12-05T10:00:00.000Z', metAt: null, breached: false }]);

    // past the end's 3 days but within the return's: not overdue; past the return's: overdue
    setNow('2026-12-04T12:00:00.000Z');
    expect(await overdue()).not.toContain(record.id);
    setNow('2026-12-05T10:01:00.000Z');
    expect(await overdue()).toContain(record.id);

    // filing meets it (a minute late: it stays a breach in the figures)
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'Seal replaced.' });
    await ok(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR });
    await ok(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id });
    expect(await filing()).toEqual([{ kind: 'RECORD_FILING', dueAt: '2026-12-05T10:00:00.000Z', metAt: '2026-12-05T10:01:00.000Z', breached: true }]);
    expect(await overdue()).not.toContain(record.id);
  });
});

describe('warranty (SPEC §3.10)', () => {
  test('a repair records its warranty check and repaired faults; anything else is refused and changes nothing', async () => {
    setNow('2026-12-03T02:00:00.000Z');
    const install = await acceptedRequest(t, 'CUSTOMER_ACME', { serviceType: 'INSTALLATION' });
    const installTask = await inProgressTask(t, install.id);
    const notRepair = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: installTask.id });
    const refused = await expectUnchanged(ServiceRecord, notRepair.id, 'GUARD_FAILED', () => act(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: notRepair.id, ...REPAIR }));
    expect(refused.userErrors[0].message).toMatch(/service type is REPAIR/);

    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: task.id, ...{ actualStart: '2026-12-01T02:00:00.000Z', actualEnd: '2026-12-01T05:30:00.000Z' } });
    await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text: 'Seal replaced.' });
    // a repair's record is not filed without its check
    const incomplete = await expectUnchanged(ServiceRecord, record.id, 'GUARD_FAILED', () => act(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id }));
    expect(incomplete.userErrors[0].message).toMatch(/warranty check/);
    // running hours or mileage; each fault of a piece of equipment once; the author only
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR, warrantyCheck: { coverage: 'IN_WARRANTY', dismantled: false } }));
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () =>
      act(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR, repairedFaults: [REPAIR.repairedFaults[0], { ...REPAIR.repairedFaults[0], faultCode: ' e-17 ', equipmentSerial: 'sn-40-0001' }] }),
    );
    await expectUnchanged(ServiceRecord, record.id, 'VALIDATION', () => act(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR, repairedFaults: [] }));
    await expectUnchanged(ServiceRecord, record.id, 'FORBIDDEN', () => act(t, 'SUPERVISOR_TECH', 'recordRepairServiceRecord', { id: record.id, ...REPAIR }));

    const recorded = await ok(t, 'TECHNICIAN', 'recordRepairServiceRecord', {
      id: record.id,
      warrantyCheck: { coverage: 'OUT_OF_WARRANTY', dismantled: true, mileageKm: 182000.5 },
      repairedFaults: [{ faultCode: ' e-17', description: 'Seal leak', equipmentModel: 'FP-40 ', equipmentSerial: 'sn-40-0001 ', warrantyDays: 30 }],
    });
    expect(recorded.warrantyCheck).toEqual({ coverage: 'OUT_OF_WARRANTY', dismantled: true, runningHours: null, mileageKm: 182000.5, checkedAt: '2026-12-03T02:00:00.000Z' });
    expect(recorded.repairedFaults).toEqual([{ seq: 1, faultCode: 'E-17', description: 'Seal leak', equipmentModel: 'FP-40', equipmentSerial: 'SN-40-0001', warrantyDays: 30, warrantyUntil: null }]);
  });

  test('the same fault on the same equipment within the post-repair warranty is a free repeat repair, linked; after it, another fault, other equipment or another customer is not', async () => {
    setNow('2026-12-01T08:00:00.000Z');
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const serial = 'PUMP-7731';
    const record = await submittedRecord(t, task.id, 'TECHNICIAN', 'Replaced seal and bearing.', {
      repair: {
        warrantyCheck: { coverage: 'IN_WARRANTY', dismantled: false, runningHours: 5230 },
        repairedFaults: [
          { faultCode: 'E-17', description: 'Seal leak', equipmentModel: 'FP-40', equipmentSerial: serial, warrantyDays: 30 },
          { faultCode: 'E-20', description: 'Bearing noise', equipmentModel: 'FP-40', equipmentSerial: serial },
        ],
      },
    });
    // before the customer signs, the report is not valid: no warranty yet, so no repeat
    expect(await reportedAgain('CUSTOMER_ACME', { equipmentSerial: serial, faultCode: 'E-17' })).toMatchObject({ freeRepeatRepair: false, repeatOf: null, repeatOfRecord: null });
    await ok(t, 'CUSTOMER_ACME', 'signOffServiceRecord', { id: record.id, mark: 'SIGNATURE' });
    // E-17: 30 days from the end (2026-12-01 05:30) = 2026-12-31 05:30; E-20: 90 days (the default)

    setNow('2026-12-20T03:00:00.000Z');
    const repeat = await reportedAgain('CUSTOMER_ACME', { equipmentSerial: ' pump-7731 ', faultCode: 'e-17' });
    expect(repeat).toMatchObject({ state: 'SUBMITTED', freeRepeatRepair: true, equipmentSerial: 'PUMP-7731', faultCode: 'E-17', repeatOf: { id: sr.id }, repeatOfRecord: { id: record.id } });
    // what the customer sees: that it is free, the earlier request and report with its faults' warranty — not the warranty evidence
    const seen = await requestAs('CUSTOMER_ACME', repeat.id);
    expect(seen).toMatchObject({ freeRepeatRepair: true, repeatOf: { id: sr.id }, repeatOfRecord: { id: record.id, warrantyCheck: null } });
    expect(seen.repeatOfRecord.repairedFaults).toEqual([
      { faultCode: 'E-17', warrantyUntil: '2026-12-31T05:30:00.000Z' },
      { faultCode: 'E-20', warrantyUntil: '2027-03-01T05:30:00.000Z' },
    ]);
    expect((await requestAs('AGENT', repeat.id)).repeatOfRecord.warrantyCheck).toEqual({ coverage: 'IN_WARRANTY' });
    // the column the flag is stored in
    expect((await t.dataSource.getRepository(ServiceRequest).findOneByOrFail({ id: idOf(repeat.id, 'ServiceRequest')! })).repeatOfRecordId).toBe(uuid(record.id));

    // another fault, other equipment, another customer: not a repeat
    expect(await reportedAgain('CUSTOMER_ACME', { equipmentSerial: serial, faultCode: 'E-99' })).toMatchObject({ freeRepeatRepair: false, repeatOf: null });
    expect(await reportedAgain('CUSTOMER_ACME', { equipmentSerial: 'PUMP-0002', faultCode: 'E-17' })).toMatchObject({ freeRepeatRepair: false, repeatOf: null });
    expect(await reportedAgain('CUSTOMER_HUAXIA', { equipmentSerial: serial, faultCode: 'E-17' })).toMatchObject({ freeRepeatRepair: false, repeatOf: null });
    // without a fault code nothing is matched; customer service assessing the fault at acceptance finds the repeat
    const vague = await reportedAgain('CUSTOMER_ACME', { equipmentSerial: serial });
    expect(vague).toMatchObject({ freeRepeatRepair: false });
    await ok(t, 'AGENT', 'acceptServiceRequest', { id: vague.id, targetDepartmentId: t.gid.department('TECH'), faultCode: 'E-20' });
    expect(await requestAs('AGENT', vague.id)).toMatchObject({ state: 'ACCEPTED', freeRepeatRepair: true, faultCode: 'E-20', repeatOf: { id: sr.id }, repeatOfRecord: { id: record.id } });

    // after E-17's 30 days it is no longer free; E-20's 90 days still run
    setNow('2027-01-05T03:00:00.000Z');
    expect(await reportedAgain('CUSTOMER_ACME', { equipmentSerial: serial, faultCode: 'E-17' })).toMatchObject({ freeRepeatRepair: false, repeatOf: null, repeatOfRecord: null });
    expect(await reportedAgain('CUSTOMER_ACME', { equipmentSerial: serial, faultCode: 'E-20' })).toMatchObject({ freeRepeatRepair: true, repeatOf: { id: sr.id } });
    // on the last moment of the warranty it is still free (warrantyUntil inclusive)
    setNow('2027-03-01T05:30:00.000Z');
    expect(await reportedAgain('CUSTOMER_ACME', { equipmentSerial: serial, faultCode: 'E-20' })).toMatchObject({ freeRepeatRepair: true });
    setNow('2027-03-01T05:31:00.000Z');
    expect(await reportedAgain('CUSTOMER_ACME', { equipmentSerial: serial, faultCode: 'E-20' })).toMatchObject({ freeRepeatRepair: false });
  });

  test('a free repeat repair is repaired free: its task cannot be made chargeable, at creation, by an update or at submission', async () => {
    setNow('2026-12-01T08:00:00.000Z');
    const sr = await acceptedRequest(t);
    // the flag as the request's SUBMIT/ACCEPT sets it (the test above): here written directly, the rule under test is the task's
    await t.owner.query(`UPDATE service_request SET free_repeat_repair = true WHERE id = $1`, [uuid(sr.id)]);
    const tasksBefore = Number((await t.owner.query(`SELECT count(*) AS n FROM service_task WHERE request_id = $1`, [uuid(sr.id)]))[0].n);
    const refused = await act(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN, chargeable: true, quotedPrice: 1800 });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'GUARD_FAILED', message: expect.stringContaining('repaired free') })]);
    expect(Number((await t.owner.query(`SELECT count(*) AS n FROM service_task WHERE request_id = $1`, [uuid(sr.id)]))[0].n)).toBe(tasksBefore);
    const task = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN });
    await expectUnchanged(ServiceTask, task.id, 'GUARD_FAILED', () => act(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: task.id, chargeable: true, quotedPrice: 1800 }));
    // flagged after the task was drafted chargeable (customer service assessing the fault at acceptance): not submitted so
    const other = await acceptedRequest(t);
    const drafted = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: other.id, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN, chargeable: true, quotedPrice: 1800 });
    await t.owner.query(`UPDATE service_request SET free_repeat_repair = true WHERE id = $1`, [uuid(other.id)]);
    await expectUnchanged(ServiceTask, drafted.id, 'GUARD_FAILED', () => act(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: drafted.id }));
    expect((await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: drafted.id, chargeable: false })).state).toBe('DRAFT');
    expect((await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: drafted.id })).state).toBe('PENDING_APPROVAL');
  });

  test('the customer never sees the warranty evidence, the internal review or the completeness figure', async () => {
    setNow('2026-12-03T02:00:00.000Z');
    const sr = await acceptedRequest(t);
    const task = await inProgressTask(t, sr.id);
    const record = await submittedRecord(t, task.id);
    await ok(t, 'SUPERVISOR_TECH', 'sendBackServiceRecord', { id: record.id, reason: 'Internal: check the running hours with the plant log.' });
    await ok(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: record.id, ...REPAIR, warrantyCheck: { coverage: 'IN_WARRANTY', dismantled: true, runningHours: 4321 } });
    await ok(t, 'TECHNICIAN', 'submitServiceRecord', { id: record.id });

    const q = `query($id: ID!) { serviceRecord(id: $id) { id warrantyCheck { coverage dismantled runningHours } sendBackReason repairedFaults { faultCode }
      history(first: 50) { nodes { event changes reason } } } serviceTask(id: "${task.id}") { records { id warrantyCheck { coverage } } } }`;
    const customer = (await t.gql('CUSTOMER_ACME', q, { id: record.id })).data;
    expect(customer.serviceRecord).toMatchObject({ id: record.id, warrantyCheck: null, sendBackReason: null, repairedFaults: [{ faultCode: 'E-17' }] });
    expect(customer.serviceTask.records).toEqual([{ id: record.id, warrantyCheck: null }]);
    const events = customer.serviceRecord.history.nodes;
    expect(events.map((e: any) => e.event)).not.toContain('SEND_BACK');
    expect(JSON.stringify(events)).not.toMatch(/warrantyCheck|4321|dismantled|IN_WARRANTY|plant log|sendBackReason/);
    expect(events.map((e: any) => e.event)).toContain('RECORD_REPAIR');

    const staff = (await t.gql('SUPERVISOR_TECH', q, { id: record.id })).data;
    expect(staff.serviceRecord.warrantyCheck).toEqual({ coverage: 'IN_WARRANTY', dismantled: true, runningHours: 4321 });
    // the re-filed record answers the send-back: its reason is cleared on SUBMIT and kept in the history
    expect(staff.serviceRecord.sendBackReason).toBeNull();
    expect(staff.serviceRecord.history.nodes.find((n: any) => n.event === 'SEND_BACK').reason).toMatch(/plant log/);
    expect(JSON.stringify(staff.serviceRecord.history.nodes)).toMatch(/warrantyCheck/);

    // a customer cannot set the evidence either: recording it is the technician's
    await expectUnchanged(ServiceRecord, record.id, 'INVALID_TRANSITION', () => act(t, 'CUSTOMER_ACME', 'recordRepairServiceRecord', { id: record.id, ...REPAIR }));
    // record completeness is the department's figure: null for the customer, counted for staff
    const figures = `{ statistics(filter: { from: "2026-12-01T00:00:00Z", to: "2026-12-31T00:00:00Z" }) { records { records } } }`;
    expect((await t.gql('CUSTOMER_ACME', figures)).data.statistics.records).toBeNull();
    expect((await t.gql('AGENT', figures)).data.statistics.records.records).toBeGreaterThan(0);
  });
});
