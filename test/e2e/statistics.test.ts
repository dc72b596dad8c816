/**
 * Statistics and KPIs (SPEC §8) over HTTP, on a hand-built dataset (inserted with SQL, in March 2025, company
 * time zone Asia/Shanghai) whose every expected figure is worked out by hand below; one service through the real
 * mutations; the scopes (another department's supervisor, a customer, a technician); the technician scorecard.
 */
import { gradeOf, roundScore } from '../../src/statistics';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, inProgressTask, latestAcceptance, ok, PASS, submittedRecord } from '../support/chain';

let t: TestApi;
/** local time in Shanghai (+08:00) */
const sh = (local: string) => `${local}+08:00`;
const MARCH = { from: sh('2025-03-01T00:00:00'), to: sh('2025-04-01T00:00:00') };
const APRIL = { from: sh('2025-04-01T00:00:00'), to: sh('2025-05-01T00:00:00') };

const STATS = `query($filter: StatisticsFilter, $bucket: PeriodBucket) { statistics(filter: $filter, bucket: $bucket) {
  period { from to timezone }
  requests { received bucket byPeriod { label start count } byCategory { key count } byServiceType { key count } byChannel { key count } byDepartment { key label count } }
  turnaround { completed unit averageHours minHours maxHours medianHours p90Hours }
  firstResponse { consultations { received responded averageHours maxHours medianHours p90Hours } complaints { received responded averageHours maxHours medianHours p90Hours } }
  acceptance { decided passed failed firstRoundDecided firstRoundPassed firstPassRate rectificationRounds }
  satisfaction { responses satisfied rate acceptanceResponses acceptanceSatisfied acceptanceRate }
  services { completed withFailedAcceptance errorRate acceptedFirstRound firstTimeSuccessRate rectificationRounds returnVisits returnVisitRate }
  complaints { received resolved resolutionRate serviceFault complaintRate }
  onTime { reviews { done onTime rate } approvals { done onTime rate } byKind { kind done onTime rate } }
  timeliness { responses withinDeadline rate }
  records { records complete completenessRate }
  targets { timeliness { target actual met } satisfaction { target actual met } complaintRate { target actual met } }
} }`;

async function stats(who: string, filter: Record<string, unknown>, bucket?: string) {
  const res = await t.gql(who, STATS, { filter, bucket });
  expect(res.errors).toBeUndefined();
  return res.data.statistics;
}

const ids: Record<string, string> = {};

/** The March 2025 dataset, inserted as the database owner. Every row's role in the figures is said next to it. */
async function buildDataset() {
  const q = (sql: string, params: unknown[] = []) => t.owner.query(sql, params);
  const dept = t.ids.departments;
  const cust = t.ids.customers;
  const user = t.ids.users;
  const agent = user.AGENT;
  let n = 0;
  const request = async (key: string, r: { customer: string; type: string; channel: string; category: string; dept: string | null; submitted: string; state: string; closed?: string; cancelled?: boolean; visit?: [string, string] }) => {
    const [row] = await q(
      `INSERT INTO service_request (number, state, version, created_by_id, created_at, customer_id, channel, category, service_type, target_department_id, submitted_at, closed_at, cancellation_reason, return_visit_at, return_visit_satisfaction)
       VALUES ($1, $2, 5, $3, $4, $5, $6, $7, $8, $9, $4, $10, $11, $12, $13) RETURNING id`,
      [`SR-T-${++n}`, r.state, agent, sh(r.submitted), cust[r.customer], r.channel, r.category, r.type, r.dept ? dept[r.dept] : null, r.closed ? sh(r.closed) : null, r.cancelled ? 'customer withdrew' : null, r.visit ? sh(r.visit[0]) : null, r.visit?.[1] ?? null],
    );
    ids[key] = row.id;
  };
  // received in March (local): R1 R2 R3 R5 R6; R4 is submitted at 00:30 on 1 April local (still 31 March in UTC): April's
  await request('R1', { customer: 'ACME', type: 'REPAIR', channel: 'PHONE', category: 'AFTER_SALES', dept: 'TECH', submitted: '2025-03-03T10:00:00', state: 'COMPLETED', closed: '2025-03-04T10:00:00', visit: ['2025-03-06T10:00:00', 'VERY_SATISFIED'] }); // 24 h
  await request('R2', { customer: 'HUAXIA', type: 'INSTALLATION', channel: 'ONLINE', category: 'PRE_SALES', dept: 'TECH', submitted: '2025-03-10T09:00:00', state: 'COMPLETED', closed: '2025-03-12T21:00:00', visit: ['2025-03-14T10:00:00', 'DISSATISFIED'] }); // 60 h
  await request('R3', { customer: 'ACME', type: 'REPAIR', channel: 'EMAIL', category: 'AFTER_SALES', dept: 'TECH', submitted: '2025-03-20T08:00:00', state: 'ARCHIVED', closed: '2025-03-20T14:00:00' }); // 6 h, archived after completion
  await request('R4', { customer: 'ACME', type: 'TRAINING', channel: 'PHONE', category: 'IN_SALES', dept: 'SALES', submitted: '2025-04-01T00:30:00', state: 'SUBMITTED' });
  await request('R5', { customer: 'ACME', type: 'REPAIR', channel: 'PHONE', category: 'AFTER_SALES', dept: 'TECH', submitted: '2025-03-01T00:00:00', state: 'CANCELLED', closed: '2025-03-02T00:00:00', cancelled: true }); // first instant of March
  await request('R6', { customer: 'HUAXIA', type: 'REPAIR', channel: 'PHONE', category: 'AFTER_SALES', dept: 'SALES', submitted: '2025-03-15T10:00:00', state: 'COMPLETED', closed: '2025-03-16T10:00:00', visit: ['2025-03-18T10:00:00', 'SATISFIED'] }); // 24 h

  const task = async (key: string, req: string, customer: string, d: string, assignee: string, completed: string) => {
    const [row] = await q(
      `INSERT INTO service_task (number, state, version, created_by_id, request_id, customer_id, department_id, assignee_id, approved_at, completed_at)
       VALUES ($1, 'COMPLETED', 8, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
      [`ST-T-${++n}`, user.SUPERVISOR_TECH, ids[req], cust[customer], dept[d], user[assignee], sh(completed)],
    );
    ids[key] = row.id;
  };
  await task('T1', 'R1', 'ACME', 'TECH', 'TECHNICIAN', '2025-03-04T09:30:00');
  await task('T2', 'R2', 'HUAXIA', 'TECH', 'TECHNICIAN', '2025-03-12T20:00:00');
  await task('T3', 'R3', 'ACME', 'TECH', 'TECHNICIAN_2', '2025-03-20T13:00:00');
  await task('T6', 'R6', 'HUAXIA', 'SALES', 'TECHNICIAN_2', '2025-03-16T09:00:00');

  const acceptance = async (key: string, tk: string, req: string, customer: string, d: string, round: number, state: string, satisfaction: string | null, signed: string) => {
    const [row] = await q(
      `INSERT INTO service_acceptance (number, state, version, created_by_id, task_id, request_id, customer_id, department_id, round, satisfaction, signed_at)
       VALUES ($1, $2, 3, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [`AC-T-${++n}`, state, agent, ids[tk], ids[req], cust[customer], dept[d], round, satisfaction, sh(signed)],
    );
    ids[key] = row.id;
  };
  await acceptance('A1', 'T1', 'R1', 'ACME', 'TECH', 1, 'VERIFIED', 'VERY_SATISFIED', '2025-03-04T09:00:00');
  await acceptance('A2a', 'T2', 'R2', 'HUAXIA', 'TECH', 1, 'FAILED', null, '2025-03-11T16:00:00');
  await acceptance('A2b', 'T2', 'R2', 'HUAXIA', 'TECH', 2, 'VERIFIED', 'SATISFIED', '2025-03-12T18:00:00');
  await acceptance('A3', 'T3', 'R3', 'ACME', 'TECH', 1, 'VERIFIED', 'NEUTRAL', '2025-03-20T12:00:00');
  await acceptance('A6', 'T6', 'R6', 'HUAXIA', 'SALES', 1, 'PASSED', 'DISSATISFIED', '2025-03-16T08:00:00');

  const complaint = async (customer: string, created: string, d: string, state: string, responsibility: string | null, resolved: string | null, firstResponse: string | null) =>
    q(
      `INSERT INTO complaint (number, state, version, created_by_id, created_at, customer_id, channel, subject, description, department_id, responsibility, resolved_at, first_response_at)
       VALUES ($1, $2, 6, $3, $4, $5, 'PHONE', 'subject', 'description', $6, $7, $8, $9)`,
      [`CP-T-${++n}`, state, agent, sh(created), cust[customer], dept[d], responsibility, resolved ? sh(resolved) : null, firstResponse ? sh(firstResponse) : null],
    );
  await complaint('ACME', '2025-03-05T10:00:00', 'TECH', 'CLOSED', 'SERVICE_FAULT', '2025-03-08T10:00:00', '2025-03-05T20:00:00'); // K1: 10 h
  await complaint('HUAXIA', '2025-03-25T10:00:00', 'TECH', 'INVESTIGATING', null, null, null); // K2: open
  await complaint('ACME', '2025-02-20T10:00:00', 'TECH', 'RESOLVED', 'PRODUCT', '2025-03-02T10:00:00', '2025-03-02T12:00:00'); // K3: February's, not a service fault
  await complaint('ACME', '2025-03-12T10:00:00', 'SALES', 'RESOLVED', 'SERVICE_FAULT', '2025-03-14T10:00:00', '2025-03-12T14:00:00'); // K4: 4 h

  const consultation = (customer: string, created: string, replied: string | null) =>
    q(`INSERT INTO consultation (number, state, version, created_by_id, created_at, customer_id, channel, question, first_replied_at) VALUES ($1, 'ANSWERED', 2, $2, $3, $4, 'PHONE', 'how?', $5)`, [
      `CN-T-${++n}`,
      agent,
      sh(created),
      cust[customer],
      replied ? sh(replied) : null,
    ]);
  await consultation('ACME', '2025-03-03T10:00:00', '2025-03-03T10:30:00'); // 0.5 h
  await consultation('HUAXIA', '2025-03-07T10:00:00', '2025-03-07T12:00:00'); // 2 h
  await consultation('ACME', '2025-03-29T10:00:00', null); // not answered

  const deadline = (type: string, doc: string, kind: string, due: string, met: string, by: string) =>
    q(`INSERT INTO deadline (document_type, document_id, kind, opened_at, opened_by_event, due_at, met_at, met_by_event) VALUES ($1, $2, $3, $4, 'X', $5, $6, $7)`, [
      type,
      ids[doc],
      kind,
      sh('2025-03-01T00:00:00'),
      sh(due),
      sh(met),
      by,
    ]);
  await deadline('ServiceRequest', 'R1', 'REQUEST_REVIEW', '2025-03-04T10:00:00', '2025-03-03T12:00:00', 'ServiceRequest.ACCEPT'); // on time
  await deadline('ServiceRequest', 'R2', 'REQUEST_REVIEW', '2025-03-11T09:00:00', '2025-03-11T15:00:00', 'ServiceRequest.ACCEPT'); // late
  await deadline('ServiceRequest', 'R5', 'REQUEST_REVIEW', '2025-03-03T00:00:00', '2025-03-02T00:00:00', 'ServiceRequest.CANCEL'); // not done: cancelled
  await deadline('ServiceTask', 'T1', 'TASK_APPROVAL', '2025-03-04T10:00:00', '2025-03-03T15:00:00', 'ServiceTask.APPROVE'); // on time
  await deadline('ServiceTask', 'T6', 'TASK_APPROVAL', '2025-03-16T10:00:00', '2025-03-15T15:00:00', 'ServiceTask.APPROVE'); // on time (SALES)
  await deadline('ServiceTask', 'T1', 'FIELD_ON_SITE', '2025-03-04T12:00:00', '2025-03-04T08:00:00', 'ServiceTask.START'); // on time
  await deadline('ServiceTask', 'T2', 'FIELD_FIRST_REPLY', '2025-03-11T12:00:00', '2025-03-11T13:00:00', 'ServiceTask.CONFIRM'); // late
  await deadline('ServiceTask', 'T3', 'FIELD_ON_SITE', '2025-03-20T10:00:00', '2025-03-20T10:00:00', 'ServiceTask.START'); // exactly at due: on time
  await deadline('ServiceTask', 'T6', 'FIELD_ON_SITE', '2025-03-15T20:00:00', '2025-03-15T22:00:00', 'ServiceTask.DISPUTE'); // not a response
  await deadline('ServiceAcceptance', 'A1', 'ACCEPTANCE_VERIFICATION', '2025-03-06T09:00:00', '2025-03-04T11:00:00', 'ServiceAcceptance.VERIFY'); // on time

  const record = async (tk: string, req: string, customer: string, kinds: string[]) => {
    const [row] = await q(
      `INSERT INTO service_record (number, state, version, created_by_id, task_id, request_id, department_id, customer_id, actual_start, actual_end, submitted_at)
       VALUES ($1, 'SUBMITTED', 3, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
      [`RC-T-${++n}`, user.TECHNICIAN, ids[tk], ids[req], dept.TECH, cust[customer], sh('2025-03-10T09:00:00'), sh('2025-03-10T12:00:00')],
    );
    for (const [i, kind] of kinds.entries()) await q(`INSERT INTO service_record_entry (record_id, seq, kind, author_id) VALUES ($1, $2, $3, $4)`, [row.id, i + 1, kind, user.TECHNICIAN]);
  };
  await record('T1', 'R1', 'ACME', ['PROGRESS', 'FEEDBACK']); // complete
  await record('T2', 'R2', 'HUAXIA', ['PROGRESS']); // no customer feedback
  await record('T3', 'R3', 'ACME', ['PROGRESS', 'FEEDBACK', 'PROBLEM']); // a problem without its solution
}

beforeAll(async () => {
  t = await startTestApi();
  await buildDataset();
}, 120_000);
afterAll(() => t.close());

test('every §8 figure for March, computed by hand, in the company time zone', async () => {
  const s = await stats('EXECUTIVE', MARCH, 'WEEK');
  expect(s.period).toEqual({ from: '2025-02-28T16:00:00.000Z', to: '2025-03-31T16:00:00.000Z', timezone: 'Asia/Shanghai' });
  // R1 R2 R3 R5 R6 (R5 at the first instant of March local, R4 at 00:30 on 1 April local is April's)
  expect(s.requests.received).toBe(5);
  // ISO weeks: W09 (24 Feb–2 Mar) R5; W10 R1; W11 R2 R6; W12 R3; W13 and W14 empty
  expect(s.requests.byPeriod.map((b: any) => [b.label, b.count])).toEqual([['2025-W09', 1], ['2025-W10', 1], ['2025-W11', 2], ['2025-W12', 1], ['2025-W13', 0], ['2025-W14', 0]]);
  expect(s.requests.byPeriod[0].start).toBe('2025-02-23T16:00:00.000Z'); // Monday 24 Feb, local midnight
  expect(s.requests.byCategory).toEqual([{ key: 'AFTER_SALES', count: 4 }, { key: 'PRE_SALES', count: 1 }]);
  expect(s.requests.byServiceType).toEqual([{ key: 'REPAIR', count: 4 }, { key: 'INSTALLATION', count: 1 }]);
  expect(s.requests.byChannel).toEqual([{ key: 'PHONE', count: 3 }, { key: 'EMAIL', count: 1 }, { key: 'ONLINE', count: 1 }]);
  expect(s.requests.byDepartment.map((d: any) => [d.key, d.count])).toEqual([[t.gid.department('TECH'), 4], [t.gid.department('SALES'), 1]]);

  // completed in March: R1 24 h, R2 60 h, R3 6 h (archived after completion), R6 24 h; R5 was cancelled
  expect(s.turnaround).toEqual({ completed: 4, unit: 'HOURS', averageHours: (24 + 60 + 6 + 24) / 4, minHours: 6, maxHours: 60, medianHours: 24, p90Hours: 24 + 0.7 * (60 - 24) });
  // consultations: 0.5 h and 2 h answered, one not; complaints received in March: K1 10 h, K4 4 h, K2 not yet
  expect(s.firstResponse.consultations).toEqual({ received: 3, responded: 2, averageHours: 1.25, maxHours: 2, medianHours: 1.25, p90Hours: expect.closeTo(0.5 + 0.9 * 1.5, 9) });
  expect(s.firstResponse.complaints).toEqual({ received: 3, responded: 2, averageHours: 7, maxHours: 10, medianHours: 7, p90Hours: expect.closeTo(4 + 0.9 * 6, 9) });
  // rounds decided: A1 A2a(failed) A2b(round 2) A3 A6; round 1: A1 A2a A3 A6, of which 3 passed
  expect(s.acceptance).toEqual({ decided: 5, passed: 4, failed: 1, firstRoundDecided: 4, firstRoundPassed: 3, firstPassRate: 0.75, rectificationRounds: 1 });
  // survey = return visits in March: R1 very satisfied, R2 dissatisfied, R6 satisfied; sign-offs: A1 A2b satisfied of A1 A2b A3 A6
  expect(s.satisfaction).toEqual({ responses: 3, satisfied: 2, rate: 2 / 3, acceptanceResponses: 4, acceptanceSatisfied: 2, acceptanceRate: 0.5 });
  // of the 4 completed services R2 had a failed acceptance (one rectification); R1 R2 R6 had a return visit
  expect(s.services).toEqual({ completed: 4, withFailedAcceptance: 1, errorRate: 0.25, acceptedFirstRound: 3, firstTimeSuccessRate: 0.75, rectificationRounds: 1, returnVisits: 3, returnVisitRate: 0.75 });
  // received K1 K2 K4, resolved K1 K4; service-fault resolutions in March K1 K4 over 4 completed services (K3 is February's and PRODUCT)
  expect(s.complaints).toEqual({ received: 3, resolved: 2, resolutionRate: 2 / 3, serviceFault: 2, complaintRate: 0.5 });
  // reviews: R1 on time, R2 late, A1 on time (R5's was cancelled, not done); approvals T1 T6 on time
  expect(s.onTime.reviews).toEqual({ done: 3, onTime: 2, rate: 2 / 3 });
  expect(s.onTime.approvals).toEqual({ done: 2, onTime: 2, rate: 1 });
  expect(s.onTime.byKind.find((k: any) => k.kind === 'RETURN_VISIT')).toEqual({ kind: 'RETURN_VISIT', done: 0, onTime: 0, rate: null });
  // field responses: T1 on time, T2 late, T3 exactly at due (on time); T6's dispute is no response
  expect(s.timeliness).toEqual({ responses: 3, withinDeadline: 2, rate: 2 / 3 });
  expect(s.records).toEqual({ records: 3, complete: 1, completenessRate: 1 / 3 });
  expect(s.targets).toEqual({
    timeliness: { target: 0.9, actual: 2 / 3, met: false },
    satisfaction: { target: 0.85, actual: 2 / 3, met: false },
    complaintRate: { target: 0.03, actual: 0.5, met: false },
  });
});

test('an empty period: counts 0, rates and durations null, every bucket 0', async () => {
  const s = await stats('EXECUTIVE', { from: sh('2024-01-01T00:00:00'), to: sh('2024-04-01T00:00:00') });
  expect(s.requests.received).toBe(0);
  expect(s.requests.byPeriod).toEqual([
    { label: '2024-01', start: '2023-12-31T16:00:00.000Z', count: 0 },
    { label: '2024-02', start: '2024-01-31T16:00:00.000Z', count: 0 },
    { label: '2024-03', start: '2024-02-29T16:00:00.000Z', count: 0 },
  ]);
  expect(s.requests.byCategory).toEqual([]);
  expect(s.turnaround).toEqual({ completed: 0, unit: 'HOURS', averageHours: null, minHours: null, maxHours: null, medianHours: null, p90Hours: null });
  expect(s.acceptance.firstPassRate).toBeNull();
  expect(s.satisfaction.rate).toBeNull();
  expect(s.services).toMatchObject({ completed: 0, errorRate: null, firstTimeSuccessRate: null, returnVisitRate: null });
  expect(s.complaints).toEqual({ received: 0, resolved: 0, resolutionRate: null, serviceFault: 0, complaintRate: null });
  expect(s.timeliness).toEqual({ responses: 0, withinDeadline: 0, rate: null });
  expect(s.records.completenessRate).toBeNull();
  expect(s.targets).toEqual({ timeliness: { target: 0.9, actual: null, met: null }, satisfaction: { target: 0.85, actual: null, met: null }, complaintRate: { target: 0.03, actual: null, met: null } });
});

test('the period boundary: a request at 00:30 on 1 April in Shanghai is April\'s, though still 31 March in UTC', async () => {
  const april = await stats('EXECUTIVE', APRIL, 'MONTH');
  expect(april.requests.received).toBe(1);
  expect(april.requests.byPeriod).toEqual([{ label: '2025-04', start: '2025-03-31T16:00:00.000Z', count: 1 }]);
  const quarter = await stats('EXECUTIVE', { from: sh('2025-01-01T00:00:00'), to: sh('2025-07-01T00:00:00') }, 'QUARTER');
  expect(quarter.requests.byPeriod.map((b: any) => [b.label, b.count])).toEqual([['2025-Q1', 5], ['2025-Q2', 1]]);
  const half = await stats('EXECUTIVE', { from: sh('2025-01-01T00:00:00'), to: sh('2026-01-01T00:00:00') }, 'HALF_YEAR');
  expect(half.requests.byPeriod.map((b: any) => [b.label, b.count])).toEqual([['2025-H1', 6], ['2025-H2', 0]]);
});

test('filters: department, service type, customer, technician', async () => {
  expect((await stats('EXECUTIVE', { ...MARCH, departmentId: t.gid.department('SALES') })).requests.received).toBe(1);
  const repair = await stats('EXECUTIVE', { ...MARCH, serviceType: 'REPAIR' });
  expect(repair.requests.received).toBe(4);
  expect(repair.services.completed).toBe(3); // R1 R3 R6
  expect(repair.complaints.received).toBe(0); // no complaint names a request
  expect(repair.firstResponse.consultations).toBeNull(); // a consultation has no service type
  const acme = await stats('EXECUTIVE', { ...MARCH, customerIds: [t.gid.customer('ACME')] });
  expect(acme.requests.received).toBe(3); // R1 R3 R5
  expect(acme.turnaround.completed).toBe(2);
  const tech = await stats('EXECUTIVE', { ...MARCH, technicianId: t.gid.user('TECHNICIAN') });
  expect(tech.requests.received).toBe(2); // R1 R2
  expect(tech.timeliness).toEqual({ responses: 2, withinDeadline: 1, rate: 0.5 });
  const bad = await t.gql('EXECUTIVE', `query($f: StatisticsFilter) { statistics(filter: $f) { requests { received } } }`, { f: { ...MARCH, departmentId: t.gid.customer('ACME') } });
  expect(bad.errors?.[0].extensions?.code).toBe('VALIDATION');
});

test('scopes: a supervisor sees their department, another department\'s supervisor none of it, a customer its own organisation\'s service figures', async () => {
  // customer service's supervisor: nothing of this dataset is routed to CS
  const cs = await stats('SUPERVISOR_CS', MARCH);
  expect(cs.requests.received).toBe(0);
  expect(cs.turnaround.completed).toBe(0);
  expect(cs.acceptance.decided).toBe(0);
  expect(cs.complaints.received).toBe(0);
  expect(cs.timeliness.responses).toBe(0);
  expect(cs.onTime.reviews.done + cs.onTime.approvals.done).toBe(0);
  expect(cs.records.records).toBe(0);
  expect(cs.firstResponse.consultations).toBeNull(); // no department owns a consultation

  const sales = await stats('SUPERVISOR_SALES', MARCH);
  expect(sales.requests.received).toBe(1); // R6
  expect(sales.services).toMatchObject({ completed: 1, withFailedAcceptance: 0, returnVisits: 1 });
  expect(sales.complaints).toEqual({ received: 1, resolved: 1, resolutionRate: 1, serviceFault: 1, complaintRate: 1 }); // K4 over R6
  expect(sales.onTime.approvals).toEqual({ done: 1, onTime: 1, rate: 1 });
  expect(sales.timeliness.responses).toBe(0);

  const techSupervisor = await stats('SUPERVISOR_TECH', MARCH);
  expect(techSupervisor.requests.received).toBe(4);
  expect(techSupervisor.turnaround.completed).toBe(3);

  // Huaxia: R2 and R6, its complaint K2 and consultation; never responsibility, approvals, records
  const huaxia = await stats('CUSTOMER_HUAXIA', { ...MARCH, customerIds: [t.gid.customer('ACME')] });
  expect(huaxia.requests.received).toBe(0); // asking for Acme gives nothing of Acme's
  const own = await stats('CUSTOMER_HUAXIA', MARCH);
  expect(own.requests.received).toBe(2);
  expect(own.turnaround).toMatchObject({ completed: 2, averageHours: 42 });
  expect(own.acceptance).toMatchObject({ decided: 3, failed: 1 });
  expect(own.complaints).toEqual({ received: 1, resolved: 0, resolutionRate: 0, serviceFault: null, complaintRate: null });
  expect(own.firstResponse.consultations.received).toBe(1);
  expect(own.onTime.reviews).toBeNull();
  expect(own.onTime.approvals).toBeNull();
  expect(own.onTime.byKind.map((k: any) => k.kind)).not.toContain('TASK_APPROVAL');
  expect(own.records).toBeNull();
  expect(own.targets.complaintRate).toBeNull();
  expect(own.timeliness).toEqual({ responses: 1, withinDeadline: 0, rate: 0 }); // T2 late

  // a technician: their own work; complaints and consultations are not theirs to read
  const technician = await stats('TECHNICIAN', MARCH);
  expect(technician.requests.received).toBe(2);
  expect(technician.complaints).toBeNull();
  expect(technician.firstResponse.consultations).toBeNull();

  for (const who of ['ARCHIVIST', 'ADMIN', 'STOREKEEPER']) {
    const res = await t.gql(who, `{ statistics { requests { received } } }`);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }
});

test('one service through the real mutations shows in the figures', async () => {
  const from = new Date(Date.now() - 60_000).toISOString();
  const sr = await acceptedRequest(t, 'CUSTOMER_ACME');
  const task = await inProgressTask(t, sr.id);
  await submittedRecord(t, task.id);
  await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
  const acceptance = await latestAcceptance(t, task.id);
  await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acceptance.id, ...PASS });
  await ok(t, 'AGENT', 'verifyServiceAcceptance', { id: acceptance.id });
  const to = new Date(Date.now() + 60_000).toISOString();
  const s = await stats('AGENT', { from, to });
  expect(s.requests.received).toBe(1);
  expect(s.services).toMatchObject({ completed: 1, withFailedAcceptance: 0, firstTimeSuccessRate: 1, returnVisits: 0, returnVisitRate: 0 });
  expect(s.acceptance).toMatchObject({ decided: 1, passed: 1, firstPassRate: 1 });
  expect(s.satisfaction).toMatchObject({ acceptanceResponses: 1, acceptanceSatisfied: 1, acceptanceRate: 1 });
  // the engine's deadlines: the review (accepted at once), the approval and the field response were all met in time
  expect(s.onTime.reviews.done).toBeGreaterThanOrEqual(2);
  expect(s.onTime.approvals).toEqual({ done: 1, onTime: 1, rate: 1 });
  expect(s.timeliness).toEqual({ responses: 1, withinDeadline: 1, rate: 1 });
  expect(s.records).toEqual({ records: 1, complete: 0, completenessRate: 0 }); // a progress entry, no customer feedback
  // Huaxia's portal user sees none of it
  expect((await stats('CUSTOMER_HUAXIA', { from, to })).requests.received).toBe(0);
});

const RATE = `mutation($input: RateTechnicianInput!) { rateTechnician(input: $input) { rating { month attitude ability ratedByName } userErrors { code field } } }`;
const CARDS = `query($month: String, $quarter: String) { technicianScorecards(month: $month, quarter: $quarter) {
  technicianName period fieldResponses fieldResponsesOnTime timelinessRate satisfactionResponses satisfied satisfactionRate tasksCompleted tasksFirstTime firstTimeSuccessRate
  workResults attitude ability monthsRated score grade } }`;

test('the technician scorecard: monthly ratings by the department\'s supervisor, work results from the figures, rounded and graded', async () => {
  const rate = (who: string, input: Record<string, unknown>) => t.gql(who, RATE, { input: { technicianId: t.gid.user('TECHNICIAN'), ...input } });
  const rated = await rate('SUPERVISOR_TECH', { month: '2025-03', attitude: 4, ability: 5 });
  expect(rated.data.rateTechnician).toEqual({ rating: { month: '2025-03', attitude: 4, ability: 5, ratedByName: 'Wang Qiang (技術支持部主管)' }, userErrors: [] });
  expect((await rate('SUPERVISOR_TECH_2', { month: '2025-03', attitude: 1, ability: 1 })).data.rateTechnician.userErrors).toEqual([{ code: 'VALIDATION', field: 'month' }]); // one per month, final
  expect((await rate('SUPERVISOR_SALES', { month: '2025-02', attitude: 3, ability: 3 })).data.rateTechnician.userErrors).toEqual([{ code: 'FORBIDDEN', field: 'technicianId' }]);
  expect((await rate('AGENT', { month: '2025-02', attitude: 3, ability: 3 })).data.rateTechnician.userErrors[0].code).toBe('FORBIDDEN');
  expect((await rate('SUPERVISOR_TECH', { month: '2999-01', attitude: 3, ability: 3 })).data.rateTechnician.userErrors).toEqual([{ code: 'VALIDATION', field: 'month' }]);
  expect((await rate('SUPERVISOR_TECH', { month: '2025-02', attitude: 6, ability: 3 })).data.rateTechnician.userErrors).toEqual([{ code: 'VALIDATION', field: 'attitude' }]);
  expect((await rate('SUPERVISOR_TECH', { month: '2025-01', attitude: 2, ability: 3 })).data.rateTechnician.userErrors).toEqual([]);
  // the app may not rewrite a rating
  await expect(t.dataSource.query(`UPDATE technician_rating SET attitude = 5`)).rejects.toThrow(/permission denied/);

  // March for TECHNICIAN: field responses T1 on time, T2 late (0.5); sign-offs A1, A2b satisfied (1.0); tasks T1 first time, T2 not (0.5)
  // work = 5 × (0.5 + 1 + 0.5) / 3 = 3.333…; score = 0.6 × 3.333… + 0.2 × 4 + 0.2 × 5 = 3.8 → C
  const march = (await t.gql('SUPERVISOR_TECH', CARDS, { month: '2025-03' })).data.technicianScorecards;
  const card = march.find((c: any) => c.technicianName.startsWith('Zhang Wei'));
  expect(card).toMatchObject({ period: '2025-03', fieldResponses: 2, fieldResponsesOnTime: 1, timelinessRate: 0.5, satisfactionResponses: 2, satisfied: 2, satisfactionRate: 1, tasksCompleted: 2, tasksFirstTime: 1, firstTimeSuccessRate: 0.5, attitude: 4, ability: 5, monthsRated: 1, score: 3.8, grade: 'C' });
  expect(card.workResults).toBeCloseTo(10 / 3, 9);
  // not rated yet: no score
  expect(march.find((c: any) => c.technicianName.startsWith('Huang Lei'))).toMatchObject({ attitude: null, score: null, grade: null });
  // the quarter: figures over Q1 (only March has work), ratings averaged over January and March: attitude 3, ability 4 → 2.0 + 0.6 + 0.8 = 3.4
  const q1 = (await t.gql('EXECUTIVE', CARDS, { quarter: '2025-Q1' })).data.technicianScorecards.find((c: any) => c.technicianName.startsWith('Zhang Wei'));
  expect(q1).toMatchObject({ period: '2025-Q1', attitude: 3, ability: 4, monthsRated: 2, score: 3.4, grade: 'C' });
  // scopes: a technician sees only their own card, another department's supervisor none, a customer is refused
  expect((await t.gql('TECHNICIAN', CARDS, { month: '2025-03' })).data.technicianScorecards.map((c: any) => c.technicianName)).toEqual(['Zhang Wei (服務人員)']);
  expect((await t.gql('SUPERVISOR_SALES', CARDS, { month: '2025-03' })).data.technicianScorecards).toEqual([]);
  expect((await t.gql('CUSTOMER_ACME', CARDS, { month: '2025-03' })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('grades on the rounded score: 4.95 → 5.0 A, 4.94 → 4.9 B, 3.0 C, 2.96 → 3.0 C, 2.94 → 2.9 D', () => {
  const graded = (x: number) => [roundScore(x), gradeOf(roundScore(x))];
  expect(graded(4.95)).toEqual([5, 'A']);
  expect(graded(4.94)).toEqual([4.9, 'B']);
  expect(graded(4.0)).toEqual([4, 'B']);
  expect(graded(3.0)).toEqual([3, 'C']);
  expect(graded(2.96)).toEqual([3, 'C']);
  expect(graded(2.94)).toEqual([2.9, 'D']);
  expect(graded(0.6 * 5 + 0.2 * 4.75 + 0.2 * 5)).toEqual([5, 'A']); // 4.95 reached by weighting, not typed in
});
