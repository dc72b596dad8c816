/**
 * The job runner: graphile-worker, in-process with the API.
 *
 * Why graphile-worker (0.16, the last line for Node 20): a job is queued with
 * SQL (graphile_worker.add_job) inside our own transaction, so it exists
 * exactly when the event that caused it committed; workers take jobs with
 * SKIP LOCKED, so any number of API processes may run them; LISTEN/NOTIFY wakes
 * a worker as soon as a job commits; and its cron records each tick in
 * known_crontabs, so a tick is scheduled once however many processes run it.
 *
 * Its schema (graphile_worker.*) is installed by migrateJobQueue, as the
 * database owner, right after our own migrations. Its tables have row-level
 * security without policies, so only their owner may touch them, and run()
 * checks (and would apply) its schema migrations on every start: the runner's
 * few connections therefore log in as the owner (ownerUrl), not as the API's
 * login, and only ever run graphile-worker's own SQL on graphile_worker.*. The
 * tasks do their work through the API's DataSource and engine (login sdd_api,
 * role sdd_app). The API's own transactions never touch the queue's tables: the outbox is relayed
 * from its own table (src/jobs/outbox-relay.ts), and webhook deliveries queue through webhook_enqueue
 * (SECURITY DEFINER).
 */
import { Pool, type PoolConfig } from 'pg';
import { Logger as WorkerLogger, parseCrontab, run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { JobsConfig, RecordsConfig } from '../config';
import { purgeDue, remindHolds } from '../records/records';
import { SYSTEM_CALLER } from '../auth/roles';
import type { WorkflowEngine } from '../workflow/engine';
import { expireAccessGrants } from '../documents/access-request/access-request.expiry';
import { generateMonthlyReports } from '../documents/service-report/service-report.generation';
import { processOldParts } from '../documents/supplier-claim/supplier-claim.processing';
import { OUTBOX_TASK, processOutboxEvent } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { attemptDelivery, WEBHOOK_DELIVERY_TASK } from './webhooks/delivery';
import { escalateBreaches } from '../time/escalations';
import type { DeadlineSettings } from '../time/settings';

export const GRANT_EXPIRY_TASK = 'expire_access_grants';
export const DEADLINE_BREACH_TASK = 'escalate_breached_deadlines';
export const MONTHLY_REPORTS_TASK = 'generate_monthly_service_reports';
export const OLD_PARTS_TASK = 'process_old_parts_monthly';
export const RECORDS_PURGE_TASK = 'purge_expired_records';
export const HOLD_REMINDER_TASK = 'remind_legal_holds';
export const KPI_ROLLUP_TASK = 'compact_kpi_rollups';

export interface JobRunner {
  stop(): Promise<void>;
}

export interface JobRunnerOptions {
  /** the API's DataSource (login sdd_api, role sdd_app): the tasks use it and the engine */
  dataSource: DataSource;
  /** the owner's URL, for graphile-worker's own connections (its tables answer only their owner) */
  ownerUrl: string;
  engine: WorkflowEngine;
  log: Logger;
  config: JobsConfig;
  /** the API's clock (the engine's): the breach sweep judges by it */
  clock: () => Date;
  /**
   * records control: the schedules of the purge and the hold reminders (absent: not scheduled); the retention
   * periods are settings, read from the engine's policy at each tick
   */
  records?: RecordsConfig;
  /** subscribes to every outbox row's commit (the outbox feed): the relay drains at once instead of at its next poll */
  onOutboxCommit?: (wake: () => void) => () => void;
}

/** graphile-worker's log lines, through pino */
function workerLogger(log: Logger): WorkerLogger {
  const levels: Record<string, 'error' | 'warn' | 'info' | 'debug'> = { error: 'error', warning: 'warn', info: 'info', debug: 'debug' };
  return new WorkerLogger((scope) => (level, message, meta) => log[levels[level as string] ?? 'info']({ ...scope, ...meta }, message));
}

/**
 * Installs or upgrades graphile-worker's schema. Run as the database owner,
 * after our own migrations, in every process that serves the API (with JOBS=off
 * too: every event queues its outbox job). Idempotent; a no-op when current.
 */
export async function migrateJobQueue(ownerUrl: string, log?: Logger): Promise<void> {
  const pgPool = new Pool({ connectionString: ownerUrl, max: 1 });
  try {
    await runMigrations({ pgPool, ...(log ? { logger: workerLogger(log.child({ component: 'jobs' })) } : {}) });
  } finally {
    await pgPool.end();
  }
}

/** The crontab: one line per timer. ?fill catches up a tick missed while no process ran; the job key folds caught-up ticks into one job. */
export function crontab(config: JobsConfig, deadlines: Pick<DeadlineSettings, 'breachCron'>, records?: Pick<RecordsConfig, 'purgeCron' | 'holdReminderCron'>): string {
  return [
    `${config.grantExpiryCron} ${GRANT_EXPIRY_TASK} ?fill=5m&jobKey=${GRANT_EXPIRY_TASK}`,
    `${deadlines.breachCron} ${DEADLINE_BREACH_TASK} ?fill=5m&jobKey=${DEADLINE_BREACH_TASK}`,
    // a day's fill: a month's report is still drawn up when no process ran at the tick
    `${config.monthlyReportsCron} ${MONTHLY_REPORTS_TASK} ?fill=1d&jobKey=${MONTHLY_REPORTS_TASK}`,
    // no fill: one compaction moves every change row there is, however many ticks were missed
    `${config.kpiRollupCron} ${KPI_ROLLUP_TASK} ?jobKey=${KPI_ROLLUP_TASK}`,
    // the same for last month's returned old parts and supplier claims (once per month however often it runs)
    `${config.oldPartsCron} ${OLD_PARTS_TASK} ?fill=1d&jobKey=${OLD_PARTS_TASK}`,
    ...(records
      ? [`${records.purgeCron} ${RECORDS_PURGE_TASK} ?fill=1h&jobKey=${RECORDS_PURGE_TASK}`, `${records.holdReminderCron} ${HOLD_REMINDER_TASK} ?fill=1h&jobKey=${HOLD_REMINDER_TASK}`]
      : []),
  ].join('\n');
}

export async function startJobRunner({ dataSource, ownerUrl, engine, log, config, clock, records, onOutboxCommit }: JobRunnerOptions): Promise<JobRunner> {
  const jobLog = log.child({ component: 'jobs' });
  const { connectionTimeoutMillis } = ((dataSource.options as { extra?: PoolConfig }).extra ?? {}) as PoolConfig;
  // the same server and database as the API's pool, as the owner: its own few connections, one listens
  const pgPool = new Pool({ connectionString: ownerUrl, connectionTimeoutMillis, max: config.concurrency + 2, application_name: 'service-document-desk-jobs' });
  pgPool.on('error', (err) => jobLog.warn({ err }, 'idle job runner connection failed'));
  const taskList: TaskList = {
    // jobs queued before the outbox relay (each event used to queue one): still run, the relay takes the rest
    [OUTBOX_TASK]: async (payload) => {
      const { id } = payload as { id: number | string };
      await processOutboxEvent(dataSource, String(id), { engine, log: jobLog });
    },
    [WEBHOOK_DELIVERY_TASK]: async (payload) => {
      const { id, attempt } = payload as { id: string; attempt: number };
      await attemptDelivery(dataSource, { id, attempt }, config.webhooks, jobLog);
    },
    [GRANT_EXPIRY_TASK]: async () => {
      const expired = await expireAccessGrants(dataSource, engine);
      if (expired) jobLog.info({ expired }, 'access grants expired');
    },
    [DEADLINE_BREACH_TASK]: async () => {
      const raised = await escalateBreaches(dataSource, clock(), engine.policy.current().deadlines.executiveEscalationHours);
      if (raised.supervisor || raised.executive) jobLog.info(raised, 'breached deadlines escalated');
    },
    // the statistics' daily roll-ups: change rows written by the triggers moved into their days (migration KpiRollups)
    [KPI_ROLLUP_TASK]: async () => {
      await dataSource.query(`SELECT kpi_rollup_compact()`);
    },
    [MONTHLY_REPORTS_TASK]: async () => {
      const result = await generateMonthlyReports(dataSource, engine, clock());
      jobLog.info(result, 'monthly service reports drawn up');
    },
    [OLD_PARTS_TASK]: async () => {
      const result = await processOldParts(dataSource, engine, clock());
      jobLog.info(result, 'returned old parts processed');
    },
    ...(records
      ? {
          // the scheduled purge (SPEC §5): what is archived, past retention and without a hold, as the system, a batch per tick
          [RECORDS_PURGE_TASK]: async () => {
            const sweep = await purgeDue(engine, dataSource, engine.policy.current().records, SYSTEM_CALLER, {}, { requestId: 'scheduled-purge', idempotencyKey: null });
            if (sweep.purged.length || sweep.refused.length) jobLog.info({ purged: sweep.purged.length, refused: sweep.refused.length, remaining: sweep.remaining }, 'records purged');
          },
          [HOLD_REMINDER_TASK]: async () => {
            const reminded = await remindHolds(dataSource, clock(), records.holdReminderDays);
            if (reminded) jobLog.info({ reminded }, 'legal hold owners reminded');
          },
        }
      : {}),
  };
  let runner: Runner;
  try {
    runner = await run({
      pgPool,
      taskList,
      parsedCronItems: parseCrontab(crontab(config, engine.policy.current().deadlines, records)),
      concurrency: config.concurrency,
      // the API process owns SIGINT/SIGTERM (main.ts drains, then calls stop)
      noHandleSignals: true,
      logger: workerLogger(jobLog),
    });
  } catch (error) {
    await pgPool.end();
    throw error;
  }
  // the outbox's consumers, a batch of committed rows per transaction, on the API's own connections
  const relay = new OutboxRelay(dataSource, { engine, log: log.child({ component: 'outbox-relay' }) }, { batchSize: config.outboxBatchSize, pollMs: config.outboxPollMs, gatherMs: config.outboxGatherMs });
  const unsubscribe = onOutboxCommit?.(() => relay.wake());
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      // lets running jobs and the relay's batch finish, releases the listener, then closes the pool
      unsubscribe?.();
      stopped ??= Promise.all([runner.stop(), relay.stop()]).then(() => undefined).finally(() => pgPool.end());
      return stopped;
    },
  };
}
