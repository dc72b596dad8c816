import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { withDatabase } from '../../src/db/embedded';
import { createDataSource } from '../../src/db/data-source';

const TEMPLATE_DB = 'sdd_template';

export function adminUrl(): string {
  const url = process.env.SDD_TEST_PG_URL;
  if (!url) throw new Error('SDD_TEST_PG_URL is not set: run the tests through jest (globalSetup starts PostgreSQL)');
  return url;
}

/** A fresh, migrated database for one test file, cloned from the template. */
export async function createTestDatabase(): Promise<{ url: string; name: string }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
  return { url: withDatabase(adminUrl(), name), name };
}

/** A fresh database, seen as the app sees it (role sdd_app) and as its owner (for what the app may not do). */
export async function openTestDataSources(): Promise<{ app: DataSource; owner: DataSource; url: string }> {
  const { url } = await createTestDatabase();
  const app = createDataSource(url, { poolSize: 20 });
  const owner = createDataSource(url, { role: null, poolSize: 2 });
  await Promise.all([app.initialize(), owner.initialize()]);
  return { app, owner, url };
}
