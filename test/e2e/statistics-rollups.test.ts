/**
 * The daily roll-ups (migration KpiRollups, src/statistics/rollups.ts) against the rows: on a generated dataset whose
 * instants crowd local and UTC midnights, every figure computed with the roll-ups equals the figure computed from the
 * rows alone — for periods with and without whole days, odd edges, every bucket, the filters the roll-ups serve and
 * those they do not, another time zone — before and after the rows change (through the triggers' change rows), after
 * a compaction (two at once), and after a rebuild in another zone. Then that the server really reads them (a day
 * tampered with as the owner moves an executive's figure, not a supervisor's), and that the API cannot write them.
 */
import { computeFigures, PeriodBucket, type FigureFilter } from '../../src/statistics';
import { ensureRollupZone } from '../../src/statistics/rollups';
import { crontab, KPI_ROLLUP_TASK } from '../../src/jobs/runner';
import { loadConfig } from '../../src/config';
import { startTestApi, type TestApi } from '../support/api';

let t: TestApi;
const sh = (local: string) => new Date(`${local}+08:00`);

/** a deterministic "random" integer per row and salt */
const h = (salt: string) => `abs(hashtext(i::text || '${salt}'))`;
/** an instant near the local midnights of late February to May 2025: at midnight, a millisecond either side, or anywhere in the day */
const instant = (salt: string) =>
  `('2025-02-25T00:00:00+08:00'::timestamptz + (${h(salt + 'd')} % 80) * interval '1 day'
     + CASE ${h(salt + 't')} % 5 WHEN 0 THEN interval '0' WHEN 1 THEN interval '1 day' - interval '1 millisecond' WHEN 2 THEN interval '1 millisecond'
       WHEN 3 THEN interval '8 hours' ELSE (${h(salt + 's')} % 86400) * interval '1 second' END)`;

async function buildDataset() {
  const q = (sql: string, params: unknown[] = []) => t.owner.query(sql, params);
  const d = t.ids.departments;
  const c = t.ids.customers;
  const u = t.ids.users;
  await q(
    `INSERT INTO service_request (number, state, version, created_by_id, created_at, customer_id, channel, category, service_type, target_department_id, submitted_at)
     SELECT 'SR-RU-' || i, 'SUBMITTED', 1, $1, s.at, (ARRAY[$2, $3]::uuid[])[1 + ${h('c')} % 2], (ARRAY['PHONE', 'ONLINE', 'EMAIL'])[1 + ${h('ch')} % 3],
            (ARRAY['AFTER_SALES', 'PRE_SALES', 'IN_SALES'])[1 + ${h('ca')} % 3], (ARRAY['REPAIR', 'INSTALLATION', 'TRAINING'])[1 + ${h('st')} % 3],
            CASE WHEN ${h('de')} % 5 = 0 THEN NULL ELSE (ARRAY[$4, $5]::uuid[])[1 + ${h('de')} % 2] END, CASE WHEN ${h('n')} % 17 = 0 THEN NULL ELSE s.at END
       FROM (SELECT i, ${instant('r')} AS at FROM generate_series(1, 700) i) s`,
    [u.AGENT, c.ACME, c.HUAXIA, d.TECH, d.SALES],
  );
  await q(
    `INSERT INTO service_task (number, state, version, created_by_id, request_id, customer_id, department_id, assignee_id)
     SELECT 'ST-RU-' || r.number, 'COMPLETED', 1, $1, r.id, r.customer_id, coalesce(r.target_department_id, $2), $3
       FROM service_request r WHERE r.number LIKE 'SR-RU-%' AND substr(r.number, 7)::int <= 350`,
    [u.SUPERVISOR_TECH, d.TECH, u.TECHNICIAN],
  );
  // one or two rounds per task (525 in all), numbered in order
  await q(
    `INSERT INTO service_acceptance (number, state, version, created_by_id, task_id, request_id, customer_id, department_id, round, satisfaction, signed_at)
     SELECT 'AC-RU-' || i, (ARRAY['PASSED', 'VERIFIED', 'FAILED', 'PENDING_CUSTOMER', 'ARCHIVED'])[1 + ${h('as')} % 5], 1, $1, s.id, s.request_id, s.customer_id, s.department_id,
            s.round, (ARRAY['VERY_SATISFIED', 'SATISFIED', 'NEUTRAL', 'DISSATISFIED', NULL])[1 + ${h('sa')} % 5],
            CASE WHEN ${h('sn')} % 11 = 0 THEN NULL ELSE ${instant('a')} END
       FROM (SELECT row_number() OVER (ORDER BY t.number, rnd) AS i, t.id, t.request_id, t.customer_id, t.department_id, rnd AS round
               FROM service_task t CROSS JOIN LATERAL generate_series(1, 1 + substr(t.number, 13)::int % 2) rnd
              WHERE t.number LIKE 'ST-RU-%') s`,
    [u.AGENT],
  );
  // open deadlines only where the document is unique (one open deadline per document and kind)
  const open = `(x.type IN ('Complaint', 'Consultation') AND ${h('mn')} % 4 = 0)`;
  // deadlines of every counted type: on requests, tasks and acceptances (their copies filled by the trigger), and on
  // documents that do not exist (complaints, consultations: no copies)
  await q(
    `INSERT INTO deadline (document_type, document_id, kind, opened_at, opened_by_event, due_at, met_at, met_by_event)
     SELECT x.type, x.id, x.kind, '2025-02-01T00:00:00Z', 'X', s.at + (${h('du')} % 49 - 24) * interval '1 hour',
            CASE WHEN ${open} THEN NULL ELSE s.at END,
            CASE WHEN ${open} THEN NULL ELSE (ARRAY['ServiceRequest.ACCEPT', 'ServiceTask.CANCEL', 'ServiceTask.DISPUTE', 'ServiceTask.START', 'ServiceAcceptance.VERIFY', 'Complaint.RESOLVE'])[1 + ${h('by')} % 6] END
       FROM (SELECT i, ${instant('dl')} AS at FROM generate_series(1, 1500) i) s
       CROSS JOIN LATERAL (
         SELECT * FROM (
           SELECT 'ServiceRequest' AS type, (SELECT id FROM service_request WHERE number = 'SR-RU-' || (1 + ${h('dr')} % 700)) AS id, 'REQUEST_REVIEW' AS kind WHERE ${h('ty')} % 5 = 0
           UNION ALL SELECT 'ServiceTask', (SELECT id FROM service_task WHERE number = 'ST-RU-SR-RU-' || (1 + ${h('dt')} % 350)), (ARRAY['TASK_APPROVAL', 'FIELD_ON_SITE', 'FIELD_FIRST_REPLY'])[1 + ${h('dk')} % 3] WHERE ${h('ty')} % 5 = 1
           UNION ALL SELECT 'ServiceAcceptance', (SELECT id FROM service_acceptance WHERE number = 'AC-RU-' || (1 + ${h('da')} % 500)), 'ACCEPTANCE_VERIFICATION' WHERE ${h('ty')} % 5 = 2
           UNION ALL SELECT 'Complaint', gen_random_uuid(), 'COMPLAINT_RESOLUTION' WHERE ${h('ty')} % 5 = 3
           UNION ALL SELECT 'Consultation', gen_random_uuid(), 'CONSULTATION_REPLY' WHERE ${h('ty')} % 5 = 4) k) x`,
  );
}

/** the periods compared: whole months and quarters, odd edges, no whole day, one day, UTC midnights */
const PERIODS: Array<[string, FigureFilter]> = [
  ['March (local)', { from: sh('2025-03-01T00:00:00'), to: sh('2025-04-01T00:00:00') }],
  ['a quarter', { from: sh('2025-03-01T00:00:00'), to: sh('2025-06-01T00:00:00') }],
  ['odd edges', { from: sh('2025-03-03T13:17:05.123'), to: sh('2025-04-20T02:00:00') }],
  ['one millisecond past midnight to one before', { from: sh('2025-03-05T00:00:00.001'), to: sh('2025-03-09T23:59:59.999') }],
  ['within one day', { from: sh('2025-03-05T01:00:00'), to: sh('2025-03-05T23:00:00') }],
  ['across one midnight, no whole day', { from: sh('2025-03-05T20:00:00'), to: sh('2025-03-06T04:00:00') }],
  ['exactly one local day', { from: sh('2025-03-06T00:00:00'), to: sh('2025-03-07T00:00:00') }],
  ['UTC midnights', { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-04-15T00:00:00Z') }],
];
const BUCKETS = [PeriodBucket.DAY, PeriodBucket.WEEK, PeriodBucket.MONTH, PeriodBucket.QUARTER];

async function compare(label: string, timezone = 'Asia/Shanghai') {
  const m = t.dataSource.manager;
  const filters = (f: FigureFilter): Array<[string, FigureFilter]> => [
    ['everything', f],
    ['a department', { ...f, departmentId: t.ids.departments.TECH }],
    ['a service type', { ...f, serviceType: 'REPAIR' }],
    ['both', { ...f, departmentId: t.ids.departments.SALES, serviceType: 'INSTALLATION' }],
    ['a customer (rows only)', { ...f, customerIds: [t.ids.customers.ACME] }],
  ];
  let compared = 0;
  for (const [period, base] of PERIODS) {
    for (const [name, f] of filters(base)) {
      for (const bucket of name === 'everything' ? BUCKETS : [PeriodBucket.MONTH]) {
        const rows = await computeFigures(m, 'system', f, { bucket, timezone, rollups: false });
        const rolled = await computeFigures(m, 'system', f, { bucket, timezone });
        try {
          expect(rolled).toEqual(rows);
        } catch (error) {
          throw new Error(`${label}: ${period}, ${name}, ${bucket} (${timezone}): ${(error as Error).message}`);
        }
        compared++;
      }
    }
  }
  return compared;
}

/** the figures the roll-ups carry, for a quick look that the dataset is not trivially empty */
async function march() {
  return computeFigures(t.dataSource.manager, 'system', PERIODS[0][1], { timezone: 'Asia/Shanghai' }) as Promise<any>;
}

beforeAll(async () => {
  t = await startTestApi();
  await buildDataset();
}, 120_000);
afterAll(() => t.close());

test('the dataset exercises every roll-up: March has requests, decided rounds and deadlines met', async () => {
  const f = await march();
  expect(f.requests.received).toBeGreaterThan(100);
  expect(f.acceptance.decided).toBeGreaterThan(50);
  expect(f.onTime.byKind.reduce((n: number, k: any) => n + k.done, 0)).toBeGreaterThan(100);
  // the migration's rebuild ran before the rows existed: everything so far is in the change rows
  const [{ n }] = await t.owner.query(`SELECT (SELECT count(*) FROM kpi_request_change) + (SELECT count(*) FROM kpi_acceptance_change) + (SELECT count(*) FROM kpi_deadline_change) AS n`);
  expect(Number(n)).toBeGreaterThan(1000);
});

test('as inserted: the roll-ups answer what the rows answer, period by period', async () => {
  expect(await compare('inserted')).toBe(PERIODS.length * (BUCKETS.length + 4));
}, 120_000);

test('compacted: the change rows move into the days, two compactions at once count each change once', async () => {
  // the job runner compacts every minute by default (KPI_ROLLUP_CRON)
  const config = loadConfig({ NODE_ENV: 'test' });
  expect(crontab(config.jobs, config.deadlines).split('\n')).toContain(`* * * * * ${KPI_ROLLUP_TASK} ?jobKey=${KPI_ROLLUP_TASK}`);
  await Promise.all([t.dataSource.query(`SELECT kpi_rollup_compact()`), t.dataSource.query(`SELECT kpi_rollup_compact()`)]);
  const [left] = await t.owner.query(`SELECT (SELECT count(*) FROM kpi_request_change) + (SELECT count(*) FROM kpi_acceptance_change) + (SELECT count(*) FROM kpi_deadline_change) AS n`);
  expect(Number(left.n)).toBe(0);
  const [days] = await t.owner.query(`SELECT (SELECT count(*) FROM kpi_request_day) AS requests, (SELECT count(*) FROM kpi_deadline_day) AS deadlines, (SELECT count(*) FROM kpi_acceptance_day) AS acceptance`);
  expect(Number(days.requests)).toBeGreaterThan(0);
  expect(Number(days.deadlines)).toBeGreaterThan(0);
  expect(Number(days.acceptance)).toBeGreaterThan(0);
  await compare('compacted');
}, 120_000);

test('rows that change after compaction — moved across midnight, re-categorised, re-decided, deleted — stay exact, compacted or not', async () => {
  const q = (sql: string) => t.owner.query(sql);
  // requests: a day later (across a midnight), another category, withdrawn from submission, and a service type that
  // reaches the deadlines' copies through the DeadlineScopeCopies trigger
  await q(`UPDATE service_request SET submitted_at = submitted_at + interval '1 day' WHERE number LIKE 'SR-RU-%' AND substr(number, 7)::int % 7 = 0`);
  await q(`UPDATE service_request SET category = 'PRE_SALES', target_department_id = NULL WHERE number LIKE 'SR-RU-%' AND substr(number, 7)::int % 11 = 0`);
  await q(`UPDATE service_request SET submitted_at = NULL WHERE number LIKE 'SR-RU-%' AND substr(number, 7)::int % 13 = 0`);
  await q(`UPDATE service_request SET service_type = 'TRAINING' WHERE number LIKE 'SR-RU-%' AND substr(number, 7)::int % 5 = 0`);
  // acceptance rounds: a failed one archived (no longer decided), a pending one passed, another department
  await q(`UPDATE service_acceptance SET state = 'ARCHIVED' WHERE number LIKE 'AC-RU-%' AND state = 'FAILED' AND substr(number, 7)::int % 2 = 0`);
  await q(`UPDATE service_acceptance SET state = 'PASSED', signed_at = coalesce(signed_at, '2025-03-20T16:00:00Z') WHERE number LIKE 'AC-RU-%' AND state = 'PENDING_CUSTOMER'`);
  await q(`UPDATE service_task SET department_id = $$${t.ids.departments.SALES}$$ WHERE number LIKE 'ST-RU-%' AND substr(number, 13)::int % 3 = 0`);
  await q(`UPDATE service_acceptance a SET department_id = t.department_id FROM service_task t WHERE t.id = a.task_id AND a.department_id IS DISTINCT FROM t.department_id`);
  // deadlines: met later (an hour past due, across midnight), met by a cancellation instead, reopened, deleted
  await q(`UPDATE deadline SET met_at = met_at + interval '20 hours' WHERE met_at IS NOT NULL AND id % 6 = 0`);
  await q(`UPDATE deadline SET met_by_event = 'ServiceRequest.CANCEL' WHERE met_at IS NOT NULL AND id % 10 = 1`);
  await q(`UPDATE deadline SET met_at = NULL, met_by_event = NULL WHERE met_at IS NOT NULL AND id % 23 = 0 AND document_type IN ('Complaint', 'Consultation')`);
  await q(`DELETE FROM deadline WHERE id % 29 = 0`);
  await compare('changed, not compacted');
  await t.dataSource.query(`SELECT kpi_rollup_compact()`);
  await compare('changed, compacted');
}, 240_000);

test('another zone: rows alone until the roll-ups are rebuilt in it, then the roll-ups again; back to the business zone', async () => {
  // roll-ups cut in Shanghai say nothing of UTC days: the statement reads the rows
  await compare('UTC before the rebuild', 'UTC');
  // what start-up does when BUSINESS_TIMEZONE changed: rebuilt once, then left alone
  expect(await ensureRollupZone(t.owner, 'UTC')).toEqual({ rebuilt: true, from: 'Asia/Shanghai' });
  expect(await ensureRollupZone(t.owner, 'UTC')).toEqual({ rebuilt: false });
  await compare('UTC after the rebuild', 'UTC');
  await compare('Shanghai while cut in UTC');
  await expect(t.owner.query(`SELECT kpi_rollup_rebuild('Mars/Olympus_Mons')`)).rejects.toThrow(/time zone/);
  const [{ zone }] = await t.owner.query(`SELECT zone FROM kpi_rollup_zone`);
  expect(zone).toBe('UTC');
  await t.owner.query(`SELECT kpi_rollup_rebuild('Asia/Shanghai')`);
  await compare('Shanghai rebuilt');
}, 240_000);

test('the server reads the roll-ups where the scope is everything and the rows where it is not; the API cannot write a day', async () => {
  const QUERY = `query($filter: StatisticsFilter) { statistics(filter: $filter) { requests { received } } }`;
  const filter = { from: '2025-03-01T00:00:00+08:00', to: '2025-04-01T00:00:00+08:00' };
  const received = async (who: string) => {
    const res = await t.gql(who, QUERY, { filter });
    expect(res.errors).toBeUndefined();
    return res.data.statistics.requests.received as number;
  };
  const before = { executive: await received('EXECUTIVE'), agent: await received('AGENT'), supervisor: await received('SUPERVISOR_TECH') };
  // the owner adds a thousand to one TECH day of March: only the roll-up path can see it
  const [cell] = await t.owner.query(`SELECT day, category, service_type, channel FROM kpi_request_day WHERE day = '2025-03-10' AND target_department_id = $1 LIMIT 1`, [t.ids.departments.TECH]);
  expect(cell).toBeDefined();
  await t.owner.query(`UPDATE kpi_request_day SET n = n + 1000 WHERE day = $1 AND category = $2 AND service_type = $3 AND channel = $4 AND target_department_id = $5`, [
    cell.day,
    cell.category,
    cell.service_type,
    cell.channel,
    t.ids.departments.TECH,
  ]);
  try {
    expect(await received('EXECUTIVE')).toBe(before.executive + 1000);
    expect(await received('AGENT')).toBe(before.agent + 1000);
    // a supervisor's scope is their department's documents: the rows, untouched
    expect(await received('SUPERVISOR_TECH')).toBe(before.supervisor);
  } finally {
    await t.owner.query(`SELECT kpi_rollup_rebuild('Asia/Shanghai')`);
  }
  expect(await received('EXECUTIVE')).toBe(before.executive);
  // the API's login writes change rows only through the triggers; the days, the zone and the rebuild are not its
  await expect(t.dataSource.query(`UPDATE kpi_request_day SET n = 0`)).rejects.toThrow(/permission denied/);
  await expect(t.dataSource.query(`DELETE FROM kpi_deadline_change`)).rejects.toThrow(/permission denied/);
  await expect(t.dataSource.query(`UPDATE kpi_rollup_zone SET zone = 'UTC'`)).rejects.toThrow(/permission denied/);
  await expect(t.dataSource.query(`SELECT kpi_rollup_rebuild('UTC')`)).rejects.toThrow(/permission denied/);
});
