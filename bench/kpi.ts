/**
 * `npm run bench:kpi`: the KPI statements of src/statistics over 1,000,000 service requests, each timed and
 * EXPLAINed (the indexes it reads), for the audiences that matter: an executive (everything; a month and a year),
 * a supervisor (their department), a customer (its organisation), a technician (their work), a filtered query,
 * and the technician scorecards.
 *
 *  1. a fresh embedded PostgreSQL, migrated; the benchmark dataset of bench/seed.ts at BENCH_KPI_REQUESTS
 *     (1,000,000), then the KPI extras below, set-based: varied turnaround, return visits and satisfaction,
 *     failed first acceptance rounds, complaints, consultations, deadlines (met on time or late);
 *  2. VACUUM ANALYZE (as autovacuum would after a load), then every statement BENCH_KPI_RUNS (3) times with
 *     EXPLAIN (ANALYZE, BUFFERS): the median execution time (planning included) and the indexes in its plan;
 *  3. bench/results/kpi-<date>.json and .md. The target: every statement under one second.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, withDatabase } from '../src/db/embedded';
import { createDataSource } from '../src/db/data-source';
import { Role, UserKind, type Caller } from '../src/auth/roles';
import '../src/documents';
import { computeFigures, figureStatements, PeriodBucket, technicianScorecards, type FigureFilter } from '../src/statistics';
import { seedBenchData } from './seed';

const int = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const settings = { requests: int('KPI_REQUESTS', int('BENCH_KPI_REQUESTS', 1_000_000)), customers: int('BENCH_CUSTOMERS', 200), departments: 10, runs: int('BENCH_KPI_RUNS', 3), pgPort: int('BENCH_PG_PORT', 54392) };
const ROOT = path.resolve(__dirname, '..');
const TZ = 'Asia/Shanghai';
const log = (m: string) => console.log(`[bench:kpi ${new Date().toISOString().slice(11, 19)}] ${m}`);

/** The KPI extras, on top of bench/seed.ts: realistic spreads of what the figures read. */
const EXTRAS: Array<[string, string]> = [
  [
    'turnaround and return visits',
    // completed services take 2 h … 20 days; 70 % get a return visit, mostly satisfied
    `UPDATE service_request SET closed_at = submitted_at + make_interval(secs => (7200 + random() * 20 * 86400)::int),
        return_visit_at = CASE WHEN random() < 0.7 THEN submitted_at + interval '21 days' END,
        return_visit_satisfaction = (ARRAY['VERY_SATISFIED','VERY_SATISFIED','VERY_SATISFIED','SATISFIED','SATISFIED','SATISFIED','SATISFIED','NEUTRAL','DISSATISFIED','VERY_DISSATISFIED'])[1 + (random() * 9)::int]
      WHERE state IN ('COMPLETED', 'ARCHIVED')`,
  ],
  ['return visits without an answer', `UPDATE service_request SET return_visit_satisfaction = NULL WHERE return_visit_at IS NULL AND return_visit_satisfaction IS NOT NULL`],
  [
    'acceptance satisfaction',
    `UPDATE service_acceptance SET satisfaction = (ARRAY['VERY_SATISFIED','VERY_SATISFIED','SATISFIED','SATISFIED','SATISFIED','SATISFIED','NEUTRAL','NEUTRAL','DISSATISFIED','VERY_DISSATISFIED'])[1 + (random() * 9)::int]`,
  ],
  [
    'failed first rounds (8 %)',
    `WITH f AS (UPDATE service_acceptance SET round = 2 WHERE random() < 0.08 RETURNING *)
     INSERT INTO service_acceptance (number, state, version, created_by_id, created_at, updated_at, task_id, request_id, customer_id, department_id, round, issues, signed_at)
     SELECT 'AC-F-' || substr(f.number, 6), 'FAILED', 2, f.created_by_id, f.created_at - interval '2 days', f.created_at - interval '1 day', f.task_id, f.request_id, f.customer_id, f.department_id, 1, 'leaks', f.signed_at - interval '2 days' FROM f`,
  ],
  [
    'complaints (3 % of requests)',
    `INSERT INTO complaint (number, state, version, created_by_id, created_at, updated_at, customer_id, channel, subject, description, request_id, department_id, category, severity,
        responsibility, resolved_at, first_response_at, closed_at)
     SELECT 'CP-B-' || lpad(row_number() OVER ()::text, 8, '0'), s.state, 5, r.created_by_id, r.created_at + interval '2 days', r.created_at + interval '3 days', r.customer_id, 'PHONE', 'Complaint',
            'The repair did not hold.', r.id, r.target_department_id, 'AFTER_SALES', 'MEDIUM',
            CASE WHEN s.resolved THEN (ARRAY['SERVICE_FAULT','PRODUCT','PRODUCT','CUSTOMER','NONE'])[1 + (random() * 4)::int] END,
            CASE WHEN s.resolved THEN r.created_at + make_interval(days => 3 + (random() * 5)::int) END,
            CASE WHEN s.resolved THEN r.created_at + make_interval(days => 2, hours => 1 + (random() * 30)::int) END,
            CASE WHEN s.state = 'CLOSED' THEN r.created_at + interval '10 days' END
       FROM service_request r
       CROSS JOIN LATERAL (SELECT x < 0.6 AS resolved, CASE WHEN x < 0.4 THEN 'CLOSED' WHEN x < 0.6 THEN 'RESOLVED' WHEN x < 0.8 THEN 'INVESTIGATING' ELSE 'ASSIGNED' END AS state FROM (SELECT random() AS x) rx) s
      WHERE r.target_department_id IS NOT NULL AND random() < 0.03`,
  ],
  [
    'consultations (one per ten requests)',
    `INSERT INTO consultation (number, state, version, created_by_id, created_at, updated_at, customer_id, channel, question, first_replied_at)
     SELECT 'CN-B-' || lpad(row_number() OVER ()::text, 8, '0'), 'ANSWERED', 2, r.created_by_id, r.created_at, r.created_at, r.customer_id, 'PHONE', 'How do I reset the controller?',
            CASE WHEN random() < 0.95 THEN r.created_at + make_interval(mins => (5 + random() * 600)::int) END
       FROM service_request r WHERE random() < 0.1`,
  ],
  [
    'review deadlines',
    // with the copies of the document's department, customer and service type the triggers keep (off during the load)
    `INSERT INTO deadline (document_type, document_id, kind, opened_at, opened_by_event, due_at, met_at, met_by_event, department_id, document_department_id, customer_id, service_type)
     SELECT 'ServiceRequest', r.id, 'REQUEST_REVIEW', r.submitted_at, 'ServiceRequest.SUBMIT', r.submitted_at + interval '1 day',
            CASE WHEN r.accepted_at IS NOT NULL THEN r.submitted_at + make_interval(mins => (random() * 1700)::int) END,
            CASE WHEN r.accepted_at IS NOT NULL THEN 'ServiceRequest.ACCEPT' END, r.target_department_id, r.target_department_id, r.customer_id, r.service_type
       FROM service_request r WHERE r.submitted_at IS NOT NULL`,
  ],
  [
    'approval and field-response deadlines',
    `INSERT INTO deadline (document_type, document_id, kind, opened_at, opened_by_event, due_at, met_at, met_by_event, department_id, document_department_id, customer_id, service_type, assignee_id)
     SELECT 'ServiceTask', t.id, k.kind, t.submitted_at, k.opened_by, t.submitted_at + k.due, t.submitted_at + make_interval(mins => (random() * k.spread)::int), k.met_by, t.department_id,
            t.department_id, t.customer_id, r.service_type, t.assignee_id
       FROM service_task t JOIN service_request r ON r.id = t.request_id
       CROSS JOIN (VALUES ('TASK_APPROVAL', 'ServiceTask.SUBMIT', interval '1 day', 1600, 'ServiceTask.APPROVE'),
                          ('FIELD_ON_SITE', 'ServiceTask.APPROVE', interval '24 hours', 1560, 'ServiceTask.START')) AS k(kind, opened_by, due, spread, met_by)`,
  ],
];

interface Case {
  name: string;
  audience: Caller | 'system';
  filter: FigureFilter;
  bucket?: PeriodBucket;
}

interface Timed {
  case: string;
  statement: string;
  medianMs: number;
  runsMs: number[];
  rows: number;
  indexes: string[];
  seqScans: string[];
}

const caller = (userId: string, roles: Role[], departmentId: string | null = null, customerId: string | null = null): Caller => ({ userId, name: 'bench', kind: UserKind.HUMAN, roles, departmentId, customerId, holdsGrants: false });

function walk(plan: any, out: { indexes: Set<string>; seq: Set<string> }) {
  if (plan['Index Name']) out.indexes.add(plan['Index Name']);
  if (plan['Node Type'] === 'Seq Scan') out.seq.add(plan['Relation Name']);
  for (const child of plan.Plans ?? []) walk(child, out);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

/**
 * Seeds the dataset fast: loaded first, indexed after. On one connection of its own: foreign-key triggers off
 * (session_replication_role = replica: the generator makes every reference itself), the tables' secondary
 * indexes dropped before the load and built again after it (one sort each instead of a million insertions and
 * the extras' updates rewriting every index), then VACUUM ANALYZE (as autovacuum would after a load).
 */
async function seed(url: string): Promise<number> {
  const started = Date.now();
  log(`seeding ${fmt(settings.requests)} requests`);
  const loader = createDataSource(url, { role: null, poolSize: 1, applicationName: 'bench-kpi-seed' });
  await loader.initialize();
  try {
    await loader.query(`SET session_replication_role = replica`);
    await loader.query(`SET synchronous_commit = off`);
    await loader.query(`SET maintenance_work_mem = '1GB'`);
    const tables = ['service_request', 'service_task', 'service_record', 'service_acceptance', 'complaint', 'consultation', 'deadline'];
    // secondary indexes only: primary keys and unique constraints stay (they are what the generator relies on)
    const indexes: Array<{ name: string; def: string }> = await loader.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [tables],
    );
    for (const ix of indexes) await loader.query(`DROP INDEX ${ix.name}`);
    log(`dropped ${indexes.length} secondary indexes for the load`);
    await seedBenchData(loader, { requests: settings.requests, customers: settings.customers, departments: settings.departments, draftTargets: 10 }, log);
    for (const [name, sql] of EXTRAS) {
      const t0 = Date.now();
      await loader.query(sql);
      log(`seeded ${name} in ${Date.now() - t0} ms`);
    }
    {
      // the technicians of each request's tasks (migration RequestWorkers: its trigger is off during the load)
      const t0 = Date.now();
      await loader.query(`SELECT service_request_worker_backfill()`);
      log(`filled service_request_worker in ${Date.now() - t0} ms`);
    }
    {
      // the daily roll-ups (migration KpiRollups: their triggers are off during the load too)
      const t0 = Date.now();
      await loader.query(`SELECT kpi_rollup_rebuild($1)`, [TZ]);
      log(`rebuilt the daily roll-ups in ${Date.now() - t0} ms`);
    }
    const t0 = Date.now();
    for (const ix of indexes) await loader.query(ix.def);
    log(`built ${indexes.length} indexes in ${Date.now() - t0} ms`);
    await loader.query('VACUUM ANALYZE');
  } finally {
    await loader.destroy();
  }
  const ms = Date.now() - started;
  log(`seeded in ${fmt(ms / 1000, 1)} s`);
  return ms;
}

async function main() {
  const started = Date.now();
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(', ');
  // KPI_DATA_DIR: keep the seeded database there and reuse it on the next run (iterating on the statements)
  const keep = process.env.KPI_DATA_DIR ? path.resolve(process.env.KPI_DATA_DIR) : null;
  const dataDir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-bench-kpi-'));
  if (keep) fs.mkdirSync(keep, { recursive: true });
  log(`starting PostgreSQL on port ${settings.pgPort} in ${dataDir}`);
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: settings.pgPort,
    persistent: Boolean(keep),
    postgresFlags: [...(keep ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []), '-c', 'max_connections=50', '-c', 'shared_buffers=512MB', '-c', 'work_mem=64MB', '-c', 'maintenance_work_mem=1GB', '-c', 'max_wal_size=8GB', '-c', 'checkpoint_timeout=30min'],
  });
  const url = withDatabase(embedded.url, 'postgres');
  const db = createDataSource(url, { role: null, poolSize: 4, applicationName: 'bench-kpi' });
  let seedMs = 0;
  try {
    await db.initialize();
    const seeded = (await db.query(`SELECT to_regclass('bench_target') IS NOT NULL AS seeded`))[0].seeded && keep;
    await db.runMigrations({ transaction: 'each' });
    const seedFile = path.join(dataDir, 'kpi-seed-ms');
    if (!seeded) {
      seedMs = await seed(url);
      if (keep) fs.writeFileSync(seedFile, String(seedMs));
    } else {
      // the load's time as measured when this directory was seeded
      seedMs = fs.existsSync(seedFile) ? Number(fs.readFileSync(seedFile, 'utf8')) : 0;
      log(`reusing the database seeded in ${dataDir}`);
    }
    const counts = (await db.query(`SELECT (SELECT count(*) FROM service_request)::int AS requests, (SELECT count(*) FROM service_task)::int AS tasks, (SELECT count(*) FROM service_acceptance)::int AS acceptances,
        (SELECT count(*) FROM complaint)::int AS complaints, (SELECT count(*) FROM consultation)::int AS consultations, (SELECT count(*) FROM deadline)::int AS deadlines`))[0];
    log(`dataset: ${JSON.stringify(counts)}`);

    // the last full month and the last twelve months, in the company time zone
    const [span] = await db.query(
      `SELECT (date_trunc('month', now() AT TIME ZONE $1) - interval '1 month') AT TIME ZONE $1 AS m0, date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1 AS m1,
              (date_trunc('month', now() AT TIME ZONE $1) - interval '12 months') AT TIME ZONE $1 AS y0, to_char(now() AT TIME ZONE $1 - interval '1 month', 'YYYY-MM') AS label`,
      [TZ],
    );
    const month = { from: new Date(span.m0), to: new Date(span.m1) };
    const year = { from: new Date(span.y0), to: new Date(span.m1) };
    const [exec] = await db.query(`SELECT id FROM app_user WHERE login = 'executive'`);
    const [sup] = await db.query(`SELECT id, department_id FROM app_user WHERE login = 'sup-d01'`);
    const [portal] = await db.query(`SELECT id, customer_id FROM app_user WHERE login = 'portal-c0001'`);
    const [tech] = await db.query(`SELECT id, department_id FROM app_user WHERE login = 'tech-d01-1'`);
    const executive = caller(exec.id, [Role.EXECUTIVE]);
    const cases: Case[] = [
      { name: 'executive, last month', audience: executive, filter: month },
      { name: 'executive, last 12 months (monthly buckets)', audience: executive, filter: year },
      { name: 'executive, last month, REPAIR only', audience: executive, filter: { ...month, serviceType: 'REPAIR' } },
      { name: 'supervisor (own department), last month', audience: caller(sup.id, [Role.SUPERVISOR], sup.department_id), filter: month },
      { name: 'supervisor (own department), last 12 months', audience: caller(sup.id, [Role.SUPERVISOR], sup.department_id), filter: year },
      { name: 'customer (own organisation), last 12 months', audience: caller(portal.id, [Role.CUSTOMER], null, portal.customer_id), filter: year },
      { name: 'technician (own work), last month', audience: caller(tech.id, [Role.TECHNICIAN], tech.department_id), filter: month },
    ];

    const results: Timed[] = [];
    const endToEnd: Array<{ case: string; medianMs: number; runsMs: number[]; statementsMs: number; rowsOnlyMs: number | null }> = [];
    const only = process.env.KPI_CASES ? new RegExp(process.env.KPI_CASES) : null;
    for (const c of cases) {
      if (only && !only.test(c.name)) continue;
      for (const s of figureStatements(c.audience, c.filter, { bucket: c.bucket ?? PeriodBucket.MONTH, timezone: TZ })) {
        const runs: number[] = [];
        let rows = 0;
        const seen = { indexes: new Set<string>(), seq: new Set<string>() };
        for (let i = 0; i < settings.runs; i++) {
          const [out] = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${s.text}`, s.params);
          const plan = out['QUERY PLAN'][0];
          runs.push(plan['Execution Time'] + plan['Planning Time']);
          rows = plan.Plan['Actual Rows'];
          walk(plan.Plan, seen);
        }
        const r: Timed = { case: c.name, statement: s.name, medianMs: Math.round(median(runs) * 10) / 10, runsMs: runs.map((x) => Math.round(x * 10) / 10), rows, indexes: [...seen.indexes].sort(), seqScans: [...seen.seq].sort() };
        results.push(r);
        log(`${c.name} · ${s.name}: ${r.medianMs} ms (${r.indexes.join(', ') || 'no index'}${r.seqScans.length ? `; seq scan ${r.seqScans.join(', ')}` : ''})`);
      }
      // the whole case as the statistics query runs it: computeFigures end to end (every statement, the department names)
      const runs: number[] = [];
      for (let i = 0; i < settings.runs; i++) {
        const t0 = process.hrtime.bigint();
        await computeFigures(db.manager, c.audience, c.filter, { bucket: c.bucket ?? PeriodBucket.MONTH, timezone: TZ });
        runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      // the baseline of the same run: the same figures from the rows alone (the daily roll-ups not read)
      const rowsOnly: number[] = [];
      for (let i = 0; i < settings.runs; i++) {
        const t0 = process.hrtime.bigint();
        await computeFigures(db.manager, c.audience, c.filter, { bucket: c.bucket ?? PeriodBucket.MONTH, timezone: TZ, rollups: false });
        rowsOnly.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const statementsMs = Math.round(results.filter((r) => r.case === c.name).reduce((a, r) => a + r.medianMs, 0) * 10) / 10;
      const rowsOnlyMs = Math.round(median(rowsOnly) * 10) / 10;
      endToEnd.push({ case: c.name, medianMs: Math.round(median(runs) * 10) / 10, runsMs: runs.map((x) => Math.round(x * 10) / 10), statementsMs, rowsOnlyMs });
      log(`${c.name}: computeFigures ${fmt(median(runs), 1)} ms end to end (statements sum ${fmt(statementsMs, 1)} ms; rows only ${fmt(rowsOnlyMs, 1)} ms)`);
    }
    // the scorecards: every technician, a month and a quarter (one statement each, timed end to end)
    const weights = { work: 60, attitude: 20, ability: 20 };
    for (const [name, period] of [
      ['scorecards, last month (all technicians)', { label: span.label, kind: 'MONTH' as const, firstMonth: `${span.label}-01`, months: 1 }],
      ['scorecards, a quarter (all technicians)', { label: 'quarter', kind: 'QUARTER' as const, firstMonth: `${span.label}-01`, months: 3 }],
    ] as const) {
      if (only && !only.test(name)) continue;
      const runs: number[] = [];
      for (let i = 0; i < settings.runs; i++) {
        const t0 = process.hrtime.bigint();
        await technicianScorecards(db.manager, executive, period, { timezone: TZ, weights });
        runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      results.push({ case: name, statement: 'technicianScorecards', medianMs: Math.round(median(runs) * 10) / 10, runsMs: runs.map((x) => Math.round(x * 10) / 10), rows: 20, indexes: [], seqScans: [] });
      endToEnd.push({ case: name, medianMs: Math.round(median(runs) * 10) / 10, runsMs: runs.map((x) => Math.round(x * 10) / 10), statementsMs: Math.round(median(runs) * 10) / 10, rowsOnlyMs: null });
      log(`${name}: ${fmt(median(runs), 1)} ms`);
    }

    const slowest = Math.max(...endToEnd.map((r) => r.medianMs));
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GB, Node ${process.version}, PostgreSQL ${(await db.query('SHOW server_version'))[0].server_version}`;
    const load = os.loadavg().map((x) => x.toFixed(2)).join(', ');
    const lines = [
      `Run of ${new Date().toISOString()} on ${machine}; load average at the start ${loadAtStart}, at the end ${load} (1, 5, 15 min).`,
      `Dataset: ${fmt(counts.requests)} service requests, ${fmt(counts.tasks)} tasks, ${fmt(counts.acceptances)} acceptance rounds, ${fmt(counts.complaints)} complaints, ${fmt(counts.consultations)} consultations, ${fmt(counts.deadlines)} deadlines over two years (seeded in ${fmt(seedMs / 1000, 1)} s${seeded ? ', reused for this run' : ''}). Each case: median of ${settings.runs} runs of computeFigures end to end (what one \`statistics\` query costs), beside the sum of its statements; each statement: median of ${settings.runs} EXPLAIN ANALYZE runs (planning + execution); the scorecards timed end to end.`,
      '',
      '| case | end to end, median ms | statements, sum of medians ms | runs ms | rows only (no roll-ups), median ms | ratio |',
      '| --- | ---: | ---: | --- | ---: | ---: |',
      ...endToEnd.map(
        (r) =>
          `| ${r.case} | **${fmt(r.medianMs, 1)}** | ${fmt(r.statementsMs, 1)} | ${r.runsMs.map((x) => fmt(x, 1)).join(' · ')} | ${r.rowsOnlyMs === null ? '—' : fmt(r.rowsOnlyMs, 1)} | ${r.rowsOnlyMs === null ? '—' : fmt(r.medianMs / r.rowsOnlyMs, 2)} |`,
      ),
      '',
      '| case | statement | median ms | indexes read | seq scans |',
      '| --- | --- | ---: | --- | --- |',
      ...results.map((r) => `| ${r.case} | ${r.statement} | ${fmt(r.medianMs, 1)} | ${r.indexes.join(', ') || '—'} | ${r.seqScans.join(', ') || '—'} |`),
      '',
      `Slowest case: **${fmt(slowest, 1)} ms** end to end (target < 1,000 ms) ${slowest < 1000 ? '✅' : '❌'}`,
    ];
    console.log(`\n${lines.join('\n')}\n`);
    if (!process.env.BENCH_NO_WRITE) {
      const date = new Date().toISOString().slice(0, 10);
      const dir = path.join(ROOT, 'bench/results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `kpi-${date}.json`), JSON.stringify({ date: new Date().toISOString(), machine, load: { start: loadAtStart, end: load }, settings, seedMs, counts, endToEnd, results }, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, `kpi-${date}.md`), `# KPI benchmark ${date}\n\n${lines.join('\n')}\n`);
      log(`wrote bench/results/kpi-${date}.json and .md`);
    }
    log(`done in ${fmt((Date.now() - started) / 1000)} s`);
  } finally {
    if (db.isInitialized) await db.destroy();
    await embedded.stop();
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
