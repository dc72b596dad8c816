/**
 * Deadlines and escalation over HTTP, with a clock the test moves (never a sleep): a request not reviewed
 * in time is breached and escalated to customer service's supervisors, then to the executives; the field
 * response depends on the site's distance; meeting a deadline stops its escalation; the `overdue` filter;
 * two breach sweeps at once escalate each breach exactly once; the calendar edited by ADMIN, audited.
 */
import { createDataSource } from '../../src/db/data-source';
import { escalateBreaches } from '../../src/time/escalations';
import { crontab, DEADLINE_BREACH_TASK } from '../../src/jobs/runner';
import { loadConfig } from '../../src/config';
import { startTestApi, type TestApi } from '../support/api';
import { createRequest, send, submittedRequest } from '../support/documents';
import { ok, draftTask } from '../support/chain';
import { fromGlobalId } from '../../src/graphql/global-id';

const fromGid = (gid: string) => fromGlobalId(gid)!.id;

/** Shanghai local time → the instant */
const cst = (local: string) => new Date(`${local}+08:00`);

let now = cst('2026-11-23T09:00:00'); // a Monday
const clock = () => new Date(now);
const setNow = (local: string) => (now = cst(local));
const EXEC_HOURS = 24;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ clock });
});
afterAll(() => t.close());

const sweep = () => escalateBreaches(t.dataSource, clock(), EXEC_HOURS);

const DEADLINES = 'deadlines { kind dueAt metAt breached escalationLevel }';
async function deadlinesOf(type: 'serviceRequest' | 'serviceTask', id: string, who = 'AGENT') {
  const res = await t.gql(who, `query($id: ID!) { ${type}(id: $id) { version ${DEADLINES} } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data[type] as { version: number; deadlines: Array<{ kind: string; dueAt: string; metAt: string | null; breached: boolean; escalationLevel: string | null }> };
}

async function escalations(who: string) {
  const res = await t.gql(who, `{ escalations(first: 100) { totalCount nodes { id level kind documentType documentId dueAt raisedAt acknowledgedAt } } }`);
  expect(res.errors).toBeUndefined();
  return res.data.escalations as { totalCount: number; nodes: Array<{ id: string; level: string; kind: string; documentId: string; acknowledgedAt: string | null }> };
}

const mine = async (who: string, documentId: string) => (await escalations(who)).nodes.filter((e) => e.documentId === documentId);

async function overdueIds(who: string, overdue: boolean) {
  const res = await t.gql(who, `query($o: Boolean) { serviceRequests(first: 100, filter: { overdue: $o }) { nodes { id } } }`, { o: overdue });
  expect(res.errors).toBeUndefined();
  return res.data.serviceRequests.nodes.map((n: { id: string }) => n.id);
}

describe('a request not reviewed in time', () => {
  test('is overdue, breached and escalated to customer service’s supervisors, then to the executives; the history says so and the chain still verifies', async () => {
    setNow('2026-11-23T09:00:00');
    const sr = await submittedRequest(t);
    let d = await deadlinesOf('serviceRequest', sr.id);
    expect(d.deadlines).toEqual([{ kind: 'REQUEST_REVIEW', dueAt: cst('2026-11-24T09:00:00').toISOString(), metAt: null, breached: false, escalationLevel: null }]);
    expect(await overdueIds('AGENT', true)).not.toContain(sr.id);
    expect(await sweep()).toEqual({ supervisor: 0, executive: 0 });

    // a working day later and an hour: past due
    setNow('2026-11-24T10:00:00');
    expect(await overdueIds('AGENT', true)).toContain(sr.id);
    expect(await overdueIds('AGENT', false)).not.toContain(sr.id);
    expect(await mine('SUPERVISOR_CS', sr.id)).toEqual([]);
    expect((await sweep()).supervisor).toBeGreaterThanOrEqual(1);
    const toSupervisor = await mine('SUPERVISOR_CS', sr.id);
    expect(toSupervisor.map((e) => [e.level, e.kind])).toEqual([['SUPERVISOR', 'REQUEST_REVIEW']]);
    // addressed to customer service's supervisors only (not yet to executives, not to other departments)
    expect(await mine('SUPERVISOR_TECH', sr.id)).toEqual([]);
    expect(await mine('EXECUTIVE', sr.id)).toEqual([]);
    expect(await mine('AGENT', sr.id)).toEqual([]);
    d = await deadlinesOf('serviceRequest', sr.id);
    expect(d.deadlines[0]).toMatchObject({ breached: true, escalationLevel: 'SUPERVISOR', metAt: null });
    // the escalation changes nothing of the document: its version stays (expectedVersion keeps working)
    expect(d.version).toBe(sr.version);

    // once: a second sweep finds nothing new
    expect(await sweep()).toEqual({ supervisor: 0, executive: 0 });
    // not yet the executive period
    setNow('2026-11-25T09:59:00');
    expect(await sweep()).toEqual({ supervisor: 0, executive: 0 });
    setNow('2026-11-25T10:00:00');
    expect((await sweep()).executive).toBeGreaterThanOrEqual(1);
    const toExecutive = await mine('EXECUTIVE', sr.id);
    expect(toExecutive.map((e) => [e.level, e.kind])).toEqual([['EXECUTIVE', 'REQUEST_REVIEW']]);
    expect((await deadlinesOf('serviceRequest', sr.id)).deadlines[0].escalationLevel).toBe('EXECUTIVE');
    expect(await sweep()).toEqual({ supervisor: 0, executive: 0 });

    // in the history (staff), as ESCALATE from the current state to itself, by the system; not for the customer
    const history = async (who: string) =>
      (await t.gql(who, `query($id: ID!) { serviceRequest(id: $id) { history(first: 100) { nodes { event fromState toState version actor { name } reason } } } }`, { id: sr.id })).data.serviceRequest.history.nodes;
    const escalated = (await history('AGENT')).filter((e: { event: string }) => e.event === 'ESCALATE');
    expect(escalated).toHaveLength(2);
    expect(escalated[0]).toMatchObject({ fromState: 'SUBMITTED', toState: 'SUBMITTED', version: sr.version, actor: { name: 'system' } });
    expect((await history('CUSTOMER_ACME')).map((e: { event: string }) => e.event)).not.toContain('ESCALATE');
    const verified = await t.gql('AGENT', `query($id: ID!) { verifyAuditChain(documentId: $id) { valid eventCount brokenAtSeq } }`, { id: sr.id });
    expect(verified.data.verifyAuditChain).toEqual({ valid: true, eventCount: 4, brokenAtSeq: null });
    // and in the outbox, for subscriptions and webhooks
    const outbox = await t.owner.query(`SELECT from_state, to_state FROM outbox_event WHERE document_id = $1 AND event = 'ESCALATE'`, [fromGid(sr.id)]);
    expect(outbox).toEqual([
      { from_state: 'SUBMITTED', to_state: 'SUBMITTED' },
      { from_state: 'SUBMITTED', to_state: 'SUBMITTED' },
    ]);

    // a later event still works with the version the caller had, and the chain goes on
    const accepted = await send(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH'), expectedVersion: sr.version });
    expect(accepted.userErrors).toEqual([]);
    expect((await t.gql('AGENT', `query($id: ID!) { verifyAuditChain(documentId: $id) { valid eventCount } }`, { id: sr.id })).data.verifyAuditChain).toEqual({ valid: true, eventCount: 5 });

    // acknowledged by those addressed, once; anyone else is told it does not exist
    const ACK = `mutation($id: ID!) { acknowledgeEscalation(input: { id: $id }) { escalation { id acknowledgedAt } userErrors { code } } }`;
    expect((await t.gql('SUPERVISOR_TECH', ACK, { id: toExecutive[0].id })).data.acknowledgeEscalation.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const ack = await t.gql('EXECUTIVE', ACK, { id: toExecutive[0].id });
    expect(ack.data.acknowledgeEscalation.userErrors).toEqual([]);
    expect(ack.data.acknowledgeEscalation.escalation.acknowledgedAt).toBe(now.toISOString());
    expect((await t.gql('EXECUTIVE', ACK, { id: toExecutive[0].id })).data.acknowledgeEscalation.userErrors).toEqual([{ code: 'INVALID_TRANSITION' }]);
    const unacknowledged = await t.gql('EXECUTIVE', `{ escalations(filter: { acknowledged: false }) { nodes { id } } }`);
    expect(unacknowledged.data.escalations.nodes.map((n: { id: string }) => n.id)).not.toContain(toExecutive[0].id);
  });

  test('an urgent request: 4 working hours, counted within business hours (Friday 16:00 → Monday 11:00)', async () => {
    setNow('2026-11-27T16:00:00');
    const sr = await submittedRequest(t, 'CUSTOMER_ACME', { urgency: 'URGENT' });
    expect((await deadlinesOf('serviceRequest', sr.id)).deadlines.map((d) => [d.kind, d.dueAt])).toEqual([['REQUEST_REVIEW', cst('2026-11-30T11:00:00').toISOString()]]);
  });

  test('meeting a deadline stops its escalation', async () => {
    setNow('2026-12-01T09:00:00');
    const sr = await submittedRequest(t);
    setNow('2026-12-02T09:30:00');
    await sweep();
    expect((await mine('SUPERVISOR_CS', sr.id)).map((e) => e.level)).toEqual(['SUPERVISOR']);
    // reviewed late: met, still counted as breached
    await ok(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
    const review = (await deadlinesOf('serviceRequest', sr.id)).deadlines.find((d) => d.kind === 'REQUEST_REVIEW')!;
    expect(review).toMatchObject({ metAt: now.toISOString(), breached: true, escalationLevel: 'SUPERVISOR' });
    // far past the executive period: nothing more for the review (the task creation opened by ACCEPT is another deadline)
    setNow('2026-12-03T12:00:00');
    await sweep();
    expect((await mine('EXECUTIVE', sr.id)).filter((e) => e.kind === 'REQUEST_REVIEW')).toEqual([]);
    expect(await overdueIds('AGENT', true)).not.toContain(sr.id);
    // a task made in time meets the task-creation deadline; nothing of it is ever escalated
    await draftTask(t, sr.id);
    setNow('2026-12-20T12:00:00');
    await sweep();
    expect((await mine('SUPERVISOR_TECH', sr.id)).filter((e) => e.kind === 'TASK_CREATION')).toEqual([]);
    expect((await deadlinesOf('serviceRequest', sr.id)).deadlines.find((d) => d.kind === 'TASK_CREATION')).toMatchObject({ breached: false });
    expect((await deadlinesOf('serviceRequest', sr.id)).deadlines.find((d) => d.kind === 'TASK_CREATION')!.metAt).not.toBeNull();
  });
});

describe('field response by distance (seed 003 §3.2.2)', () => {
  test('a site within 100 km: on site within 24 h of the assignment; beyond: a first reply within 12 h', async () => {
    setNow('2026-12-07T10:00:00');
    const assigned = async (km: number) => {
      setNow('2026-12-07T10:00:00');
      const sr = await createRequest(t, 'CUSTOMER_ACME', { siteDistanceKm: km });
      await ok(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: sr.id });
      await ok(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
      const task = await draftTask(t, sr.id);
      await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: task.id });
      expect((await deadlinesOf('serviceTask', task.id)).deadlines.map((d) => [d.kind, d.dueAt, d.metAt])).toEqual([['TASK_APPROVAL', cst('2026-12-08T10:00:00').toISOString(), null]]);
      setNow('2026-12-07T11:00:00');
      await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id, comment: 'ok' });
      return task;
    };
    const near = await assigned(60);
    const far = await assigned(250);
    const field = async (id: string) => (await deadlinesOf('serviceTask', id)).deadlines.filter((d) => d.kind.startsWith('FIELD_')).map((d) => [d.kind, d.dueAt]);
    expect(await field(near.id)).toEqual([['FIELD_ON_SITE', cst('2026-12-08T11:00:00').toISOString()]]);
    expect(await field(far.id)).toEqual([['FIELD_FIRST_REPLY', cst('2026-12-07T23:00:00').toISOString()]]);
    // the approval met its own deadline
    expect((await deadlinesOf('serviceTask', near.id)).deadlines.find((d) => d.kind === 'TASK_APPROVAL')!.metAt).toBe(cst('2026-12-07T11:00:00').toISOString());
    // the assignee's recorded contact with the customer is the first reply (SPEC §3.10), not the internal confirmation;
    // being on site (START) meets the other (test/e2e/dispatch.test.ts has both in detail)
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: far.id });
    expect((await deadlinesOf('serviceTask', far.id)).deadlines.find((d) => d.kind === 'FIELD_FIRST_REPLY')!.metAt).toBeNull();
    await ok(t, 'TECHNICIAN', 'recordContactServiceTask', { id: far.id, channel: 'PHONE', agreedVisitAt: cst('2026-12-08T09:00:00').toISOString() });
    expect((await deadlinesOf('serviceTask', far.id)).deadlines.find((d) => d.kind === 'FIELD_FIRST_REPLY')!.metAt).toBe(cst('2026-12-07T11:00:00').toISOString());
    // the customer sees the field response, not the internal approval deadline
    const customer = (await deadlinesOf('serviceTask', near.id, 'CUSTOMER_ACME')).deadlines.map((d) => d.kind);
    expect(customer).toEqual(['FIELD_ON_SITE']);
  });
});

describe('exactly once', () => {
  test('two breach sweeps at once, on two connections, escalate each breach once', async () => {
    setNow('2026-12-14T09:00:00');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await submittedRequest(t)).id);
    setNow('2026-12-15T12:00:00');
    const other = createDataSource(t.appDatabaseUrl, { poolSize: 4 });
    await other.initialize();
    try {
      const [a, b] = await Promise.all([escalateBreaches(t.dataSource, clock(), EXEC_HOURS), escalateBreaches(other, clock(), EXEC_HOURS)]);
      const raised = a.supervisor + b.supervisor + a.executive + b.executive;
      // every deadline escalated once per level, with one ESCALATE in its document's history and one outbox row
      const perDeadline: Array<{ n: number }> = await t.owner.query(`SELECT count(*)::int AS n FROM escalation WHERE raised_at = $1 GROUP BY deadline_id, level`, [clock()]);
      expect(perDeadline.length).toBe(raised);
      expect(perDeadline.every((r) => r.n === 1)).toBe(true);
      const [{ audits }] = await t.owner.query(`SELECT count(*)::int AS audits FROM audit_event WHERE event = 'ESCALATE' AND at = $1`, [clock()]);
      expect(audits).toBe(raised);
      const [{ outbox }] = await t.owner.query(`SELECT count(*)::int AS outbox FROM outbox_event WHERE event = 'ESCALATE' AND at = $1`, [clock()]);
      expect(outbox).toBe(raised);
      // the six reviews among them, each once
      const reviews: Array<{ document_id: string }> = await t.owner.query(`SELECT document_id FROM escalation WHERE raised_at = $1 AND kind = 'REQUEST_REVIEW'`, [clock()]);
      const escalatedIds = reviews.map((r) => r.document_id);
      for (const id of ids) expect(escalatedIds.filter((x) => x === fromGid(id))).toHaveLength(1);
      // and a third sweep raises nothing
      expect(await escalateBreaches(other, clock(), EXEC_HOURS)).toEqual({ supervisor: 0, executive: 0 });
    } finally {
      await other.destroy();
    }
  });

  test('the breach sweep is on the job runner’s crontab', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(crontab(config.jobs, config.deadlines)).toContain(`* * * * * ${DEADLINE_BREACH_TASK} `);
  });
});

describe('the working-day calendar, edited by ADMIN', () => {
  const SET = `mutation($input: SetCalendarDayInput!) { setCalendarDay(input: $input) { calendarDay { date kind name } userErrors { code field } } }`;
  const CLEAR = `mutation($input: ClearCalendarDayInput!) { clearCalendarDay(input: $input) { calendarDay { date } userErrors { code } } }`;

  test('seeded from chinese-days: National Day 2026 and its make-up days', async () => {
    const res = await t.gql('AGENT', `{ calendarDays(from: "2026-09-19", to: "2026-10-11") { date kind name } }`);
    expect(res.data.calendarDays.map((d: { date: string; kind: string }) => `${d.date} ${d.kind}`)).toEqual([
      '2026-09-20 MAKEUP_WORKDAY',
      '2026-09-25 HOLIDAY',
      '2026-10-01 HOLIDAY',
      '2026-10-02 HOLIDAY',
      '2026-10-05 HOLIDAY',
      '2026-10-06 HOLIDAY',
      '2026-10-07 HOLIDAY',
      '2026-10-10 MAKEUP_WORKDAY',
    ]);
  });

  test('only an ADMIN changes it; each change is audited (who, when, before, after) and deadlines follow at once', async () => {
    expect((await t.gql('SUPERVISOR_CS', SET, { input: { date: '2026-12-22', kind: 'HOLIDAY' } })).data.setCalendarDay.userErrors).toEqual([{ code: 'FORBIDDEN', field: null }]);
    expect((await t.gql('ADMIN', SET, { input: { date: '2026-02-30', kind: 'HOLIDAY' } })).data.setCalendarDay.userErrors).toEqual([{ code: 'VALIDATION', field: 'date' }]);
    setNow('2026-12-21T09:00:00'); // Monday
    const set = await t.gql('ADMIN', SET, { input: { date: '2026-12-22', kind: 'HOLIDAY', name: 'company day' } });
    expect(set.data.setCalendarDay).toEqual({ calendarDay: { date: '2026-12-22', kind: 'HOLIDAY', name: 'company day' }, userErrors: [] });
    const sr = await submittedRequest(t);
    expect((await deadlinesOf('serviceRequest', sr.id)).deadlines[0].dueAt).toBe(cst('2026-12-23T09:00:00').toISOString());

    expect((await t.gql('ADMIN', CLEAR, { input: { date: '2026-12-22' } })).data.clearCalendarDay).toEqual({ calendarDay: null, userErrors: [] });
    const sr2 = await submittedRequest(t);
    expect((await deadlinesOf('serviceRequest', sr2.id)).deadlines[0].dueAt).toBe(cst('2026-12-22T09:00:00').toISOString());

    const changes = await t.owner.query(`SELECT actor_id, at, before, after FROM calendar_change WHERE date = '2026-12-22' ORDER BY id`);
    expect(changes).toEqual([
      { actor_id: t.ids.users.ADMIN, at: cst('2026-12-21T09:00:00'), before: null, after: { kind: 'HOLIDAY', name: 'company day' } },
      { actor_id: t.ids.users.ADMIN, at: cst('2026-12-21T09:00:00'), before: { kind: 'HOLIDAY', name: 'company day' }, after: null },
    ]);
    // the application may only append to that trail
    await expect(t.dataSource.query(`UPDATE calendar_change SET after = NULL`)).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query(`DELETE FROM calendar_change`)).rejects.toThrow(/permission denied/);
  });
});

describe('escalations are told as they happen', () => {
  test('the `escalations` subscription delivers a breach to those it is addressed to, and to nobody else', async () => {
    const { subscribe, until } = await import('../support/ws');
    const QUERY = `subscription { escalations { type id event toState } }`;
    const addressed = subscribe(t.url, t.tokens.SUPERVISOR_CS, QUERY);
    const other = subscribe(t.url, t.tokens.SUPERVISOR_TECH, QUERY);
    const customer = subscribe(t.url, t.tokens.CUSTOMER_ACME, QUERY);
    try {
      await until('three live subscriptions', () => t.api.liveSubscriptions() >= 3);
      setNow('2026-11-23T09:00:00');
      const sr = await submittedRequest(t);
      setNow('2026-11-24T10:00:00');
      await sweep();
      const [raised] = (await mine('SUPERVISOR_CS', sr.id)).filter((e) => e.level === 'SUPERVISOR');
      expect(raised).toBeDefined();
      await until('the escalation notice', () => addressed.received.some((r) => r.escalations.id === raised.id));
      expect(addressed.received.find((r) => r.escalations.id === raised.id).escalations).toEqual({ type: 'Escalation', id: raised.id, event: 'RAISE', toState: 'SUPERVISOR' });
      // a later request's notice is a barrier: the others would have had this one before it
      await ok(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
      expect(other.received.filter((r) => r.escalations.id === raised.id)).toEqual([]);
      expect(customer.received).toEqual([]);
    } finally {
      await Promise.all([addressed.dispose(), other.dispose(), customer.dispose()]);
    }
  });
});
