/**
 * Consultations (SPEC §3.8, seed 001 §3.1) over HTTP on the embedded PostgreSQL: deferred and replied,
 * answered and reported unsatisfied, converted into a service request (opened by the system, linked both
 * ways), asked through the portal and followed by the customer's own organisation only, and refusals
 * that change nothing.
 */
import { consultationDefinition } from '../../src/documents/consultation/consultation.definition';
import { Consultation } from '../../src/documents/consultation/consultation.entity';
import { ServiceRequest } from '../../src/documents/service-request/service-request.entity';
import { idOf } from '../../src/graphql/global-id';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { startTestApi, type TestApi } from '../support/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const CN = `id number state version channel topic question contactName contactPhone answer answeredAt firstRepliedAt firstResponseSeconds
  promisedReplyAt deferralNote dissatisfactionReason internalNote closedAt convertedAt createdAt customer { code }
  convertedRequest { id number state channel description contactName urgency customer { code } }`;
const HISTORY = `history(first: 100) { nodes { seq event fromState toState version actor { name } actorRoles reason requestId } }`;
const ERRORS = 'userErrors { code message field }';

const INPUT_TYPES: Record<string, string> = {
  createConsultation: 'CreateConsultationInput',
  answerConsultation: 'ConsultationAnswerInput',
  replyConsultation: 'ConsultationAnswerInput',
  deferConsultation: 'DeferConsultationInput',
  confirmSatisfiedConsultation: 'DocumentEventInput',
  reportUnsatisfiedConsultation: 'ReasonEventInput',
  convertConsultation: 'ConvertConsultationInput',
  archiveConsultation: 'DocumentEventInput',
};

type Payload = { consultation: any; userErrors: Array<{ code: string; message: string; field: string | null }> };

async function act(who: string, mutation: string, input: Record<string, unknown>): Promise<Payload> {
  const res = await t.gql(who, `mutation($input: ${INPUT_TYPES[mutation]}!) { ${mutation}(input: $input) { consultation { ${CN} } ${ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data[mutation];
}

async function ok(who: string, mutation: string, input: Record<string, unknown>): Promise<any> {
  const out = await act(who, mutation, input);
  expect(out.userErrors).toEqual([]);
  return out.consultation;
}

const QUESTION = 'Does the KSB Etanorm pump at line 3 need a new seal after 8,000 running hours?';
const logged = (input: Record<string, unknown> = {}) =>
  ok('AGENT', 'createConsultation', { customerId: t.gid.customer('ACME'), channel: 'PHONE', topic: 'Pump maintenance', question: QUESTION, contactName: 'Alice Acme', contactPhone: '+86 21 5555 0101', ...input });
const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

async function read(who: string, id: string) {
  const res = await t.gql(who, `query($id: ID!) { consultation(id: $id) { ${CN} ${HISTORY} } node(id: $id) { id } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function row(id: string) {
  return t.dataSource.getRepository(Consultation).findOneByOrFail({ id: idOf(id, 'Consultation')! });
}

/** Asserts the mutation was refused with `code`, and that the row and its history are exactly as before. */
async function expectRefusedUnchanged(id: string, code: string, run: () => Promise<Payload>): Promise<Payload> {
  const before = await row(id);
  const events = await t.dataSource.getRepository(AuditEvent).countBy({ documentId: before.id });
  const requests = await t.dataSource.getRepository(ServiceRequest).count();
  const out = await run();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await row(id)).toEqual(before);
  expect(await t.dataSource.getRepository(AuditEvent).countBy({ documentId: before.id })).toBe(events);
  expect(await t.dataSource.getRepository(ServiceRequest).count()).toBe(requests);
  return out;
}

describe('consultation lifecycle', () => {
  test('logged by phone → deferred with a promised time (the first reply) → replied → the customer confirms: closed', async () => {
    const cn = await logged({ internalNote: 'caller sounded worried about downtime' });
    expect(cn.number).toMatch(/^CN-\d{4}-\d{6}$/);
    expect(cn).toMatchObject({ state: 'LOGGED', version: 1, channel: 'PHONE', customer: { code: 'ACME' }, firstRepliedAt: null, firstResponseSeconds: null, convertedRequest: null });

    const promised = inHours(24);
    const deferred = await ok('AGENT', 'deferConsultation', { id: cn.id, promisedReplyAt: promised, note: 'Checking the maintenance schedule with technical support.' });
    expect(deferred).toMatchObject({ state: 'PENDING_REPLY', promisedReplyAt: promised, deferralNote: 'Checking the maintenance schedule with technical support.', answer: null });
    expect(deferred.firstRepliedAt).not.toBeNull();
    expect(deferred.firstResponseSeconds).toBeGreaterThanOrEqual(0);

    const replied = await ok('AGENT_2', 'replyConsultation', { id: cn.id, answer: 'Yes: the seal is due at 8,000 hours; we can send a technician.' });
    expect(replied).toMatchObject({ state: 'ANSWERED', answer: 'Yes: the seal is due at 8,000 hours; we can send a technician.' });
    // the promise was the first reply; the later answer leaves it as it was
    expect(replied.firstRepliedAt).toBe(deferred.firstRepliedAt);

    const closed = await ok('CUSTOMER_ACME', 'confirmSatisfiedConsultation', { id: cn.id, comment: 'Thank you.' });
    expect(closed).toMatchObject({ state: 'CLOSED', version: 4 });
    expect(closed.closedAt).not.toBeNull();
    // the portal never sees the internal note
    expect(closed.internalNote).toBeNull();
    expect((await read('AGENT', cn.id)).consultation.internalNote).toBe('caller sounded worried about downtime');

    const history = (await read('AGENT', cn.id)).consultation.history.nodes;
    expect(history.map((h: any) => [h.event, h.fromState, h.toState, h.actor.name])).toEqual([
      ['CREATE', null, 'LOGGED', 'Li Na (客服)'],
      ['DEFER', 'LOGGED', 'PENDING_REPLY', 'Li Na (客服)'],
      ['REPLY', 'PENDING_REPLY', 'ANSWERED', 'Zhou Min (客服)'],
      ['CONFIRM_SATISFIED', 'ANSWERED', 'CLOSED', 'Alice Acme'],
    ]);
    const chain = await t.gql('AGENT', `query($id: ID!) { verifyAuditChain(documentId: $id) { valid eventCount } }`, { id: cn.id });
    expect(chain.data.verifyAuditChain).toEqual({ valid: true, eventCount: 4 });
  });

  test('answered on the spot → the customer reports unsatisfied (reason) → pending again → a new promise → replied → confirmed by the agent', async () => {
    const cn = await logged({ channel: 'EMAIL' });
    const answered = await ok('AGENT', 'answerConsultation', { id: cn.id, answer: 'The seal lasts 10,000 hours.' });
    expect(answered).toMatchObject({ state: 'ANSWERED', answer: 'The seal lasts 10,000 hours.' });
    expect(answered.firstRepliedAt).toBe(answered.answeredAt);

    const unsatisfied = await ok('CUSTOMER_ACME_2', 'reportUnsatisfiedConsultation', { id: cn.id, reason: 'Our manual says 8,000 hours.' });
    expect(unsatisfied).toMatchObject({ state: 'PENDING_REPLY', dissatisfactionReason: 'Our manual says 8,000 hours.', promisedReplyAt: null });

    const repromised = await ok('AGENT', 'deferConsultation', { id: cn.id, promisedReplyAt: inHours(4), note: 'Asking the manufacturer.' });
    expect(repromised.state).toBe('PENDING_REPLY');
    expect(repromised.firstRepliedAt).toBe(answered.firstRepliedAt);

    const replied = await ok('AGENT', 'replyConsultation', { id: cn.id, answer: 'The manufacturer confirms 8,000 hours for your model.' });
    expect(replied).toMatchObject({ state: 'ANSWERED', answer: 'The manufacturer confirms 8,000 hours for your model.' });
    const closed = await ok('AGENT', 'confirmSatisfiedConsultation', { id: cn.id, comment: 'Customer satisfied on the phone.' });
    expect(closed.state).toBe('CLOSED');

    const history = (await read('AGENT', cn.id)).consultation.history.nodes;
    expect(history.map((h: any) => h.event)).toEqual(['CREATE', 'ANSWER', 'REPORT_UNSATISFIED', 'DEFER', 'REPLY', 'CONFIRM_SATISFIED']);
    expect(history[2]).toMatchObject({ reason: 'Our manual says 8,000 hours.', actor: { name: 'Bob Acme' }, actorRoles: ['CUSTOMER'] });
  });

  test('converted into a service request: DRAFT, the same customer, opened by the system in the same request, linked both ways; the customer submits it', async () => {
    const cn = await logged();
    const converted = await ok('AGENT', 'convertConsultation', {
      id: cn.id,
      category: 'AFTER_SALES',
      serviceType: 'REPAIR',
      address: '88 Harbour Road, Pudong, Shanghai',
      expectedFrom: '2026-12-01T01:00:00.000Z',
      expectedTo: '2026-12-02T09:00:00.000Z',
      urgency: 'URGENT',
    });
    expect(converted.state).toBe('CONVERTED');
    expect(converted.convertedAt).not.toBeNull();
    const sr = converted.convertedRequest;
    // the request takes the question as its description and the consultation's contact and channel
    expect(sr).toMatchObject({ state: 'DRAFT', channel: 'PHONE', description: QUESTION, contactName: 'Alice Acme', urgency: 'URGENT', customer: { code: 'ACME' } });
    expect(sr.number).toMatch(/^SR-\d{4}-\d{6}$/);

    const back = await t.gql('CUSTOMER_ACME', `query($id: ID!) { serviceRequest(id: $id) { state consultation { id number } createdBy { name } ${HISTORY} } }`, { id: sr.id });
    expect(back.errors).toBeUndefined();
    expect(back.data.serviceRequest.consultation).toEqual({ id: cn.id, number: cn.number });
    expect(back.data.serviceRequest.createdBy).toEqual({ name: 'system' });
    const created = back.data.serviceRequest.history.nodes[0];
    expect(created).toMatchObject({ event: 'CREATE', toState: 'DRAFT', actor: { name: 'system' }, actorRoles: [] });
    const convertEvent = (await read('AGENT', cn.id)).consultation.history.nodes.at(-1);
    expect(convertEvent).toMatchObject({ event: 'CONVERT', fromState: 'LOGGED', toState: 'CONVERTED', actor: { name: 'Li Na (客服)' } });
    expect(created.requestId).toBeTruthy();
    expect(created.requestId).toBe(convertEvent.requestId);
    const stored = await t.dataSource.getRepository(ServiceRequest).findOneByOrFail({ id: idOf(sr.id, 'ServiceRequest')! });
    expect(stored).toMatchObject({ consultationId: idOf(cn.id, 'Consultation'), customerId: t.ids.customers.ACME, createdById: '00000000-0000-0000-0000-000000000000' });

    // the customer's portal users act on the converted request as its creator would
    const submitted = await t.gql('CUSTOMER_ACME_2', `mutation($input: DocumentEventInput!) { submitServiceRequest(input: $input) { serviceRequest { state } ${ERRORS} } }`, { input: { id: sr.id } });
    expect(submitted.data.submitServiceRequest).toEqual({ serviceRequest: { state: 'SUBMITTED' }, userErrors: [] });
    // another organisation's portal user cannot
    const other = await t.gql('CUSTOMER_HUAXIA', `query($id: ID!) { serviceRequest(id: $id) { id } }`, { id: sr.id });
    expect(other.data.serviceRequest).toBeNull();

    // once converted, the consultation takes no more answers
    await expectRefusedUnchanged(cn.id, 'INVALID_TRANSITION', () => act('AGENT', 'answerConsultation', { id: cn.id, answer: 'late' }));
  });

  test('converted from PENDING_REPLY and ANSWERED too; the workflow shows the conversion and its announcement', async () => {
    const pending = await logged();
    await ok('AGENT', 'deferConsultation', { id: pending.id, promisedReplyAt: inHours(2), note: 'checking' });
    expect((await ok('AGENT', 'convertConsultation', { id: pending.id, category: 'PRE_SALES', serviceType: 'TRAINING', description: 'Operator training' })).convertedRequest).toMatchObject({
      state: 'DRAFT',
      description: 'Operator training',
      urgency: 'NORMAL',
    });
    const answered = await logged();
    await ok('AGENT', 'answerConsultation', { id: answered.id, answer: 'Yes.' });
    expect((await ok('AGENT', 'convertConsultation', { id: answered.id, category: 'AFTER_SALES', serviceType: 'ONSITE_SUPPORT' })).state).toBe('CONVERTED');

    const wf = await t.gql('AGENT', `{ workflows { type prefix createMutation events { name mutation roles transitions { from to announces } } } }`);
    const cnWf = wf.data.workflows.find((w: any) => w.type === 'Consultation');
    expect(cnWf).toMatchObject({ prefix: 'CN', createMutation: 'createConsultation' });
    const convert = cnWf.events.find((e: any) => e.name === 'CONVERT');
    expect(convert.mutation).toBe('convertConsultation');
    expect(convert.roles).toEqual(['AGENT']);
    expect(convert.transitions.map((tr: any) => [tr.from, tr.to, tr.announces])).toEqual([
      ['LOGGED', 'CONVERTED', ['Consultation.converted']],
      ['PENDING_REPLY', 'CONVERTED', ['Consultation.converted']],
      ['ANSWERED', 'CONVERTED', ['Consultation.converted']],
    ]);
  });

  test('the system archives a closed consultation; the records custodian then reads it, and nothing changes it any more', async () => {
    const cn = await logged();
    await ok('AGENT', 'answerConsultation', { id: cn.id, answer: 'Yes.' });
    await ok('CUSTOMER_ACME', 'confirmSatisfiedConsultation', { id: cn.id });
    expect((await read('ARCHIVIST', cn.id)).consultation).toBeNull();
    await t.api.engine.transaction((m) => t.api.engine.fireSystem(m, consultationDefinition, idOf(cn.id, 'Consultation')!, 'ARCHIVE', { requestId: 'test-archive', idempotencyKey: null }));
    expect((await read('ARCHIVIST', cn.id)).consultation).toMatchObject({ state: 'ARCHIVED' });
    // archived is read-only: every event answers ARCHIVED (records control)
    await expectRefusedUnchanged(cn.id, 'ARCHIVED', () => act('AGENT', 'convertConsultation', { id: cn.id, category: 'AFTER_SALES', serviceType: 'REPAIR' }));
  });
});

describe('the portal', () => {
  test('a customer asks online for its own organisation and follows only its own organisation\'s consultations', async () => {
    const asked = await ok('CUSTOMER_HUAXIA', 'createConsultation', { question: 'Which transformer oil do you recommend?', channel: 'PHONE' });
    // portal users always ask ONLINE, for their own organisation
    expect(asked).toMatchObject({ state: 'LOGGED', channel: 'ONLINE', customer: { code: 'HUAXIA' }, topic: null });
    const acme = await logged();

    // another organisation's consultation answers like one that does not exist
    expect(await read('CUSTOMER_ACME', asked.id)).toEqual({ consultation: null, node: null });
    expect((await read('CUSTOMER_HUAXIA', asked.id)).consultation).toMatchObject({ id: asked.id });
    expect((await read('CUSTOMER_HUAXIA', acme.id)).consultation).toBeNull();
    // supervisors and technicians do not read consultations (no department owns them); executives read all
    expect((await read('SUPERVISOR_CS', asked.id)).consultation).toBeNull();
    expect((await read('TECHNICIAN', asked.id)).consultation).toBeNull();
    expect((await read('EXECUTIVE', asked.id)).consultation).toMatchObject({ id: asked.id });

    const list = async (who: string, filter: Record<string, unknown> = {}) => {
      const res = await t.gql(who, `query($filter: ConsultationFilter) { consultations(first: 100, filter: $filter) { totalCount nodes { id customer { code } } } }`, { filter });
      expect(res.errors).toBeUndefined();
      return res.data.consultations;
    };
    const huaxia = await list('CUSTOMER_HUAXIA');
    expect(huaxia.nodes.map((n: any) => n.customer.code)).toEqual(expect.arrayContaining(['HUAXIA']));
    expect(new Set(huaxia.nodes.map((n: any) => n.customer.code))).toEqual(new Set(['HUAXIA']));
    expect(huaxia.nodes.map((n: any) => n.id)).toContain(asked.id);
    const acmeList = await list('CUSTOMER_ACME');
    expect(acmeList.nodes.map((n: any) => n.id)).toContain(acme.id);
    expect(acmeList.nodes.map((n: any) => n.id)).not.toContain(asked.id);
    expect(await list('CUSTOMER_ACME', { customerId: t.gid.customer('HUAXIA') })).toEqual({ totalCount: 0, nodes: [] });
    expect((await list('SUPERVISOR_TECH')).totalCount).toBe(0);

    // the agent's filters
    const online = await list('AGENT', { channel: ['ONLINE'] });
    expect(online.nodes.map((n: any) => n.id)).toContain(asked.id);
    expect(online.nodes.map((n: any) => n.id)).not.toContain(acme.id);
    const logged_ = await list('AGENT', { state: ['LOGGED'], customerId: t.gid.customer('HUAXIA') });
    expect(logged_.nodes.map((n: any) => n.id)).toEqual([asked.id]);
    expect((await list('AGENT', { createdFrom: inHours(1) })).totalCount).toBe(0);
    expect((await list('AGENT', { createdTo: inHours(1) })).nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining([asked.id, acme.id]));

    // the customer confirms its own; another organisation cannot even find it
    await ok('AGENT', 'answerConsultation', { id: asked.id, answer: 'Naphthenic oil to IEC 60296.' });
    await expectRefusedUnchanged(asked.id, 'NOT_FOUND', () => act('CUSTOMER_ACME', 'confirmSatisfiedConsultation', { id: asked.id }));
    expect((await ok('CUSTOMER_HUAXIA', 'confirmSatisfiedConsultation', { id: asked.id })).state).toBe('CLOSED');
  });

  test('a portal user cannot ask for another organisation, nor set the internal note', async () => {
    const before = await t.dataSource.getRepository(Consultation).count();
    const other = await act('CUSTOMER_ACME', 'createConsultation', { customerId: t.gid.customer('HUAXIA'), question: 'Anything?' });
    expect(other.userErrors).toEqual([{ code: 'FORBIDDEN', field: 'customerId', message: expect.stringContaining('their own organisation') }]);
    const note = await act('CUSTOMER_ACME', 'createConsultation', { question: 'Anything?', internalNote: 'staff only' });
    expect(note.userErrors.map((e) => [e.code, e.field])).toEqual([['FORBIDDEN', 'internalNote']]);
    const staff = await act('TECHNICIAN', 'createConsultation', { customerId: t.gid.customer('ACME'), channel: 'PHONE', question: 'Anything?' });
    expect(staff.userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    const noChannel = await act('AGENT', 'createConsultation', { customerId: t.gid.customer('ACME'), question: 'Anything?' });
    expect(noChannel.userErrors).toEqual([{ code: 'VALIDATION', field: 'channel', message: expect.any(String) }]);
    const blank = await act('AGENT', 'createConsultation', { customerId: t.gid.customer('ACME'), channel: 'PHONE', question: '   ' });
    expect(blank.userErrors.map((e) => [e.code, e.field])).toEqual([['VALIDATION', 'question']]);
    expect(await t.dataSource.getRepository(Consultation).count()).toBe(before);
  });
});

describe('refusals change nothing', () => {
  test('a customer answering → FORBIDDEN; a promised time in the past → VALIDATION; converting as a customer → FORBIDDEN', async () => {
    const cn = await logged();
    await expectRefusedUnchanged(cn.id, 'FORBIDDEN', () => act('CUSTOMER_ACME', 'answerConsultation', { id: cn.id, answer: 'I answer myself.' }));
    const past = await expectRefusedUnchanged(cn.id, 'VALIDATION', () => act('AGENT', 'deferConsultation', { id: cn.id, promisedReplyAt: inHours(-1), note: 'checking' }));
    expect(past.userErrors[0].field).toBe('promisedReplyAt');
    await expectRefusedUnchanged(cn.id, 'FORBIDDEN', () => act('CUSTOMER_ACME', 'convertConsultation', { id: cn.id, category: 'AFTER_SALES', serviceType: 'REPAIR' }));
    await expectRefusedUnchanged(cn.id, 'FORBIDDEN', () => act('CUSTOMER_ACME', 'deferConsultation', { id: cn.id, promisedReplyAt: inHours(2), note: 'checking' }));
    // a window that ends before it starts
    await expectRefusedUnchanged(cn.id, 'VALIDATION', () =>
      act('AGENT', 'convertConsultation', { id: cn.id, category: 'AFTER_SALES', serviceType: 'REPAIR', expectedFrom: '2026-12-02T00:00:00.000Z', expectedTo: '2026-12-01T00:00:00.000Z' }),
    );
    // confirming before there is an answer
    await expectRefusedUnchanged(cn.id, 'INVALID_TRANSITION', () => act('CUSTOMER_ACME', 'confirmSatisfiedConsultation', { id: cn.id }));
    // a reason is required to report dissatisfaction
    await ok('AGENT', 'answerConsultation', { id: cn.id, answer: 'Yes.' });
    await expectRefusedUnchanged(cn.id, 'VALIDATION', () => act('CUSTOMER_ACME', 'reportUnsatisfiedConsultation', { id: cn.id, reason: ' ' }));
    expect((await row(cn.id)).state).toBe('ANSWERED');

    const events = await t.gql('CUSTOMER_ACME', `query($id: ID!) { consultation(id: $id) { availableEvents { event allowed code } } }`, { id: cn.id });
    const allowed = Object.fromEntries(events.data.consultation.availableEvents.map((e: any) => [e.event, e.allowed ? 'yes' : e.code]));
    expect(allowed).toMatchObject({ CONFIRM_SATISFIED: 'yes', REPORT_UNSATISFIED: 'yes', CONVERT: 'FORBIDDEN', ANSWER: 'INVALID_TRANSITION' });
  });
});
