import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { withDatabase } from '../../src/db/embedded';
import { createDataSource } from '../../src/db/data-source';
import { API_LOGIN, urlFor } from '../../src/db/api-login';

const TEMPLATE_DB = 'sdd_template';

export function adminUrl(): string {
  const url = process.env.SDD_TEST_PG_URL;
  if (!url) throw new Error('SDD_TEST_PG_URL is not set: run the tests through jest (globalSetup starts PostgreSQL)');
  return url;
}

/** the API login's password (made by globalSetup, as main.ts makes it) */
export function appPassword(): string {
  const password = process.env.SDD_TEST_APP_PASSWORD;
  if (!password) throw new Error('SDD_TEST_APP_PASSWORD is not set: run the tests through jest (globalSetup makes the API login)');
  return password;
}

/** A fresh, migrated database for one test file, cloned from the template: `url` logs in as the owner, `appUrl` as the API's login (sdd_api). */
export async function createTestDatabase(): Promise<{ url: string; appUrl: string; name: string }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(adminUrl(), name);
  return { url, appUrl: urlFor(url, { user: API_LOGIN, password: appPassword() }), name };
}

/** A fresh database, seen as the app sees it (login sdd_api, role sdd_app) and as its owner (for what the app may not do). */
export async function openTestDataSources(): Promise<{ app: DataSource; owner: DataSource; url: string; appUrl: string }> {
  const { url, appUrl } = await createTestDatabase();
  const app = createDataSource(appUrl, { poolSize: 20 });
  const owner = createDataSource(url, { role: null, poolSize: 2 });
  await Promise.all([app.initialize(), owner.initialize()]);
  return { app, owner, url, appUrl };
}
