import { loadDeadlineSettings, type DeadlineSettings } from '../time/settings';
/**
 * The one typed configuration object. Everything tunable is read from the
 * environment here and nowhere else. What is policy (the executive threshold,
 * deadline lengths, retention, scorecard weights) is read here only as the first
 * value of a setting; the running values live in the `setting` table and every
 * rule reads them through src/config/settings.ts.
 */
import path from 'node:path';

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

/** int() reading the given environment (loadConfig's), not process.env */
function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

function wholeDays(name: string, fallback: number): number {
  const value = num(name, fallback);
  if (!Number.isInteger(value) || value < 0 || value > 3650) throw new Error(`${name} must be a whole number of days from 0 to 3650, got "${process.env[name]}"`);
  return value;
}

export interface Config {
  /** production hides introspection and field suggestions */
  production: boolean;
  port: number;
  /** interface to listen on; 0.0.0.0 behind a load balancer */
  host: string;
  /** external PostgreSQL; when unset an embedded server is started under dataDir */
  databaseUrl: string | undefined;
  /**
   * The API's own least-privileged login (src/db/api-login.ts). With the embedded server it is generated.
   * With DATABASE_URL: `url` (DATABASE_APP_URL) or `user` + `password` (DATABASE_APP_USER, DATABASE_APP_PASSWORD)
   * on DATABASE_URL's server; neither given: refused in production, the owner with a warning otherwise.
   */
  databaseApp: { url: string | undefined; user: string; password: string | undefined };
  dataDir: string;
  /** the built service-desk console served at / (scripts/build-console.js) */
  consoleDir: string;
  embeddedPgPort: number;
  /** business timezone: document-number years and working days are counted in it */
  timezone: string;
  /**
   * amounts at or above this (CNY) need an executive's sign-off (SPEC §2). Only the initial value of the setting
   * `executiveThreshold`: the rules read the running value from src/config/settings.ts (issue #14).
   */
  executiveThreshold: number;
  /** days a repaired fault is under the post-repair warranty unless its record says otherwise (SPEC §3.10) */
  repairWarrantyDays: number;
  /** hard cap on `first` for every connection */
  maxPageSize: number;
  defaultPageSize: number;
  /** HTTP request bodies larger than this are refused */
  maxBodyBytes: number;
  /** how long a verified bearer token is trusted without asking the database again */
  tokenCacheMs: number;
  logLevel: string;
  /** the job runner (graphile-worker): the outbox, grant expiry; off serves the API without running jobs */
  jobs: JobsConfig;
  /** per-request GraphQL limits (graphql-armor) */
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxDirectives: number; maxCost: number };
  /** what one caller may use (src/graphql/limits.ts): the price of one operation, requests at once, mutation and cost rates */
  fairness: FairnessConfig;
  /** GraphQL subscriptions over WebSocket (src/graphql/websocket.ts): per-caller cap, queue, keep-alive */
  subscriptions: SubscriptionsConfig;
  /** the longest one SQL statement of the API may run before PostgreSQL cancels it */
  statementTimeoutMs: number;
  /** answers larger than this are replaced by a RESPONSE_TOO_LARGE error */
  maxResponseBytes: number;
  /**
   * Reads compiled to one SQL statement per root field (src/graphql/compiled-reads.ts). `enabled`: COMPILED_READS
   * (on unless "off"); `perRequestSwitch`: the header `x-read-path: resolvers` sends one request through the
   * resolvers instead — only where tests set it (never in production).
   */
  compiledReads: { enabled: boolean; perRequestSwitch: boolean };
  seedDemoData: boolean;
  /**
   * The one clock of deadlines, the engine and the breach sweep. Not from the environment: the real time,
   * unless a test passes its own (startTestApi({ clock })) to move time without waiting.
   */
  clock: () => Date;
  /** deadline and escalation settings (src/time/settings.ts); the lengths are initial values of the `deadline.*` settings */
  deadlines: DeadlineSettings;
  /** CSV exports (src/export) */
  exports: ExportsConfig;
  /** statistics and the technician scorecard (src/statistics); the weights are the initial value of `scorecard.weights` */
  statistics: StatisticsConfig;
  /** records control: retention, bulk archive, purge and hold reminders (src/records/); the years are initial values of `retention.*` */
  records: RecordsConfig;
}

/** CSV exports (src/export/export.http.ts). */
export interface ExportsConfig {
  /** exports one process streams at once (each holds a database connection while it streams) */
  maxConcurrent: number;
  /** rows fetched from the cursor at a time */
  batchRows: number;
  /** the longest an export's statements may run (its own bound: a large export outlasts STATEMENT_TIMEOUT_MS) */
  statementTimeoutMs: number;
}

/** SPEC §8: the scorecard's weights (percent; work results, attitude, ability) and the targets. */
export interface StatisticsConfig {
  weights: { work: number; attitude: number; ability: number };
}

/** SCORECARD_WEIGHTS="60,20,20": work results, attitude, ability (seed 003 第四條); they need not sum to 100 (normalised). */
function weights(env: NodeJS.ProcessEnv): StatisticsConfig['weights'] {
  const raw = env.SCORECARD_WEIGHTS || '60,20,20';
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0) || parts.reduce((a, b) => a + b, 0) <= 0) {
    throw new Error(`SCORECARD_WEIGHTS must be three numbers ≥ 0 (work,attitude,ability), got "${raw}"`);
  }
  return { work: parts[0], attitude: parts[1], ability: parts[2] };
}

/** Records control (SPEC §5, src/records/). */
export interface RecordsConfig {
  /** years a closed document is kept (from its closing), unless its type has its own (RETENTION_YEARS) */
  defaultRetentionYears: number;
  /** per type, keyed by the type in UPPER_SNAKE (RETENTION_YEARS_SERVICE_REQUEST=10) */
  retentionYears: Record<string, number>;
  /** the most documents one archiveDocuments or purgeDocuments call handles (the rest are `remaining`) */
  batchMax: number;
  /** cron schedule (5 fields) of the scheduled purge of documents past retention without a hold */
  purgeCron: string;
  /** cron schedule of the sweep that reminds hold owners of their review date */
  holdReminderCron: string;
  /** the owner of a legal hold is reminded this many days before its review date */
  holdReminderDays: number;
}

/** RETENTION_YEARS and every RETENTION_YEARS_<TYPE> of the environment. */
function retentionYears(env: NodeJS.ProcessEnv): Record<string, number> {
  const years: Record<string, number> = {};
  for (const [name, raw] of Object.entries(env)) {
    const m = /^RETENTION_YEARS_([A-Z_]+)$/.exec(name);
    if (!m || raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of years, got "${raw}"`);
    years[m[1]] = value;
  }
  return years;
}

/** What one caller may use (enforced by src/graphql/limits.ts). */
export interface FairnessConfig {
  /** the most a single operation may be priced at */
  maxQueryCost: number;
  /** items assumed for a nested list that takes no `first` (a request's tasks, a record's entries) */
  nestedListFanout: number;
  /** a connection's page when `first` is not given */
  defaultPageSize: number;
  /** requests one caller may have in flight in one process */
  maxConcurrentPerCaller: number;
  /** mutations per second one caller may send, and the burst above it */
  mutationsPerSecond: number;
  mutationBurst: number;
  /** query cost per second one caller may spend, and the burst above it */
  costPerSecond: number;
  costBurst: number;
}

/** WebSocket subscriptions (enforced by src/graphql/websocket.ts). */
export interface SubscriptionsConfig {
  /** subscriptions one caller may hold at once in one process */
  maxPerCaller: number;
  /** events one subscription may have waiting before it is ended as too slow */
  maxQueue: number;
  /** ping interval (ms); a client that does not answer within it is dropped */
  keepAliveMs: number;
}

export interface JobsConfig {
  /** run jobs and relay the outbox in this process; the outbox is written either way */
  enabled: boolean;
  /** jobs this process runs at once */
  concurrency: number;
  /** outbox rows the relay consumes per transaction (src/jobs/outbox-relay.ts) */
  outboxBatchSize: number;
  /** how often the relay looks for due outbox rows without being woken by a commit, ms */
  outboxPollMs: number;
  /** how long the relay waits after a commit woke it, gathering the commits that follow into the same batch, ms */
  outboxGatherMs: number;
  /** cron schedule (5 fields) of the sweep that moves expired access grants to EXPIRED */
  grantExpiryCron: string;
  /** cron schedule of the monthly service reports' generation (last month's, per department) */
  monthlyReportsCron: string;
  /** cron schedule of the compaction of the statistics' daily roll-ups (their change rows moved into days) */
  kpiRollupCron: string;
  /** cron schedule of the monthly processing of returned old parts and supplier claims (last month's) */
  oldPartsCron: string;
  /** signed webhook deliveries (src/jobs/webhooks.ts) */
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /** HTTP attempts per delivery before it is FAILED (the first one included) */
  maxAttempts: number;
  /** the wait before the second attempt; each further one doubles it (base × 2^(n−1)) */
  backoffMs: number;
  /** the longest wait between two attempts, however many came before */
  maxBackoffMs: number;
  /** an attempt that has no answer by then fails (and is retried) */
  timeoutMs: number;
}

function flag(name: string, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(on|true|1|yes)$/i.test(raw)) return true;
  if (/^(off|false|0|no)$/i.test(raw)) return false;
  throw new Error(`${name} must be on or off, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    production,
    port: int('PORT', 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseApp: { url: env.DATABASE_APP_URL || undefined, user: env.DATABASE_APP_USER || 'sdd_api', password: env.DATABASE_APP_PASSWORD || undefined },
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    consoleDir: path.resolve(env.CONSOLE_DIR || path.join('dist', 'console')),
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54329),
    timezone: env.BUSINESS_TIMEZONE || 'Asia/Shanghai',
    executiveThreshold: num('EXECUTIVE_THRESHOLD', 50_000),
    repairWarrantyDays: wholeDays('REPAIR_WARRANTY_DAYS', 90),
    maxPageSize: int('MAX_PAGE_SIZE', 100),
    defaultPageSize: int('DEFAULT_PAGE_SIZE', 20),
    maxBodyBytes: int('MAX_BODY_BYTES', 1_000_000),
    tokenCacheMs: int('TOKEN_CACHE_MS', 30_000),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    seedDemoData: env.SEED_DEMO_DATA !== 'false',
    jobs: {
      enabled: flag('JOBS', true, env),
      concurrency: int('JOBS_CONCURRENCY', 2),
      outboxBatchSize: int('OUTBOX_BATCH_SIZE', 100),
      outboxPollMs: int('OUTBOX_POLL_MS', 1_000),
      outboxGatherMs: int('OUTBOX_GATHER_MS', 10),
      grantExpiryCron: env.GRANT_EXPIRY_CRON || '* * * * *',
      monthlyReportsCron: env.MONTHLY_REPORTS_CRON || '0 1 1 * *',
      kpiRollupCron: env.KPI_ROLLUP_CRON || '* * * * *',
      oldPartsCron: env.OLD_PARTS_CRON || '0 2 1 * *',
      webhooks: {
        maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 8),
        backoffMs: int('WEBHOOK_BACKOFF_MS', 10_000),
        maxBackoffMs: int('WEBHOOK_MAX_BACKOFF_MS', 3_600_000),
        timeoutMs: int('WEBHOOK_TIMEOUT_MS', 5_000),
      },
    },
    limits: {
      maxDepth: int('GRAPHQL_MAX_DEPTH', 12),
      maxAliases: int('GRAPHQL_MAX_ALIASES', 15),
      maxTokens: int('GRAPHQL_MAX_TOKENS', 2000),
      maxDirectives: int('GRAPHQL_MAX_DIRECTIVES', 20),
      maxCost: int('GRAPHQL_MAX_COST', 20000),
    },
    fairness: {
      maxQueryCost: int('GRAPHQL_MAX_PRICE', 50_000),
      nestedListFanout: int('GRAPHQL_NESTED_LIST_FANOUT', 10),
      defaultPageSize: int('DEFAULT_PAGE_SIZE', 20),
      maxConcurrentPerCaller: int('MAX_CONCURRENT_PER_CALLER', 8),
      mutationsPerSecond: num('MUTATIONS_PER_SECOND', 20),
      mutationBurst: int('MUTATION_BURST', 100),
      costPerSecond: num('QUERY_COST_PER_SECOND', 20_000),
      costBurst: int('QUERY_COST_BURST', 200_000),
    },
    subscriptions: {
      maxPerCaller: int('MAX_SUBSCRIPTIONS_PER_CALLER', 5),
      maxQueue: int('SUBSCRIPTION_MAX_QUEUE', 1_000),
      keepAliveMs: int('WEBSOCKET_KEEPALIVE_MS', 12_000),
    },
    statementTimeoutMs: int('STATEMENT_TIMEOUT_MS', 10_000),
    maxResponseBytes: int('MAX_RESPONSE_BYTES', 5_000_000),
    compiledReads: { enabled: env.COMPILED_READS !== 'off', perRequestSwitch: env.NODE_ENV === 'test' },
    clock: () => new Date(),
    deadlines: loadDeadlineSettings(env),
    exports: {
      maxConcurrent: int('EXPORTS_MAX_CONCURRENT', 4),
      batchRows: int('EXPORT_BATCH_ROWS', 500),
      statementTimeoutMs: int('EXPORT_STATEMENT_TIMEOUT_MS', 600_000),
    },
    statistics: { weights: weights(env) },
    records: {
      defaultRetentionYears: intFrom(env, 'RETENTION_YEARS', 5),
      retentionYears: retentionYears(env),
      batchMax: intFrom(env, 'RECORDS_BATCH_MAX', 100),
      purgeCron: env.RECORDS_PURGE_CRON || '30 2 * * *',
      holdReminderCron: env.LEGAL_HOLD_REMINDER_CRON || '0 * * * *',
      holdReminderDays: intFrom(env, 'LEGAL_HOLD_REMINDER_DAYS', 14),
    },
  };
}
