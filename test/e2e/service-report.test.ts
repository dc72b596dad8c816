/**
 * Periodic service reports and plans (SPEC §3.9, seed 002) over HTTP with demo tokens: drawn up with figures
 * frozen from the statistics, reviewed by the department head, approved by an executive, issued and archived;
 * refusals that change nothing; segregation of the three signatures; a customer group's report; a plan; who
 * reads them; the monthly generation once per department and period however often and however concurrently
 * it runs.
 */
import { generateMonthlyReports } from '../../src/documents/service-report/service-report.generation';
import { previousMonth } from '../../src/documents/service-report/service-report.period';
import { crontab, MONTHLY_REPORTS_TASK } from '../../src/jobs/runner';
import { loadConfig } from '../../src/config';
import { idOf, toGlobalId } from '../../src/graphql/global-id';
import { serviceReportDefinition } from '../../src/documents/service-report/service-report.definition';
import { startTestApi, type TestApi } from '../support/api';
import { createRequest, send, USER_ERRORS } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const FIELDS = `id number state version kind year month half periodFrom periodTo customerGroupName title summary figures figuresAsOf approvalRound
  submittedAt reviewedAt issuedAt sendBackReason cancellationReason department { code } customers { code } createdBy { name } submittedBy { name } reviewedBy { name } issuedBy { name }
  planItems { item title detail quantity month } approvals { round step decision signerName comment }`;

const INPUT_TYPES: Record<string, string> = {
  createServiceReport: 'CreateServiceReportInput',
  updateServiceReport: 'UpdateServiceReportInput',
  submitServiceReport: 'DocumentEventInput',
  reviewServiceReport: 'DocumentEventInput',
  approveServiceReport: 'DocumentEventInput',
  sendBackServiceReport: 'ReasonEventInput',
  cancelServiceReport: 'ReasonEventInput',
  archiveServiceReport: 'DocumentEventInput',
};

type Out = { doc: any; userErrors: Array<{ code: string; message: string; field: string | null }> };

async function act(who: string, mutation: string, input: Record<string, unknown>): Promise<Out> {
  const res = await t.gql(who, `mutation($input: ${INPUT_TYPES[mutation]}!) { ${mutation}(input: $input) { serviceReport { ${FIELDS} } ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return { doc: res.data[mutation].serviceReport, userErrors: res.data[mutation].userErrors };
}

async function ok(who: string, mutation: string, input: Record<string, unknown>): Promise<any> {
  const out = await act(who, mutation, input);
  expect({ mutation, userErrors: out.userErrors }).toEqual({ mutation, userErrors: [] });
  return out.doc;
}

async function read(who: string, id: string): Promise<any> {
  const res = await t.gql(who, `query($id: ID!) { serviceReport(id: $id) { ${FIELDS} history { totalCount } } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.serviceReport;
}

/** a refusal with this code, and the report exactly as it was (state, version, history) */
async function refused(who: string, mutation: string, input: Record<string, unknown>, code: string) {
  const before = await read('AGENT', input.id as string);
  const out = await act(who, mutation, input);
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await read('AGENT', input.id as string)).toEqual(before);
  return out.userErrors[0];
}

/** a request accepted for a department (it counts in that department's figures from its creation) */
async function acceptedFor(department: string, who = 'CUSTOMER_ACME') {
  const sr = await createRequest(t, who);
  expect((await send(t, who, 'submitServiceRequest', { id: sr.id })).userErrors).toEqual([]);
  expect((await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department(department) })).userErrors).toEqual([]);
  return sr;
}

// this month in the business timezone: the requests the tests create now fall in it
const { year: thisYear, month: thisMonth } = (() => {
  const { year, month } = previousMonth(new Date(), 'Asia/Shanghai');
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
})();
const MONTHLY_TECH = () => ({ kind: 'MONTHLY', departmentId: t.gid.department('TECH'), year: thisYear, month: thisMonth });

describe('the monthly report, from drawing up to the archive', () => {
  let id: string;

  test('drawn up by the department supervisor, its figures frozen from the statistics of the period and department', async () => {
    await acceptedFor('TECH');
    await acceptedFor('TECH', 'CUSTOMER_HUAXIA');
    await acceptedFor('SALES'); // another department's: not in TECH's figures
    const doc = await ok('SUPERVISOR_TECH', 'createServiceReport', { ...MONTHLY_TECH(), title: 'Technical support, this month', summary: 'Two repairs.' });
    id = doc.id;
    expect(doc).toMatchObject({ state: 'DRAFT', version: 1, kind: 'MONTHLY', year: thisYear, month: thisMonth, half: null, department: { code: 'TECH' }, customers: [], createdBy: { name: 'Wang Qiang (技術支持部主管)' } });
    expect(doc.number).toMatch(/^SP-\d{4}-\d{6}$/);
    expect(doc.periodFrom).toBe(`${thisYear}-${String(thisMonth).padStart(2, '0')}-01`);
    expect(doc.figures).toMatchObject({ requests: { received: 2 }, services: { completed: 0 } });
    expect(doc.figuresAsOf).not.toBeNull();
  });

  test('figures are frozen: later requests change the statistics, never the report', async () => {
    await acceptedFor('TECH');
    await acceptedFor('TECH');
    expect((await read('AGENT', id)).figures).toMatchObject({ requests: { received: 2 }, services: { completed: 0 } });
    await ok('SUPERVISOR_TECH', 'updateServiceReport', { id, summary: 'Two repairs, analysed.' });
    expect((await read('AGENT', id)).figures).toMatchObject({ requests: { received: 2 }, services: { completed: 0 } });
    // the same statistics now, in a report drawn up now, are different
    const yearly = await ok('SUPERVISOR_TECH', 'createServiceReport', { kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: thisYear });
    expect(yearly.figures).toMatchObject({ requests: { received: 4 }, services: { completed: 0 } });
    await ok('SUPERVISOR_TECH', 'cancelServiceReport', { id: yearly.id, reason: 'drawn up to compare' });
  });

  test('one live report per kind, period, department and group; wrong input is VALIDATION; outsiders are FORBIDDEN', async () => {
    const dup = await act('SUPERVISOR_TECH_2', 'createServiceReport', MONTHLY_TECH());
    expect(dup.userErrors.map((e) => e.code)).toEqual(['GUARD_FAILED']);
    expect(dup.userErrors[0].message).toMatch(/already a report of this kind/);
    expect((await act('AGENT', 'createServiceReport', { ...MONTHLY_TECH(), month: null })).userErrors).toEqual([{ code: 'VALIDATION', field: 'month', message: expect.any(String) }]);
    expect((await act('AGENT', 'createServiceReport', { kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: thisYear, half: 1 })).userErrors.map((e) => e.field)).toEqual(['half']);
    expect((await act('AGENT', 'createServiceReport', { ...MONTHLY_TECH(), month: 13 })).userErrors[0].code).toBe('VALIDATION');
    expect((await act('AGENT', 'createServiceReport', { ...MONTHLY_TECH(), departmentId: t.gid.customer('ACME') })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'departmentId' });
    // another department's supervisor, a technician, a customer
    expect((await act('SUPERVISOR_SALES', 'createServiceReport', { ...MONTHLY_TECH(), month: null, kind: 'YEARLY' })).userErrors[0]).toMatchObject({ code: 'FORBIDDEN', field: 'departmentId' });
    expect((await act('TECHNICIAN', 'createServiceReport', MONTHLY_TECH())).userErrors[0].code).toBe('FORBIDDEN');
    expect((await act('CUSTOMER_ACME', 'createServiceReport', MONTHLY_TECH())).userErrors[0].code).toBe('FORBIDDEN');
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM service_report WHERE kind = 'MONTHLY'`))[0].n).toBe(1);
  });

  test('review: the department head, never the one who drew it up or submitted it; nothing approves it before', async () => {
    expect((await ok('SUPERVISOR_TECH', 'submitServiceReport', { id })).state).toBe('PENDING_REVIEW');
    await refused('SUPERVISOR_TECH', 'reviewServiceReport', { id }, 'SEGREGATION_OF_DUTIES');
    await refused('EXECUTIVE', 'approveServiceReport', { id }, 'INVALID_TRANSITION');
    await refused('EXECUTIVE', 'reviewServiceReport', { id }, 'FORBIDDEN');
    await refused('SUPERVISOR_SALES', 'reviewServiceReport', { id }, 'NOT_FOUND');
    await refused('SUPERVISOR_TECH_2', 'sendBackServiceReport', { id, reason: '  ' }, 'VALIDATION');
    const reviewed = await ok('SUPERVISOR_TECH_2', 'reviewServiceReport', { id, comment: 'Figures checked.' });
    expect(reviewed).toMatchObject({ state: 'PENDING_APPROVAL', reviewedBy: { name: 'Sun Hui (技術支持部副主管)' } });
  });

  test('approval: an executive, never a supervisor; sent back with a reason, then approved and issued', async () => {
    await refused('SUPERVISOR_TECH_3', 'approveServiceReport', { id }, 'FORBIDDEN');
    await refused('EXECUTIVE', 'sendBackServiceReport', { id, reason: '' }, 'VALIDATION');
    const back = await ok('EXECUTIVE', 'sendBackServiceReport', { id, reason: 'Explain the Huaxia repair.' });
    expect(back).toMatchObject({ state: 'DRAFT', sendBackReason: 'Explain the Huaxia repair.' });
    expect(back.figures).toMatchObject({ requests: { received: 2 }, services: { completed: 0 } });
    await ok('SUPERVISOR_TECH', 'updateServiceReport', { id, summary: 'Two repairs; Huaxia explained.' });
    await ok('SUPERVISOR_TECH', 'submitServiceReport', { id });
    await ok('SUPERVISOR_TECH_2', 'reviewServiceReport', { id });
    const issued = await ok('EXECUTIVE', 'approveServiceReport', { id, comment: 'Issue it.' });
    expect(issued).toMatchObject({ state: 'ISSUED', approvalRound: 2, issuedBy: { name: 'Zhao Gang (總經理)' }, summary: 'Two repairs; Huaxia explained.' });
    expect(issued.issuedAt).not.toBeNull();
    expect(issued.approvals.map((a: any) => [a.round, a.step, a.decision, a.signerName])).toEqual([
      [1, 'SUPERVISOR', 'ENDORSE', 'Sun Hui (技術支持部副主管)'],
      [1, 'EXECUTIVE', 'REJECT', 'Zhao Gang (總經理)'],
      [2, 'SUPERVISOR', 'ENDORSE', 'Sun Hui (技術支持部副主管)'],
      [2, 'EXECUTIVE', 'APPROVE', 'Zhao Gang (總經理)'],
    ]);
    expect(issued.figures).toMatchObject({ requests: { received: 2 }, services: { completed: 0 } });
    await refused('SUPERVISOR_TECH', 'updateServiceReport', { id, summary: 'too late' }, 'INVALID_TRANSITION');
  });

  test('the executive who reviewed it as the department\'s supervisor does not approve it too', async () => {
    const doc = await ok('AGENT', 'createServiceReport', { kind: 'HALF_YEARLY', half: 1, departmentId: t.gid.department('TECH'), year: thisYear });
    await ok('AGENT', 'submitServiceReport', { id: doc.id });
    await ok('EXEC_SUPERVISOR_TECH', 'reviewServiceReport', { id: doc.id });
    await refused('EXEC_SUPERVISOR_TECH', 'approveServiceReport', { id: doc.id }, 'SEGREGATION_OF_DUTIES');
    expect((await ok('EXECUTIVE', 'approveServiceReport', { id: doc.id })).state).toBe('ISSUED');
  });

  test('who reads it: the department\'s supervisors, customer service, executives; nobody else, on any path', async () => {
    for (const who of ['SUPERVISOR_TECH', 'SUPERVISOR_TECH_3', 'AGENT', 'EXECUTIVE']) expect((await read(who, id))?.id).toBe(id);
    for (const who of ['SUPERVISOR_SALES', 'SUPERVISOR_CS', 'TECHNICIAN', 'CUSTOMER_ACME', 'CUSTOMER_HUAXIA', 'ARCHIVIST', 'STOREKEEPER']) {
      expect(await read(who, id)).toBeNull();
      const list = await t.gql(who, `{ serviceReports { totalCount nodes { id } } node(id: "${id}") { id } }`);
      expect(list.errors).toBeUndefined();
      expect(list.data).toEqual({ serviceReports: { totalCount: 0, nodes: [] }, node: null });
    }
    const filtered = await t.gql('SUPERVISOR_TECH', `{ serviceReports(filter: { kind: [MONTHLY], state: [ISSUED], year: ${thisYear} }) { totalCount nodes { id } } }`);
    expect(filtered.data.serviceReports.nodes.map((n: any) => n.id)).toEqual([id]);
  });

  test('archived by the records control, then read by the custodian; nobody else archives', async () => {
    await refused('SUPERVISOR_TECH', 'archiveServiceReport', { id }, 'FORBIDDEN');
    // the custodian does not read an issued report, but archives it: it is closed in the records register (src/records)
    expect(await read('ARCHIVIST', id)).toBeNull();
    const archived = await act('ARCHIVIST', 'archiveServiceReport', { id });
    expect(archived.userErrors).toEqual([]);
    expect((await read('ARCHIVIST', id)).state).toBe('ARCHIVED');
    // and from then on it is read-only
    await refused('EXECUTIVE', 'archiveServiceReport', { id }, 'ARCHIVED');
    const chain = await t.gql('AGENT', `query($id: ID!) { verifyAuditChain(documentId: $id) { valid eventCount } }`, { id });
    expect(chain.data.verifyAuditChain).toEqual({ valid: true, eventCount: 10 });
    const history = await t.gql('AGENT', `query($id: ID!) { serviceReport(id: $id) { history { nodes { event toState } } } }`, { id });
    expect(history.data.serviceReport.history.nodes.map((e: any) => `${e.event} → ${e.toState}`)).toEqual([
      'CREATE → DRAFT', 'UPDATE → DRAFT', 'SUBMIT → PENDING_REVIEW', 'REVIEW → PENDING_APPROVAL', 'SEND_BACK → DRAFT',
      'UPDATE → DRAFT', 'SUBMIT → PENDING_REVIEW', 'REVIEW → PENDING_APPROVAL', 'APPROVE → ISSUED', 'ARCHIVE → ARCHIVED',
    ]);
  });
});

describe('a customer group\'s report and the plans', () => {
  test('a customer group report counts only its customers; the group names existing customers', async () => {
    const doc = await ok('AGENT', 'createServiceReport', {
      kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: thisYear, customerIds: [t.gid.customer('HUAXIA')], customerGroupName: 'Power utilities',
    });
    expect(doc).toMatchObject({ customerGroupName: 'Power utilities', customers: [{ code: 'HUAXIA' }], figures: { requests: { received: 1 }, services: { completed: 0 } } });
    // another group is another report; the same group again is not
    await ok('AGENT', 'createServiceReport', { kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: thisYear, customerIds: [t.gid.customer('ACME'), t.gid.customer('HUAXIA')], customerGroupName: 'All' });
    expect((await act('AGENT', 'createServiceReport', { kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: thisYear, customerIds: [t.gid.customer('HUAXIA')], customerGroupName: 'Again' })).userErrors[0].code).toBe('GUARD_FAILED');
    expect((await act('AGENT', 'createServiceReport', { kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: thisYear - 1, customerIds: [t.gid.department('TECH')], customerGroupName: 'x' })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'customerIds' });
    expect((await act('AGENT', 'createServiceReport', { kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: thisYear - 1, customerIds: [t.gid.customer('ACME')] })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'customerGroupName' });
    const byCustomer = await t.gql('AGENT', `query($c: ID!) { serviceReports(filter: { customerId: $c }) { totalCount } }`, { c: t.gid.customer('HUAXIA') });
    expect(byCustomer.data.serviceReports.totalCount).toBe(2);
  });

  test('an annual plan has no figures, goes for review only with items, and follows the same approval', async () => {
    const plan = await ok('SUPERVISOR_CS', 'createServiceReport', { kind: 'ANNUAL_PLAN', departmentId: t.gid.department('CS'), year: thisYear + 1, title: '售後服務計劃', summary: 'Targets: timeliness ≥ 90 %.' });
    expect(plan).toMatchObject({ figures: null, figuresAsOf: null, planItems: [], periodFrom: `${thisYear + 1}-01-01`, periodTo: `${thisYear + 1}-12-31` });
    await refused('SUPERVISOR_CS', 'submitServiceReport', { id: plan.id }, 'GUARD_FAILED');
    expect((await act('SUPERVISOR_CS', 'createServiceReport', { kind: 'MONTHLY', month: 1, departmentId: t.gid.department('CS'), year: thisYear, planItems: [{ title: 'x' }] })).userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'planItems' });
    const items = [{ title: 'Customer visits', detail: 'Every key customer twice', month: 3 }, { title: 'Patrol maintenance' }];
    const updated = await ok('SUPERVISOR_CS', 'updateServiceReport', { id: plan.id, planItems: items });
    expect(updated.planItems).toEqual([
      { item: 1, title: 'Customer visits', detail: 'Every key customer twice', quantity: null, month: 3 },
      { item: 2, title: 'Patrol maintenance', detail: null, quantity: null, month: null },
    ]);
    // customer service drafts it, the head of customer service reviews, an executive approves (seed 002 §4.4)
    await ok('AGENT', 'submitServiceReport', { id: plan.id });
    await refused('SUPERVISOR_CS', 'reviewServiceReport', { id: plan.id }, 'SEGREGATION_OF_DUTIES');
  });

  test('a spare-parts plan\'s lines carry quantities; a draft is withdrawn with a reason, freeing its slot', async () => {
    const input = { kind: 'SPARE_PARTS_PLAN', departmentId: t.gid.department('CS'), year: thisYear + 1, planItems: [{ title: 'Feed pump seal kit', quantity: 40 }] };
    const plan = await ok('AGENT', 'createServiceReport', input);
    expect(plan.planItems[0]).toMatchObject({ title: 'Feed pump seal kit', quantity: 40 });
    await refused('AGENT', 'cancelServiceReport', { id: plan.id, reason: '' }, 'VALIDATION');
    expect(await ok('AGENT', 'cancelServiceReport', { id: plan.id, reason: 'quantities to be redone' })).toMatchObject({ state: 'CANCELLED', cancellationReason: 'quantities to be redone' });
    expect((await ok('AGENT', 'createServiceReport', input)).state).toBe('DRAFT');
  });
});

describe('the monthly generation', () => {
  test('last month\'s report per department with a supervisor, once, however often and however concurrently it runs', async () => {
    const now = new Date('2031-08-01T02:00:00Z'); // 10:00 on August 1 in Shanghai: July's reports
    // one department drew up its July report by hand already
    await ok('SUPERVISOR_SALES', 'createServiceReport', { kind: 'MONTHLY', departmentId: t.gid.department('SALES'), year: 2031, month: 7 });
    const runs = await Promise.all([generateMonthlyReports(t.dataSource, t.api.engine, now), generateMonthlyReports(t.dataSource, t.api.engine, now)]);
    const again = await generateMonthlyReports(t.dataSource, t.api.engine, now);
    expect(runs.reduce((n, r) => n + r.created, 0)).toBe(2); // CS and TECH; SALES had one
    expect(again).toEqual({ year: 2031, month: 7, created: 0, skipped: 3 });
    const rows = await t.owner.query(
      `SELECT d.code, r.period_from::text AS "from", r.period_to::text AS "to", r.state, r.created_by_id::text AS "by", r.figures
         FROM service_report r JOIN department d ON d.id = r.department_id WHERE r.kind = 'MONTHLY' AND r.year = 2031 ORDER BY d.code`,
    );
    expect(rows.map((r: any) => [r.code, r.from, r.to, r.state])).toEqual([
      ['CS', '2031-07-01', '2031-07-31', 'DRAFT'],
      ['SALES', '2031-07-01', '2031-07-31', 'DRAFT'],
      ['TECH', '2031-07-01', '2031-07-31', 'DRAFT'],
    ]);
    // the system drew up the two it made, with July's (empty) figures frozen
    expect(rows.filter((r: any) => r.by === '00000000-0000-0000-0000-000000000000').map((r: any) => [r.code, r.figures])).toMatchObject([
      ['CS', { requests: { received: 0 }, services: { completed: 0 } }],
      ['TECH', { requests: { received: 0 }, services: { completed: 0 } }],
    ]);
    // the department head reviews a generated report (the system is nobody's segregation)
    const [tech] = await t.owner.query(`SELECT r.id FROM service_report r JOIN department d ON d.id = r.department_id WHERE d.code = 'TECH' AND r.year = 2031`);
    const id = toGlobalId('ServiceReport', tech.id);
    const doc = await read('SUPERVISOR_TECH', id);
    expect(doc).toMatchObject({ createdBy: { name: 'system' }, state: 'DRAFT' });
  });

  test('the crontab runs it monthly', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(crontab(config.jobs, config.deadlines).split('\n')).toContain(`0 1 1 * * ${MONTHLY_REPORTS_TASK} ?fill=1d&jobKey=${MONTHLY_REPORTS_TASK}`);
  });
});
