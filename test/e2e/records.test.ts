/**
 * Records control over HTTP (SPEC §5, seed 000 §6): archive (one by one, with the request's tasks, records and
 * acceptances following; in bulk by type, period and category), an archived document refusing every mutation,
 * the archivist's register, legal holds, purge (refused before retention and under a hold; personal data gone,
 * figures kept, the audit chain still verifying and still tamper-evident), the scheduled purge and the hold
 * reminder. Time moves with the injectable clock, never a sleep.
 */
import { loadConfig } from '../../src/config';
import { SYSTEM_CALLER } from '../../src/auth/roles';
import { crontab, HOLD_REMINDER_TASK, RECORDS_PURGE_TASK } from '../../src/jobs/runner';
import { purgeDue, remindHolds } from '../../src/records/records';
import { idOf } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, act, inProgressTask, latestAcceptance, ok, PASS, reviewedRecord } from '../support/chain';
import { createRequest, USER_ERRORS } from '../support/documents';

let now = Date.parse('2026-01-12T02:00:00.000Z');
const clock = () => new Date(now);
const at = (iso: string) => {
  now = Date.parse(iso);
};

let t: TestApi;
const records = loadConfig({ NODE_ENV: 'test' }).records;
beforeAll(async () => {
  t = await startTestApi({ clock });
});
afterAll(() => t.close());

const PRIVATE = { contactName: 'Zhou Privacy', contactPhone: '+86 139 0000 1234', address: '7 Quiet Lane, Suzhou', description: 'Pump at Zhou Privacy\'s workshop leaks oil.' };

/** a request the customer filed and withdrew now: closed (CANCELLED) at the clock's time */
async function cancelledRequest(input: Record<string, unknown> = {}) {
  const sr = await createRequest(t, 'CUSTOMER_ACME', { ...PRIVATE, ...input });
  return ok(t, 'CUSTOMER_ACME', 'cancelServiceRequest', { id: sr.id, reason: 'Zhou Privacy fixed it herself.' });
}

/** the clock's now less some minutes, to the minute (record times) */
const minutesBefore = (minutes: number) => new Date(Math.floor(now / 60_000) * 60_000 - minutes * 60_000).toISOString();

async function completedRequest() {
  const sr = await acceptedRequest(t, 'CUSTOMER_ACME', PRIVATE);
  const task = await inProgressTask(t, sr.id);
  // the service ended before the clock's now: the customer signs after the work
  const record = await reviewedRecord(t, task.id, 'TECHNICIAN', { times: { actualStart: minutesBefore(180), actualEnd: minutesBefore(60) } });
  await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
  const acceptance = await latestAcceptance(t, task.id);
  await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acceptance.id, ...PASS, signerName: 'Zhou Privacy' });
  await ok(t, 'AGENT', 'verifyServiceAcceptance', { id: acceptance.id });
  return { sr, task, record, acceptance };
}

const archive = (id: string, who = 'ARCHIVIST') => act(t, who, 'archiveServiceRequest', { id });

async function rowOf(table: string, id: string) {
  const [row] = await t.owner.query(`SELECT * FROM ${table} WHERE id = $1`, [idOf(id, table.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(''))]);
  return row;
}

const eventsOf = async (id: string): Promise<number> => (await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE document_id = $1`, [id]))[0].n;

const REGISTER = `query($type: String, $from: DateTimeISO, $to: DateTimeISO, $purgeable: Boolean) {
  eligible: archiveEligible(type: $type, closedFrom: $from, closedTo: $to) { totalCount nodes { id type number state closedAt retentionUntil category department { code } } }
  archived: archivedRecords(type: $type, closedFrom: $from, closedTo: $to, purgeable: $purgeable) { totalCount nodes { id number state archivedAt purgedAt standingHolds retentionUntil } } }`;

describe('archive', () => {
  test('an open document cannot be archived: the archivist does not even see it, and its machine refuses anyone else', async () => {
    at('2026-01-12T02:00:00.000Z');
    const open = await createRequest(t, 'CUSTOMER_ACME', PRIVATE);
    expect((await archive(open.id)).userErrors[0].code).toBe('NOT_FOUND');
    expect((await archive(open.id, 'AGENT')).userErrors[0].code).toBe('INVALID_TRANSITION');
    expect((await rowOf('service_request', open.id)).state).toBe('DRAFT');
    // nor reads it, on any list
    expect((await t.gql('ARCHIVIST', `query($id: ID!) { serviceRequest(id: $id) { id } }`, { id: open.id })).data.serviceRequest).toBeNull();
    const listed = await t.gql('ARCHIVIST', `{ serviceRequests(first: 100) { nodes { id state } } }`);
    expect(listed.data.serviceRequests.nodes.every((n: any) => n.state === 'ARCHIVED')).toBe(true);
    // closed but not archived: only in the register (no personal field there), not readable as a document
    const closed = await cancelledRequest();
    const register = await t.gql('ARCHIVIST', REGISTER, { type: 'ServiceRequest' });
    expect(register.errors).toBeUndefined();
    expect(register.data.eligible.nodes.map((n: any) => n.id)).toContain(closed.id);
    expect(register.data.eligible.nodes.map((n: any) => n.id)).not.toContain(open.id);
    const entry = register.data.eligible.nodes.find((n: any) => n.id === closed.id);
    expect(entry).toMatchObject({ type: 'ServiceRequest', state: 'CANCELLED', closedAt: '2026-01-12T02:00:00.000Z', retentionUntil: '2031-01-12T02:00:00.000Z', category: 'AFTER_SALES', department: null });
    expect((await t.gql('ARCHIVIST', `query($id: ID!) { serviceRequest(id: $id) { id } }`, { id: closed.id })).data.serviceRequest).toBeNull();
    // the register is the custodian's alone
    const agent = await t.gql('AGENT', REGISTER, {});
    expect(agent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('a completed request is archived with its task, record and acceptance, each through its own machine', async () => {
    at('2026-01-13T02:00:00.000Z');
    const { sr, task, record, acceptance } = await completedRequest();
    const done = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { state retentionUntil } }`, { id: sr.id });
    expect(done.data.serviceRequest).toEqual({ state: 'COMPLETED', retentionUntil: '2031-01-13T02:00:00.000Z' });
    at('2026-01-20T02:00:00.000Z');
    const out = await archive(sr.id);
    expect(out.userErrors).toEqual([]);
    expect(out.doc.state).toBe('ARCHIVED');
    for (const [table, id] of [['service_task', task.id], ['service_record', record.id], ['service_acceptance', acceptance.id]]) {
      expect({ table, state: (await rowOf(table, id)).state }).toEqual({ table, state: 'ARCHIVED' });
    }
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE event = 'ARCHIVE' AND document_id = ANY($1)`, [[sr, task, record, acceptance].map((d, i) => idOf(d.id, ['ServiceRequest', 'ServiceTask', 'ServiceRecord', 'ServiceAcceptance'][i]))]);
    expect(n).toBe(4);
    // the return visit was still due: archiving closed it, so nothing of an archived document is ever escalated
    const [open] = await t.owner.query(`SELECT count(*)::int AS n FROM deadline WHERE document_id = $1 AND met_at IS NULL`, [idOf(sr.id, 'ServiceRequest')]);
    expect(open.n).toBe(0);
    // the archivist now reads them all (a task and its record too), with retention still from the closing
    const read = await t.gql('ARCHIVIST', `query($id: ID!, $task: ID!) { serviceRequest(id: $id) { state retentionUntil } serviceTask(id: $task) { state retentionUntil } }`, { id: sr.id, task: task.id });
    expect(read.data.serviceRequest).toEqual({ state: 'ARCHIVED', retentionUntil: '2031-01-13T02:00:00.000Z' });
    expect(read.data.serviceTask.state).toBe('ARCHIVED');
  });

  test('an archived document refuses every mutation of the schema that takes its id, and nothing changes', async () => {
    at('2026-01-21T02:00:00.000Z');
    const { sr, task, record, acceptance } = await completedRequest();
    expect((await archive(sr.id)).userErrors).toEqual([]);
    const archived: Record<string, string> = { ServiceRequest: sr.id, ServiceTask: task.id, ServiceRecord: record.id, ServiceAcceptance: acceptance.id };
    const schema = (await t.gql('AGENT', `{ __schema { mutationType { fields { name args { name type { ...T } } } } types { name kind enumValues { name } inputFields { name type { ...T } } } } }
      fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`)).data.__schema;
    const types = new Map<string, any>(schema.types.map((ty: any) => [ty.name, ty]));
    const named = (ty: any): any => (ty.ofType ? named(ty.ofType) : ty);
    const required = (ty: any) => ty.kind === 'NON_NULL';
    const listOf = (ty: any): boolean => ty.kind === 'LIST' || (ty.ofType ? listOf(ty.ofType) : false);
    /** a value of the input type that passes the input's own checks, so the refusal is the document's */
    const valueOf = (ty: any, field: string, id: string): unknown => {
      const base = named(ty);
      const one = (() => {
        if (base.name === 'ID') return field === 'id' ? id : t.gid.department('TECH');
        if (base.name === 'String') return 'Checked while archived';
        if (base.name === 'Int') return 1;
        if (base.name === 'Float') return 1;
        if (base.name === 'Boolean') return true;
        if (base.name === 'DateTime' || base.name === 'DateTimeISO') return '2027-06-01T02:00:00.000Z';
        const info = types.get(base.name);
        if (info.kind === 'ENUM') return info.enumValues[0].name;
        return Object.fromEntries(info.inputFields.filter((f: any) => required(f.type)).map((f: any) => [f.name, valueOf(f.type, f.name, id)]));
      })();
      return listOf(ty) ? [one] : one;
    };
    // the records custodian's own actions on an archived document are records control, tested below
    const RECORDS_CONTROL = new Set(['setLegalHold', 'liftLegalHold', 'purgeDocument', 'purgeDocuments', 'archiveDocuments']);
    const tried: string[] = [];
    const failures: string[] = [];
    for (const m of schema.mutationType.fields) {
      if (RECORDS_CONTROL.has(m.name)) continue;
      const input = m.args.find((a: any) => a.name === 'input');
      if (!input) continue;
      const inputType = types.get(named(input.type).name);
      const idField = inputType.inputFields.find((f: any) => f.name === 'id' && named(f.type).name === 'ID');
      const docType = Object.keys(archived).find((type) => m.name.endsWith(type));
      if (!idField || !docType) continue;
      const id = archived[docType];
      const table = docType.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
      const before = { row: await rowOf(table, id), events: await eventsOf(idOf(id, docType)!) };
      for (const who of ['AGENT', 'ARCHIVIST', 'SUPERVISOR_TECH', 'CUSTOMER_ACME']) {
        const field = docType[0].toLowerCase() + docType.slice(1);
        const res = await t.gql(who, `mutation($input: ${named(input.type).name}!) { r: ${m.name}(input: $input) { ${field} { id } ${USER_ERRORS} } }`, { input: valueOf(input.type, 'input', id) });
        const codes = (res.data?.r?.userErrors ?? []).map((e: any) => e.code);
        // ARCHIVED for every event of its machine (NOT_FOUND for whoever never reads it: a customer and a record)
        if (res.errors || codes.length === 0 || !codes.every((c: string) => c === 'ARCHIVED' || (c === 'NOT_FOUND' && who === 'CUSTOMER_ACME'))) failures.push(`${who} ${m.name}: ${JSON.stringify(res.errors ?? codes)}`);
      }
      const after = { row: await rowOf(table, id), events: await eventsOf(idOf(id, docType)!) };
      expect({ mutation: m.name, ...after }).toEqual({ mutation: m.name, ...before });
      tried.push(m.name);
    }
    expect(failures).toEqual([]);
    expect(tried).toEqual(expect.arrayContaining(['updateServiceRequest', 'cancelServiceRequest', 'recordReturnVisitServiceRequest', 'archiveServiceRequest', 'cancelServiceTask', 'updateServiceTask', 'updateServiceRecord', 'addEntryServiceRecord', 'passServiceAcceptance']));

    // documents that would be added to it are refused too: a task for the request, a record or a parts requisition for the task
    const refusedCreate = async (mutation: string, inputType: string, field: string, input: Record<string, unknown>) => {
      const res = await t.gql('SUPERVISOR_TECH', `mutation($i: ${inputType}!) { r: ${mutation}(input: $i) { ${field} { id } ${USER_ERRORS} } }`, { i: input });
      expect({ mutation, errors: res.errors, refused: res.data.r.userErrors.length > 0, doc: res.data.r[field] }).toEqual({ mutation, errors: undefined, refused: true, doc: null });
    };
    await refusedCreate('createServiceTask', 'CreateServiceTaskInput', 'serviceTask', { requestId: sr.id, assigneeId: t.gid.user('TECHNICIAN'), description: 'x', plannedStart: '2027-01-01T01:00:00.000Z', plannedEnd: '2027-01-01T02:00:00.000Z' });
    for (const who of ['TECHNICIAN']) {
      const rec = await t.gql(who, `mutation($i: CreateServiceRecordInput!) { r: createServiceRecord(input: $i) { serviceRecord { id } ${USER_ERRORS} } }`, { i: { taskId: task.id } });
      expect(rec.data.r.serviceRecord).toBeNull();
      const parts = await t.gql(who, `mutation($i: CreatePartsRequisitionInput!) { r: createPartsRequisition(input: $i) { partsRequisition { id } ${USER_ERRORS} } }`, { i: { taskId: task.id, lines: [{ partNumber: 'P-1', partName: 'seal', quantity: 1, unitCost: 10, underWarranty: true }] } });
      expect(parts.errors ?? []).toEqual([]);
      expect(parts.data.r.partsRequisition).toBeNull();
    }
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM service_task WHERE request_id = $1`, [idOf(sr.id, 'ServiceRequest')]);
    expect(n).toBe(1);
    // availableEvents says why, without a mutation
    const buttons = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { availableEvents { event allowed code } } }`, { id: sr.id });
    expect(buttons.data.serviceRequest.availableEvents.every((e: any) => !e.allowed && e.code === 'ARCHIVED')).toBe(true);
  });

  test('bulk archive of a period: only that period\'s closed documents of the type (and category), bounded, counted', async () => {
    at('2026-02-02T02:00:00.000Z');
    const feb1 = await cancelledRequest();
    at('2026-02-16T02:00:00.000Z');
    const feb2 = await cancelledRequest();
    const preSales = await cancelledRequest({ category: 'PRE_SALES' });
    at('2026-03-02T02:00:00.000Z');
    const march = await cancelledRequest();
    const openInFeb = await createRequest(t, 'CUSTOMER_ACME', PRIVATE);
    const period = { type: 'ServiceRequest', closedFrom: '2026-02-01T00:00:00.000Z', closedTo: '2026-03-01T00:00:00.000Z' };
    const BULK = `mutation($i: ArchiveDocumentsInput!) { archiveDocuments(input: $i) { archivedCount archivedIds remaining refused { id error { code } } ${USER_ERRORS} } }`;

    const eligible = await t.gql('ARCHIVIST', REGISTER, { type: 'ServiceRequest', from: period.closedFrom, to: period.closedTo });
    const ids = eligible.data.eligible.nodes.map((n: any) => n.id);
    expect(ids[0]).toBe(feb1.id); // oldest closing first (the other two closed at the same moment)
    expect(ids.sort()).toEqual([feb1.id, feb2.id, preSales.id].sort());

    expect((await t.gql('AGENT', BULK, { i: period })).data.archiveDocuments.userErrors[0].code).toBe('FORBIDDEN');
    expect((await t.gql('ARCHIVIST', BULK, { i: { ...period, type: 'ServiceTask' } })).data.archiveDocuments.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'type' });

    // one category, one at a time: the cap and `remaining`
    const first = (await t.gql('ARCHIVIST', BULK, { i: { ...period, category: 'AFTER_SALES', limit: 1 } })).data.archiveDocuments;
    expect(first).toMatchObject({ archivedCount: 1, archivedIds: [feb1.id], remaining: 1, userErrors: [] });
    const rest = (await t.gql('ARCHIVIST', BULK, { i: period })).data.archiveDocuments;
    expect(rest).toMatchObject({ archivedCount: 2, remaining: 0, refused: [], userErrors: [] });
    expect(rest.archivedIds.sort()).toEqual([feb2.id, preSales.id].sort());
    for (const d of [feb1, feb2, preSales]) expect((await rowOf('service_request', d.id)).state).toBe('ARCHIVED');
    expect((await rowOf('service_request', march.id)).state).toBe('CANCELLED');
    expect((await rowOf('service_request', openInFeb.id)).state).toBe('DRAFT');
    // each through its machine: its own ARCHIVE event and outbox row
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE event = 'ARCHIVE' AND document_id = ANY($1)`, [[feb1, feb2, preSales].map((d) => idOf(d.id, 'ServiceRequest'))]);
    expect(n).toBe(3);
    const after = await t.gql('ARCHIVIST', REGISTER, { type: 'ServiceRequest', from: period.closedFrom, to: period.closedTo });
    expect(after.data.eligible.totalCount).toBe(0);
    expect(after.data.archived.nodes.map((n: any) => n.id).sort()).toEqual([feb1.id, feb2.id, preSales.id].sort());
  });

  test('two archivists archiving the same period at once archive each document once', async () => {
    at('2026-04-02T02:00:00.000Z');
    const docs = [];
    for (let i = 0; i < 6; i++) docs.push(await cancelledRequest());
    const input = { type: 'ServiceRequest', closedFrom: '2026-04-01T00:00:00.000Z', closedTo: '2026-05-01T00:00:00.000Z' };
    const BULK = `mutation($i: ArchiveDocumentsInput!) { archiveDocuments(input: $i) { archivedCount remaining refused { error { code } } } }`;
    const [a, b] = await Promise.all([t.gql('ARCHIVIST', BULK, { i: input }), t.gql('ARCHIVIST', BULK, { i: input })]);
    expect(a.data.archiveDocuments.archivedCount + b.data.archiveDocuments.archivedCount).toBe(6);
    for (const r of [...a.data.archiveDocuments.refused, ...b.data.archiveDocuments.refused]) expect(r.error.code).toBe('ARCHIVED');
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE event = 'ARCHIVE' AND document_id = ANY($1)`, [docs.map((d) => idOf(d.id, 'ServiceRequest'))]);
    expect(n).toBe(6);
  });
});

describe('retention, legal hold and purge', () => {
  const HOLD = `mutation($i: SetLegalHoldInput!) { r: setLegalHold(input: $i) { legalHold { id standing reviewAt } ${USER_ERRORS} } }`;
  const LIFT = `mutation($i: LiftLegalHoldInput!) { r: liftLegalHold(input: $i) { legalHold { id standing liftedAt } ${USER_ERRORS} } }`;
  const PURGE = `mutation($id: ID!) { r: purgeDocument(input: { id: $id }) { purged { id number fields } ${USER_ERRORS} } }`;
  const VERIFY = `query($id: ID!) { verifyAuditChain(documentId: $id) { valid eventCount brokenAtSeq reason } }`;
  const purge = async (id: string, who = 'ARCHIVIST') => (await t.gql(who, PURGE, { id })).data.r;

  test('refused before retention and under any standing hold; after both, personal data is gone, figures stay, the chain verifies and still detects tampering', async () => {
    at('2026-06-01T02:00:00.000Z');
    const { sr, acceptance } = await completedRequest();
    at('2026-06-02T02:00:00.000Z');
    await ok(t, 'AGENT', 'recordReturnVisitServiceRequest', { id: sr.id, satisfaction: 'SATISFIED', note: 'Zhou Privacy is happy.' });
    expect((await archive(sr.id)).userErrors).toEqual([]);
    const uuid = idOf(sr.id, 'ServiceRequest')!;

    // before retention: refused, nothing changes
    const early = await purge(sr.id);
    expect(early.userErrors[0]).toMatchObject({ code: 'GUARD_FAILED' });
    expect(early.userErrors[0].message).toContain('2031-06-01T02:00:00.000Z');
    expect(await purge(sr.id, 'AGENT')).toMatchObject({ purged: null, userErrors: [{ code: 'FORBIDDEN' }] });

    // two holds; one lifted is not enough
    const reviewAt = '2031-09-01T00:00:00.000Z';
    const h1 = (await t.gql('ARCHIVIST', HOLD, { i: { documentId: sr.id, reason: 'Warranty dispute with ACME', ownerId: t.gid.user('SUPERVISOR_TECH'), reviewAt } })).data.r;
    expect(h1.userErrors).toEqual([]);
    const h2 = (await t.gql('ARCHIVIST', HOLD, { i: { documentId: sr.id, reason: 'Insurance claim', ownerId: t.gid.user('SUPERVISOR_CS'), reviewAt } })).data.r;
    expect((await t.gql('AGENT', HOLD, { i: { documentId: sr.id, reason: 'x', ownerId: t.gid.user('SUPERVISOR_TECH'), reviewAt } })).data.r.userErrors[0].code).toBe('FORBIDDEN');
    // the hold is on the document's own chain, hidden from the customer's history
    const history = async (who: string) => (await t.gql(who, `query($id: ID!) { serviceRequest(id: $id) { version history(first: 100) { nodes { event } } legalHolds { standing } } }`, { id: sr.id })).data.serviceRequest;
    expect((await history('ARCHIVIST')).history.nodes.map((e: any) => e.event).filter((e: string) => e.startsWith('LEGAL'))).toEqual(['LEGAL_HOLD', 'LEGAL_HOLD']);
    expect((await history('ARCHIVIST')).legalHolds).toEqual([{ standing: true }, { standing: true }]);
    const customer = await history('CUSTOMER_ACME');
    expect(customer.history.nodes.some((e: any) => e.event.startsWith('LEGAL'))).toBe(false);
    expect(customer.legalHolds).toEqual([]);

    at('2031-06-02T02:00:00.000Z');
    expect((await purge(sr.id)).userErrors[0]).toMatchObject({ code: 'LEGAL_HOLD' });
    expect((await t.gql('ARCHIVIST', LIFT, { i: { id: h1.legalHold.id, reason: 'Dispute settled' } })).data.r).toMatchObject({ legalHold: { standing: false }, userErrors: [] });
    expect((await t.gql('ARCHIVIST', LIFT, { i: { id: h1.legalHold.id, reason: 'again' } })).data.r.userErrors[0].code).toBe('GUARD_FAILED');
    expect((await purge(sr.id)).userErrors[0]).toMatchObject({ code: 'LEGAL_HOLD' });
    const before = await rowOf('service_request', sr.id);
    expect(before.contact_name).toBe('Zhou Privacy');
    expect((await t.gql('ARCHIVIST', LIFT, { i: { id: h2.legalHold.id, reason: 'Claim closed' } })).data.r.userErrors).toEqual([]);

    const done = await purge(sr.id);
    expect(done.userErrors).toEqual([]);
    expect(done.purged.fields).toEqual(expect.arrayContaining(['contactName', 'contactPhone', 'address', 'description', 'returnVisitNote', 'cancellationReason']));
    expect((await purge(sr.id)).userErrors[0].code).toBe('GUARD_FAILED'); // once

    // the database itself: personal columns empty, figures kept
    const after = await rowOf('service_request', sr.id);
    for (const column of ['contact_name', 'contact_phone', 'address', 'description', 'return_visit_note']) expect({ column, value: after[column] }).toEqual({ column, value: null });
    expect(after).toMatchObject({ state: 'ARCHIVED', number: before.number, category: before.category, service_type: before.service_type, channel: before.channel, return_visit_satisfaction: 'SATISFIED', customer_id: before.customer_id });
    expect(after.closed_at).toEqual(before.closed_at);
    expect(after.submitted_at).toEqual(before.submitted_at);
    // the acceptance (archived with it) keeps its score once purged itself; the request's audit trail holds no personal value any more
    const leaks = await t.owner.query(`SELECT seq, event FROM audit_event WHERE document_id = $1 AND (changes::text LIKE '%Zhou Privacy%' OR changes::text LIKE '%0000 1234%' OR reason LIKE '%Zhou Privacy%')`, [uuid]);
    expect(leaks).toEqual([]);
    const [outbox] = await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE document_id = $1 AND payload::text LIKE '%Zhou Privacy%'`, [uuid]);
    expect(outbox.n).toBe(0);
    const skeleton = await t.owner.query(`SELECT seq, event, from_state, to_state, actor_id, at, redacted_by_seq FROM audit_event WHERE document_id = $1 ORDER BY seq`, [uuid]);
    expect(skeleton.map((e: any) => e.event)).toEqual(expect.arrayContaining(['CREATE', 'SUBMIT', 'ACCEPT', 'START', 'COMPLETE', 'RECORD_RETURN_VISIT', 'ARCHIVE', 'LEGAL_HOLD', 'LEGAL_HOLD_LIFTED', 'PURGE']));
    expect(skeleton.at(-1).event).toBe('PURGE');
    expect(skeleton.slice(0, -1).every((e: any) => e.redacted_by_seq === skeleton.at(-1).seq)).toBe(true);
    // the category's change stays: it is no personal field
    const [create] = await t.owner.query(`SELECT changes FROM audit_event WHERE document_id = $1 AND seq = 1`, [uuid]);
    expect(create.changes.category).toEqual({ from: null, to: 'AFTER_SALES' });
    expect(create.changes.contactName).toBeUndefined();

    // the chain still verifies …
    expect((await t.gql('ARCHIVIST', VERIFY, { id: sr.id })).data.verifyAuditChain).toMatchObject({ valid: true, brokenAtSeq: null });
    // … and the app itself cannot redact outside a purge (the function needs a PURGE at the chain's end) or write audit_event
    await expect(t.dataSource.query(`SELECT redact_audit_personal($1)`, [idOf(acceptance.id, 'ServiceAcceptance')])).rejects.toThrow(/PURGE/);
    await expect(t.dataSource.query(`UPDATE audit_event SET reason = NULL WHERE document_id = $1`, [uuid])).rejects.toThrow(/permission denied/);
    // … and any tampering is still found: a kept value altered, a kept value removed as if redacted
    await t.owner.query(`UPDATE audit_event SET changes = jsonb_set(changes, '{category,to}', '"PRE_SALES"') WHERE document_id = $1 AND seq = 1`, [uuid]);
    expect((await t.gql('ARCHIVIST', VERIFY, { id: sr.id })).data.verifyAuditChain).toMatchObject({ valid: false, brokenAtSeq: 1 });
    await t.owner.query(`UPDATE audit_event SET changes = changes - 'category' WHERE document_id = $1 AND seq = 1`, [uuid]);
    expect((await t.gql('ARCHIVIST', VERIFY, { id: sr.id })).data.verifyAuditChain).toMatchObject({ valid: false, brokenAtSeq: 1, reason: 'category is missing and no purge records its removal' });
  });

  test('the scheduled purge purges what is due and skips what is held; the reminder reaches a hold\'s owner once', async () => {
    expect(crontab(loadConfig({ NODE_ENV: 'test' }).jobs, loadConfig({ NODE_ENV: 'test' }).deadlines, records)).toContain(` ${RECORDS_PURGE_TASK} `);
    expect(crontab(loadConfig({ NODE_ENV: 'test' }).jobs, loadConfig({ NODE_ENV: 'test' }).deadlines, records)).toContain(` ${HOLD_REMINDER_TASK} `);
    at('2027-03-02T02:00:00.000Z');
    const due = await cancelledRequest();
    const held = await cancelledRequest();
    const notArchived = await cancelledRequest();
    at('2027-03-03T02:00:00.000Z');
    for (const d of [due, held]) expect((await archive(d.id)).userErrors).toEqual([]);
    const hold = (await t.gql('ARCHIVIST', HOLD, { i: { documentId: held.id, reason: 'Litigation', ownerId: t.gid.user('SUPERVISOR_TECH'), reviewAt: '2032-04-01T00:00:00.000Z' } })).data.r;
    expect(hold.userErrors).toEqual([]);
    const meta = { requestId: 'test-scheduled-purge', idempotencyKey: null };

    at('2032-03-01T02:00:00.000Z'); // a day before their retention ends
    const none = await purgeDue(t.api.engine, t.dataSource, records, SYSTEM_CALLER, { type: 'ServiceRequest' }, meta);
    expect(none.purged.map((p) => p.documentId)).not.toContain(idOf(due.id, 'ServiceRequest'));
    const listed = await t.gql('ARCHIVIST', REGISTER, { type: 'ServiceRequest', from: '2027-03-01T00:00:00.000Z', to: '2027-03-31T00:00:00.000Z', purgeable: true });
    expect(listed.data.archived.totalCount).toBe(0);

    at('2032-03-03T02:00:00.000Z');
    const purgeable = await t.gql('ARCHIVIST', REGISTER, { type: 'ServiceRequest', from: '2027-03-01T00:00:00.000Z', to: '2027-03-31T00:00:00.000Z', purgeable: true });
    expect(purgeable.data.archived.nodes.map((n: any) => n.id)).toEqual([due.id]);
    const sweep = await purgeDue(t.api.engine, t.dataSource, records, SYSTEM_CALLER, {}, meta);
    const purgedIds = sweep.purged.map((p) => p.documentId);
    expect(purgedIds).toContain(idOf(due.id, 'ServiceRequest'));
    expect(purgedIds).not.toContain(idOf(held.id, 'ServiceRequest'));
    expect(purgedIds).not.toContain(idOf(notArchived.id, 'ServiceRequest'));
    expect(sweep.remaining).toBe(0);
    expect((await rowOf('service_request', due.id)).contact_name).toBeNull();
    expect((await rowOf('service_request', held.id)).contact_name).toBe('Zhou Privacy');
    const [purgeEvent] = await t.owner.query(`SELECT actor_id, event FROM audit_event WHERE document_id = $1 ORDER BY seq DESC LIMIT 1`, [idOf(due.id, 'ServiceRequest')]);
    expect(purgeEvent).toEqual({ actor_id: SYSTEM_CALLER.userId, event: 'PURGE' });
    expect((await t.gql('ARCHIVIST', VERIFY, { id: due.id })).data.verifyAuditChain.valid).toBe(true);

    // the reminder: not before reminder days ahead of the review, then once however often the sweep runs
    at('2032-03-10T02:00:00.000Z');
    expect(await remindHolds(t.dataSource, clock(), records.holdReminderDays)).toBe(0);
    at('2032-03-20T02:00:00.000Z');
    const [a, b] = await Promise.all([remindHolds(t.dataSource, clock(), records.holdReminderDays), remindHolds(t.dataSource, clock(), records.holdReminderDays)]);
    expect(a + b).toBe(1);
    expect(await remindHolds(t.dataSource, clock(), records.holdReminderDays)).toBe(0);
    const holdId = idOf(hold.legalHold.id, 'LegalHold');
    const reminders = await t.owner.query(`SELECT document_type, event, payload FROM outbox_event WHERE document_id = $1 AND event = 'REMIND'`, [holdId]);
    expect(reminders).toHaveLength(1);
    expect(reminders[0].document_type).toBe('LegalHold');
    expect(reminders[0].payload.changes.reminder.to).toMatchObject({ ownerId: t.ids.users.SUPERVISOR_TECH, reviewAt: '2032-04-01T00:00:00.000Z' });
    const holdChain = await t.gql('ARCHIVIST', `query($id: ID!) { serviceRequest(id: $id) { legalHolds { remindedAt standing } } }`, { id: held.id });
    expect(holdChain.data.serviceRequest.legalHolds).toEqual([{ remindedAt: '2032-03-20T02:00:00.000Z', standing: true }]);
  });
});
