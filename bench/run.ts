/**
 * `npm run bench`: how fast the API is against its floor, measured in one run.
 *
 *  1. a fresh embedded PostgreSQL (with pg_stat_statements), migrated and seeded set-based (bench/seed.ts);
 *  2. the API in production mode (compiled, `node dist/src/main.js`) and the floor (bench/floor.ts), each its own process;
 *  3. per scenario (bench/scenarios.ts) and side: an autocannon warm-up (discarded), then BENCH_RUNS timed runs
 *     (the median by requests/s is reported), then a counting pass of exactly BENCH_COUNT requests between two
 *     pg_stat_statements snapshots; transitions are compared with pgbench running bench/transition.sql;
 *  4. bench/results/<date>.json and .md, and the table in bench/README.md.
 *
 * Environment: BENCH_REQUESTS (100000), BENCH_CUSTOMERS (200), BENCH_DURATION s (10), BENCH_WARMUP s (3),
 * BENCH_RUNS (3), BENCH_CONNECTIONS (10), BENCH_COUNT (200), BENCH_SCENARIOS (all; comma-separated names),
 * BENCH_API_LOG_LEVEL (info), BENCH_CPU_PROF (unset; a directory: the API runs with --cpu-prof there),
 * BENCH_API_NODE_OPTIONS (NODE_OPTIONS for the API, e.g. --max-semi-space-size=64), BENCH_SKIP_BUILD, BENCH_PG_PORT (54391),
 * BENCH_NO_WRITE (do not write results), BENCH_VERBOSE (log the busiest statements).
 */
import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startEmbeddedPostgres, withDatabase } from '../src/db/embedded';
import { createDataSource } from '../src/db/data-source';
import { API_LOGIN, urlFor } from '../src/db/api-login';
import { freePort } from '../test/support/process';
import { seedBenchData } from './seed';
import { SCENARIOS, type BenchData, type HttpRequest, type Scenario } from './scenarios';

const int = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const settings = {
  requests: int('BENCH_REQUESTS', 100_000),
  customers: int('BENCH_CUSTOMERS', 200),
  departments: 10,
  duration: int('BENCH_DURATION', 10),
  warmup: int('BENCH_WARMUP', 3),
  runs: int('BENCH_RUNS', 3),
  connections: int('BENCH_CONNECTIONS', 10),
  count: int('BENCH_COUNT', 200),
  apiLogLevel: process.env.BENCH_API_LOG_LEVEL || 'info',
  pgPort: int('BENCH_PG_PORT', 54391),
};
const ROOT = path.resolve(__dirname, '..');
const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  /** failed requests: transport errors, timeouts, non-2xx, GraphQL errors or userErrors (pgbench: failed transactions) */
  errors: number;
  requests: number;
  /** all runs' requests/s, the median is `rps` */
  runs: number[];
  /** SQL statements per request from pg_stat_statements (BEGIN/COMMIT included), and the busiest ones */
  statements: number | null;
  /**
   * of `statements`, those run after the request committed, for it: the outbox job of each committed event
   * (graphile-worker's own statements, the consumers' transactions) and every process's live feed loading the row
   */
  afterCommit?: number;
  /**
   * of `statements`, the bearer-token look-ups: a caller's token is read from the database once per TOKEN_CACHE_MS
   * (30 s), so a few requests of a run carry that statement besides their own (src/auth/tokens.ts)
   */
  tokenChecks?: number;
  statementBreakdown: Array<{ perRequest: number; query: string; msPerRequest?: number }>;
  /** PostgreSQL's time per request (execution and planning, pg_stat_statements, the counting pass) */
  pgMsPerRequest?: number;
  /**
   * CPU milliseconds per request over the timed runs, by process: the server (the API or the floor; none for
   * pgbench), every PostgreSQL process, and the load generator (autocannon in the runner, or pgbench)
   */
  cpuMsPerRequest?: { server: number; postgres: number; load: number };
}

interface ScenarioResult {
  name: string;
  description: string;
  floorKind: 'http' | 'pgbench';
  api: Measurement;
  floor: Measurement;
  ratio: number;
  targets: Scenario['targets'];
  apiPeakRssMb: number;
}

// ---------------------------------------------------------------------------------------------- processes

function spawnServer(name: string, args: string[], env: Record<string, string>, ready: string, logFile: string): Promise<{ child: ChildProcess; tail: () => string }> {
  // output goes to a file, not a pipe: the runner, which also drives the load, does not spend CPU reading request logs
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const out = () => fs.readFileSync(logFile, 'utf8').slice(-20_000);
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`${name} did not start:\n${out()}`)), 120_000);
    const poll = setInterval(() => {
      if (out().includes(ready)) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve({ child, tail: out });
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        clearTimeout(deadline);
        reject(new Error(`${name} exited (${child.exitCode}):\n${out()}`));
      }
    }, 100);
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** peak resident set size (VmHWM) of a live process, in MB */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}

// ---------------------------------------------------------------------------------------------- load

function median<T>(items: T[], key: (t: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)];
}

const failed = (status: number, body: string) => status !== 200 || body.includes('"errors":[') || body.includes('"userErrors":[{');

async function cannon(baseUrl: string, make: () => HttpRequest, opts: { duration?: number; amount?: number }) {
  let errors = 0;
  const result = await autocannon({
    url: baseUrl,
    // the counting pass runs on one connection: exactly `amount` requests, none in flight at the end
    connections: opts.amount ? 1 : settings.connections,
    pipelining: 1,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration }),
    requests: [
      {
        method: 'POST',
        setupRequest: (req: any) => {
          const r = make();
          return { ...req, method: 'POST', path: r.path, body: r.body, headers: { 'content-type': 'application/json', authorization: `Bearer ${r.token}` } };
        },
        onResponse: (status: number, body: string) => {
          if (failed(status, body)) errors++;
        },
      } as any,
    ],
  });
  const completed = result.requests.total;
  return { rps: completed / (result.duration || 1), p50: result.latency.p50, p99: result.latency.p99, errors: errors + result.errors + result.timeouts, requests: completed };
}

// ---------------------------------------------------------------------------------------------- statements

type Snapshot = Map<string, { calls: number; ms: number; query: string }>;

async function snapshot(owner: ReturnType<typeof createDataSource>): Promise<Snapshot> {
  const rows: Array<{ key: string; calls: string; ms: number; query: string }> = await owner.query(
    `SELECT userid || ':' || dbid || ':' || queryid AS key, calls, total_exec_time + total_plan_time AS ms, query FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%bench-drain%'`,
  );
  return new Map(rows.map((r) => [r.key, { calls: Number(r.calls), ms: Number(r.ms), query: r.query }]));
}

// ---------------------------------------------------------------------------------------------- CPU

const TICK_MS = 1000 / 100; // USER_HZ: /proc times are in clock ticks of 10 ms

/** user + system CPU ms of one live process (0 when it is gone) */
function cpuMsOf(pid: number): number {
  try {
    // the fields after the command name, which may hold spaces: utime and stime are the 12th and 13th of them
    const after = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    return (Number(after[11]) + Number(after[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU ms of every PostgreSQL process (the postmaster, its backends and workers), live ones and reaped children alike */
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const after = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ').pop()!.split(' ');
      // utime, stime, and the reaped children's (ended backends) cutime, cstime
      total += (Number(after[11]) + Number(after[12]) + Number(after[13]) + Number(after[14])) * TICK_MS;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** this runner's CPU ms, its reaped children's (pgbench) included */
function runnerCpuMs(): number {
  const after = fs.readFileSync('/proc/self/stat', 'utf8').split(') ').pop()!.split(' ');
  return (Number(after[11]) + Number(after[12]) + Number(after[13]) + Number(after[14])) * TICK_MS;
}

/** Runs `work` and answers the CPU it cost each side per request. */
async function cpuPerRequest<T extends { requests: number }[]>(serverPid: number | null, work: () => Promise<T>): Promise<{ runs: T; cpu: NonNullable<Measurement['cpuMsPerRequest']> }> {
  const before = { server: serverPid ? cpuMsOf(serverPid) : 0, postgres: postgresCpuMs(), load: runnerCpuMs() };
  const runs = await work();
  const requests = runs.reduce((s, r) => s + r.requests, 0) || 1;
  const per = (ms: number) => Math.round((ms / requests) * 1000) / 1000;
  return {
    runs,
    cpu: {
      server: per(serverPid ? cpuMsOf(serverPid) - before.server : 0),
      postgres: per(postgresCpuMs() - before.postgres),
      load: per(runnerCpuMs() - before.load),
    },
  };
}

/**
 * The statements PostgreSQL runs for a committed event after its request: the outbox relay taking a batch of rows,
 * each consumer's claim of them and the webhook consumer's look-up, marking them processed (src/jobs/outbox-relay.ts,
 * src/jobs/outbox.ts), each batch in a transaction of its own (its START TRANSACTION and COMMIT counted below), a row
 * taken on its own after a failed batch (a transaction per consumer claim), graphile-worker's own statements, and the
 * live feed loading rows for subscribers (src/jobs/outbox-feed.ts). Statements of consumers not listed here count as
 * the request's: the split errs toward the request.
 */
const AFTER_COMMIT = /graphile_worker|outbox_consumption|UPDATE outbox_event SET processed_at|FROM outbox_event WHERE|FROM outbox_event o LEFT JOIN audit_event a|FROM webhook_endpoint WHERE enabled/i;
/** the bearer token's look-up (src/auth/tokens.ts): once per caller per TOKEN_CACHE_MS, not once per request */
const TOKEN_CHECK = /FROM "api_token"/i;
/** statements that each open a transaction of their own after commit: a relay's batch, a row's consumer claim on its own */
const AFTER_COMMIT_TRANSACTION = /FROM outbox_event WHERE processed_at IS NULL AND .* FOR UPDATE SKIP LOCKED|INSERT INTO outbox_consumption \(outbox_event_id, consumer\) VALUES/i;

function statementsBetween(before: Snapshot, after: Snapshot, requests: number): Pick<Measurement, 'statements' | 'afterCommit' | 'tokenChecks' | 'statementBreakdown' | 'pgMsPerRequest'> {
  const deltas: Array<{ calls: number; ms: number; query: string; afterCommit: boolean; tokenCheck: boolean }> = [];
  let claims = 0;
  for (const [key, { calls, ms, query }] of after) {
    const d = calls - (before.get(key)?.calls ?? 0);
    if (d <= 0) continue;
    if (AFTER_COMMIT_TRANSACTION.test(query)) claims += d;
    deltas.push({ calls: d, ms: ms - (before.get(key)?.ms ?? 0), query: query.replace(/\s+/g, ' ').slice(0, 160), afterCommit: AFTER_COMMIT.test(query), tokenCheck: TOKEN_CHECK.test(query) });
  }
  const total = deltas.reduce((s, d) => s + d.calls, 0);
  const afterCommit = deltas.filter((d) => d.afterCommit).reduce((s, d) => s + d.calls, 0) + 2 * claims;
  const per = (n: number) => Math.round((n / requests) * 100) / 100;
  const ms = (n: number) => Math.round((n / requests) * 1000) / 1000;
  return {
    statements: per(total),
    afterCommit: per(afterCommit),
    tokenChecks: per(deltas.filter((d) => d.tokenCheck).reduce((s, d) => s + d.calls, 0)),
    pgMsPerRequest: ms(deltas.reduce((s, d) => s + d.ms, 0)),
    statementBreakdown: deltas
      .sort((a, b) => (process.env.BENCH_TRACK_ALL ? b.ms - a.ms : b.calls - a.calls))
      .slice(0, 16)
      .map((d) => ({ perRequest: per(d.calls), msPerRequest: ms(d.ms), query: `${d.afterCommit ? '[after commit] ' : d.tokenCheck ? '[token check] ' : ''}${d.query}` })),
  };
}

/**
 * Waits (polling, bounded) until every outbox row is processed: the counting pass starts with no backlog from the
 * timed runs and ends when the outbox jobs of its own requests are done, so their statements are all counted, once.
 */
async function drainOutbox(owner: ReturnType<typeof createDataSource>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // marked, so snapshot() leaves the runner's own polling out of the count
    const [{ n }] = await owner.query(`SELECT /* bench-drain */ count(*)::int AS n FROM outbox_event WHERE processed_at IS NULL`);
    if (n === 0) return;
    if (Date.now() > deadline) {
      log(`the outbox still has ${n} unprocessed rows after ${timeoutMs / 1000} s; counting anyway`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function measureHttp(owner: ReturnType<typeof createDataSource>, baseUrl: string, serverPid: number, make: () => HttpRequest): Promise<Measurement> {
  await cannon(baseUrl, make, { duration: settings.warmup });
  const { runs, cpu } = await cpuPerRequest(serverPid, async () => {
    const timed = [];
    for (let i = 0; i < settings.runs; i++) timed.push(await cannon(baseUrl, make, { duration: settings.duration }));
    return timed;
  });
  const mid = median(runs, (r) => r.rps);
  // requests still in flight when the last timed run stopped must not land in the counting window
  await new Promise((r) => setTimeout(r, 2000));
  await drainOutbox(owner);
  const before = await snapshot(owner);
  const counted = await cannon(baseUrl, make, { amount: settings.count });
  await drainOutbox(owner);
  const after = await snapshot(owner);
  return { ...mid, errors: runs.reduce((s, r) => s + r.errors, 0) + counted.errors, requests: runs.reduce((s, r) => s + r.requests, 0), runs: runs.map((r) => Math.round(r.rps)), cpuMsPerRequest: cpu, ...statementsBetween(before, after, counted.requests) };
}

/** one request's answer as data, instants in one form (the floor writes PostgreSQL's, the API toISOString's) */
async function answerOf(baseUrl: string, request: HttpRequest): Promise<unknown> {
  const res = await fetch(baseUrl + request.path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` }, body: request.body });
  const instant = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
  return JSON.parse(await res.text(), (_key, value) => (typeof value === 'string' && instant.test(value) ? new Date(value).toISOString() : value));
}

/**
 * Sends one request of a read scenario to the API and the same to the floor (the scenario's random picks replayed)
 * and stops the run when their data differ: a floor that does less than the API would flatter it.
 */
async function checkSameAnswer(name: string, apiUrl: string, floorUrl: string, api: () => HttpRequest, floor: () => HttpRequest): Promise<void> {
  const random = Math.random;
  let requests: [HttpRequest, HttpRequest];
  try {
    let n = 0;
    const draws: number[] = [];
    Math.random = () => {
      if (n === draws.length) draws.push(random());
      return draws[n++];
    };
    const a = api();
    n = 0;
    requests = [a, floor()];
  } finally {
    Math.random = random;
  }
  const [fromApi, fromFloor] = await Promise.all([answerOf(apiUrl, requests[0]), answerOf(floorUrl, requests[1])]);
  if (!isDeepStrictEqual(fromApi, fromFloor)) {
    throw new Error(`${name}: the API and the floor answer the same request differently:\nAPI   ${JSON.stringify(fromApi).slice(0, 2000)}\nfloor ${JSON.stringify(fromFloor).slice(0, 2000)}`);
  }
  log(`${name}: the API and the floor answer the same request alike`);
}

// ---------------------------------------------------------------------------------------------- pgbench

function pgbench(pgUrl: URL, ndocs: number, how: { duration?: number; transactions?: number; clients?: number; mode?: 'prepared' | 'extended' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-pgbench-'));
  fs.chmodSync(dir, 0o777);
  const clients = how.clients ?? settings.connections;
  // timed runs use prepared statements (the floor: no parsing or planning per transaction); the counting pass uses
  // the extended protocol, because pg_stat_statements counts a prepared BEGIN/COMMIT only once per connection
  const args = ['-n', '-M', how.mode ?? 'prepared', '-c', String(clients), '-j', String(Math.min(2, clients)), '-f', path.join(ROOT, 'bench/transition.sql'), '-D', `ndocs=${ndocs}`, '-l', '--log-prefix', path.join(dir, 'tx')];
  args.push(...(how.duration ? ['-T', String(how.duration)] : ['-t', String(how.transactions)]));
  args.push('-h', pgUrl.hostname, '-p', pgUrl.port, '-U', pgUrl.username, pgUrl.pathname.slice(1));
  const out = execFileSync('pgbench', args, { cwd: dir, env: { ...process.env, PGPASSWORD: decodeURIComponent(pgUrl.password), PGOPTIONS: '-c role=sdd_app' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const latencies: number[] = [];
  for (const file of fs.readdirSync(dir)) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const fields = line.split(' ');
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 100) / 100;
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? 0);
  const failedTx = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? latencies.length);
  return { rps: tps, p50: pct(0.5), p99: pct(0.99), errors: failedTx, requests: processed };
}

async function measurePgbench(owner: ReturnType<typeof createDataSource>, pgUrl: URL, ndocs: number): Promise<Measurement> {
  pgbench(pgUrl, ndocs, { duration: settings.warmup });
  const { runs, cpu } = await cpuPerRequest(null, async () => {
    const timed = [];
    for (let i = 0; i < settings.runs; i++) timed.push(pgbench(pgUrl, ndocs, { duration: settings.duration }));
    return timed;
  });
  const mid = median(runs, (r) => r.rps);
  const before = await snapshot(owner);
  const counted = pgbench(pgUrl, ndocs, { transactions: settings.count, clients: 1, mode: 'extended' });
  const after = await snapshot(owner);
  return { ...mid, errors: runs.reduce((s, r) => s + r.errors, 0) + counted.errors, requests: runs.reduce((s, r) => s + r.requests, 0), runs: runs.map((r) => Math.round(r.rps)), cpuMsPerRequest: cpu, ...statementsBetween(before, after, counted.requests) };
}

// ---------------------------------------------------------------------------------------------- report

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const mark = (ok: boolean) => (ok ? '✅' : '❌');

function markdownTable(results: ScenarioResult[], apiPeakRssMb: number): string {
  const lines = [
    '| scenario | API req/s | floor req/s | ratio (target) | API p50 / p99 ms | floor p50 / p99 ms | errors API / floor | SQL/request API (target) / floor | API peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const ratio = r.targets.ratio !== undefined ? `${fmt(r.ratio, 2)} (≥ ${r.targets.ratio}) ${mark(r.ratio >= r.targets.ratio)}` : fmt(r.ratio, 2);
    // the request's own statements (the target), what its committed event costs afterwards (the outbox job, the live
    // feed), and the token look-ups of callers whose cached token lapsed during the counting pass
    const own = r.api.statements === null ? null : Math.round((r.api.statements - (r.api.afterCommit ?? 0) - (r.api.tokenChecks ?? 0)) * 100) / 100;
    const later = `${r.api.afterCommit ? ` + ${r.api.afterCommit} after commit` : ''}${r.api.tokenChecks ? ` + ${r.api.tokenChecks} token look-ups` : ''}`;
    const st = r.targets.statements !== undefined ? `${own} (≤ ${r.targets.statements}) ${mark((own ?? Infinity) <= r.targets.statements)}${later}` : `${own}${later}`;
    lines.push(
      `| ${r.name} | ${fmt(r.api.rps)} | ${fmt(r.floor.rps)}${r.floorKind === 'pgbench' ? ' (pgbench)' : ''} | ${ratio} | ${fmt(r.api.p50, 1)} / ${fmt(r.api.p99, 1)} | ${fmt(r.floor.p50, 1)} / ${fmt(r.floor.p99, 1)} | ${r.api.errors} / ${r.floor.errors} | ${st} / ${r.floor.statements} | ${fmt(r.apiPeakRssMb)} MB |`,
    );
  }
  lines.push('', `API peak RSS over the whole run: **${fmt(apiPeakRssMb)} MB** (target < 300 MB) ${mark(apiPeakRssMb < 300)}`);
  // where a request's time goes: the machine's 2 cores are shared by the server, PostgreSQL and the load generator
  lines.push(
    '',
    'CPU per request over the timed runs (ms; from /proc, the server process, every PostgreSQL process, the load generator), and PostgreSQL\'s own time in statements (execution and planning, the counting pass):',
    '',
    '| scenario | API: server / PostgreSQL / load | floor: server / PostgreSQL / load | PostgreSQL in statements API / floor |',
    '| --- | ---: | ---: | ---: |',
  );
  const split = (m: Measurement) => (m.cpuMsPerRequest ? `${fmt(m.cpuMsPerRequest.server, 2)} / ${fmt(m.cpuMsPerRequest.postgres, 2)} / ${fmt(m.cpuMsPerRequest.load, 2)}` : '–');
  for (const r of results) lines.push(`| ${r.name} | ${split(r.api)} | ${split(r.floor)} | ${fmt(r.api.pgMsPerRequest ?? 0, 2)} / ${fmt(r.floor.pgMsPerRequest ?? 0, 2)} |`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
  const selected = process.env.BENCH_SCENARIOS ? SCENARIOS.filter((s) => process.env.BENCH_SCENARIOS!.split(',').includes(s.name)) : SCENARIOS;
  const started = Date.now();
  if (!process.env.BENCH_SKIP_BUILD) {
    log('building the API (npm run build)');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-bench-'));
  log(`starting PostgreSQL on port ${settings.pgPort} in ${dataDir}`);
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: settings.pgPort,
    persistent: false,
    postgresFlags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', process.env.BENCH_TRACK_ALL ? 'pg_stat_statements.track=all' : 'pg_stat_statements.track=top', '-c', 'pg_stat_statements.max=10000', '-c', 'pg_stat_statements.track_planning=on', '-c', 'max_connections=100'],
  });
  const url = withDatabase(embedded.url, 'postgres');
  const owner = createDataSource(url, { role: null, poolSize: 2, applicationName: 'bench-owner' });
  const children: ChildProcess[] = [];
  try {
    await owner.initialize();
    await owner.runMigrations({ transaction: 'each' });
    await owner.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    log(`seeding ${fmt(settings.requests)} requests across ${settings.customers} customers and ${settings.departments} departments`);
    const seedStarted = Date.now();
    const ids = await seedBenchData(owner, { requests: settings.requests, customers: settings.customers, departments: settings.departments, draftTargets: 5000, complaintTargets: 50_000, requisitionTargets: 50_000 }, log);
    const seedMs = Date.now() - seedStarted;
    const customerIndex = new Map(ids.customers.map((c, i) => [c.customerId, i]));
    const samples: Array<{ id: string; customer_id: string }> = await owner.query(`SELECT id, customer_id FROM service_request ORDER BY random() LIMIT 20000`);
    const targets: Array<{ id: string }> = await owner.query(`SELECT id FROM bench_target ORDER BY n`);
    const complaintTargets: Array<{ id: string }> = await owner.query(`SELECT id FROM bench_complaint_target ORDER BY n`);
    const requisitionTargets: Array<{ id: string; creator_id: string }> = await owner.query(`SELECT id, creator_id FROM bench_requisition_target ORDER BY n`);
    const technicianIndex = new Map(ids.technicians.map((t, i) => [t.userId, i]));
    const months: Array<{ f: Date; t: Date }> = await owner.query(
      `SELECT m AS f, m + interval '1 month' AS t FROM generate_series(date_trunc('month', now() - interval '23 months'), date_trunc('month', now()) - interval '1 month', interval '1 month') m`,
    );
    const data: BenchData = {
      ...ids,
      statusSamples: samples.map((s) => ({ customer: customerIndex.get(s.customer_id)!, id: s.id })),
      transitionTargets: targets.map((t) => t.id),
      complaintTargets: complaintTargets.map((c) => c.id),
      requisitionTargets: requisitionTargets.map((r) => ({ id: r.id, technician: technicianIndex.get(r.creator_id)! })),
      months: months.map((m) => [new Date(m.f).toISOString(), new Date(m.t).toISOString()]),
    };
    log(`seeded in ${fmt(seedMs / 1000, 1)} s; ${targets.length} DRAFT requests are transition targets`);

    const apiPort = await freePort();
    const profDir = process.env.BENCH_CPU_PROF;
    const api = await spawnServer(
      'the API',
      [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir)}`] : []), 'dist/src/main.js'],
      // the API's own login, with the password the embedded server generated for it (production refuses to serve as the owner)
      { DATABASE_URL: url, DATABASE_APP_PASSWORD: embedded.apiPassword, PORT: String(apiPort), NODE_ENV: 'production', LOG_LEVEL: settings.apiLogLevel, DATA_DIR: path.join(dataDir, 'api'), SEED_DEMO_DATA: 'false', MAX_CONCURRENT_PER_CALLER: '1000', MUTATIONS_PER_SECOND: '1000000', MUTATION_BURST: '1000000', QUERY_COST_PER_SECOND: '1000000000', QUERY_COST_BURST: '1000000000', NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS ?? '' },
      'is serving',
      path.join(dataDir, 'api.log'),
    );
    children.push(api.child);
    // the floor and pgbench log in as the API does (its login exists now: the API made it at start)
    const appUrl = urlFor(url, { user: API_LOGIN, password: embedded.apiPassword });
    const floorPort = await freePort();
    const floor = await spawnServer('the floor', ['-r', 'ts-node/register/transpile-only', 'bench/floor.ts'], { DATABASE_URL: appUrl, PORT: String(floorPort), TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') }, 'floor is serving', path.join(dataDir, 'floor.log'));
    children.push(floor.child);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    log(`API (pid ${api.child.pid}) at ${apiUrl}, floor (pid ${floor.child.pid}) at ${floorUrl}; ${settings.connections} connections, ${settings.warmup} s warm-up, ${settings.runs} × ${settings.duration} s`);

    const results: ScenarioResult[] = [];
    for (const s of selected) {
      log(`${s.name}: API`);
      // a read's floor must do the same work: the same request (the same random picks) answered by both, compared
      if (!('pgbench' in s.floor) && !s.floorAnswersLess) await checkSameAnswer(s.name, apiUrl, floorUrl, () => s.api(data), () => (s.floor as { http: (d: typeof data) => HttpRequest }).http(data));
      const apiM = await measureHttp(owner, apiUrl, api.child.pid!, () => s.api(data));
      let floorM: Measurement;
      if ('pgbench' in s.floor) {
        log(`${s.name}: pgbench`);
        floorM = await measurePgbench(owner, new URL(appUrl), Math.min(s.floor.pgbench.ndocs, data.transitionTargets.length));
      } else {
        log(`${s.name}: floor`);
        const http = s.floor.http;
        floorM = await measureHttp(owner, floorUrl, floor.child.pid!, () => http(data));
      }
      const result: ScenarioResult = {
        name: s.name,
        description: s.description,
        floorKind: 'pgbench' in s.floor ? 'pgbench' : 'http',
        api: apiM,
        floor: floorM,
        ratio: Math.round((apiM.rps / floorM.rps) * 100) / 100,
        targets: s.targets,
        apiPeakRssMb: Math.round(peakRssMb(api.child.pid!)),
      };
      results.push(result);
      if (process.env.BENCH_VERBOSE) for (const [side, m] of [['API', apiM], ['floor', floorM]] as const) for (const b of m.statementBreakdown) log(`  ${side} ${b.perRequest}× ${b.msPerRequest ?? '?'} ms ${b.query}`);
      const cpu = (m: Measurement) => (m.cpuMsPerRequest ? `CPU ms/req ${m.cpuMsPerRequest.server} server, ${m.cpuMsPerRequest.postgres} PostgreSQL, ${m.cpuMsPerRequest.load} load; PostgreSQL ${m.pgMsPerRequest} ms/req in statements` : '');
      log(`${s.name}: API ${cpu(apiM)}; floor ${cpu(floorM)}`);
      log(`${s.name}: API ${fmt(apiM.rps)} req/s (p50 ${apiM.p50} ms, p99 ${apiM.p99} ms, ${apiM.statements} SQL/req of which ${apiM.afterCommit} after commit and ${apiM.tokenChecks} token look-ups, ${apiM.errors} errors) vs floor ${fmt(floorM.rps)} req/s (${floorM.statements} SQL/req, ${floorM.errors} errors): ratio ${result.ratio}`);
    }
    const apiPeak = Math.round(peakRssMb(api.child.pid!));
    const floorPeak = Math.round(peakRssMb(floor.child.pid!));
    const table = markdownTable(results, apiPeak);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GB, Node ${process.version}, PostgreSQL ${(await owner.query('SHOW server_version'))[0].server_version}`;
    const date = new Date().toISOString().slice(0, 10);
    const summary = [
      `Run of ${new Date().toISOString()} on ${machine}.`,
      `Dataset: ${fmt(settings.requests)} service requests, ${settings.customers} customers, ${settings.departments} departments (seeded in ${fmt(seedMs / 1000, 1)} s). ` +
        `Load: autocannon, ${settings.connections} connections, ${settings.warmup} s warm-up discarded, median of ${settings.runs} × ${settings.duration} s; ` +
        `SQL/request over exactly ${settings.count} requests (pg_stat_statements). API log level ${settings.apiLogLevel}; floor peak RSS ${floorPeak} MB.`,
    ].join('\n');
    console.log(`\n${summary}\n\n${table}\n`);
    if (!process.env.BENCH_NO_WRITE) {
      const dir = path.join(ROOT, 'bench/results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${date}.json`), JSON.stringify({ date: new Date().toISOString(), machine, settings, seedMs, apiPeakRssMb: apiPeak, floorPeakRssMb: floorPeak, results }, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, `${date}.md`), `# Benchmark ${date}\n\n${summary}\n\n${table}\n`);
      const readme = path.join(ROOT, 'bench/README.md');
      if (fs.existsSync(readme)) {
        const text = fs.readFileSync(readme, 'utf8');
        const block = `<!-- results:start -->\n${summary}\n\n${table}\n\n(bench/results/${date}.json has every run, latencies and the busiest statements per scenario.)\n<!-- results:end -->`;
        fs.writeFileSync(readme, text.replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, block));
      }
      log(`wrote bench/results/${date}.json and .md`);
    }
    log(`done in ${fmt((Date.now() - started) / 1000)} s`);
  } finally {
    for (const c of children) await stopProcess(c);
    if (owner.isInitialized) await owner.destroy();
    await embedded.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
