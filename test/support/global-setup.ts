/**
 * Starts one embedded PostgreSQL for the whole run, migrates a template
 * database once, and hands its URL to the test files (each clones the
 * template into a database of its own).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { startEmbeddedPostgres, withDatabase } from '../../src/db/embedded';
import { createDataSource } from '../../src/db/data-source';
import { migrateJobQueue } from '../../src/jobs/runner';
import { API_LOGIN, ensureApiLogin, urlFor } from '../../src/db/api-login';

export const TEMPLATE_DB = 'sdd_template';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-test-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  const admin = createDataSource(pg.url, { role: null });
  await admin.initialize();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.destroy();
  const template = createDataSource(withDatabase(pg.url, TEMPLATE_DB), { role: null });
  await template.initialize();
  await template.runMigrations({ transaction: 'each' });
  await template.destroy();
  // graphile-worker's schema too, as main.ts installs it (the timers and webhook deliveries run on it)
  await migrateJobQueue(withDatabase(pg.url, TEMPLATE_DB));
  // the API's own login, as main.ts makes it (roles belong to the server: one for every test database)
  await ensureApiLogin(withDatabase(pg.url, TEMPLATE_DB), urlFor(withDatabase(pg.url, TEMPLATE_DB), { user: API_LOGIN, password: pg.apiPassword }));
  process.env.SDD_TEST_PG_URL = pg.url;
  process.env.SDD_TEST_APP_PASSWORD = pg.apiPassword;
  (globalThis as Record<string, unknown>).__SDD_PG__ = { pg, dir };
}
