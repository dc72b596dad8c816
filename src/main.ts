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
import { isSeeded, seedDemoData } from './db/seed';
import { startApi, type Api } from './app';
import { migrateJobQueue } from './jobs/runner';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
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
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let url = config.databaseUrl;
  if (!url) {
    log.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, persistent: true, log: (l) => log.debug(l) });
    url = withDatabase(embedded.url, 'postgres');
  }
  // migrations run as the database owner; the API itself runs as the app role (append-only audit trail)
  const owner = createDataSource(url, { role: null, poolSize: 1 });
  await owner.initialize();
  const applied = await owner.runMigrations({ transaction: 'each' });
  await owner.destroy();
  if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  // graphile-worker's own schema, also as the owner; needed even with JOBS=off (every event queues its outbox job)
  await migrateJobQueue(url, log);
  dataSource = createDataSource(url);
  await dataSource.initialize();

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

  try {
    api = await startApi(dataSource, config, log);
  } catch (error) {
    // leave no orphaned database behind a server that could not listen
    await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  console.log(`\nService Document Desk is serving ${api.url}\n`);
}

main().catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') console.error(`failed to start: port ${loadConfig().port} is in use (set PORT)`);
  else console.error('failed to start:', error.message ?? error);
  process.exit(1);
});
