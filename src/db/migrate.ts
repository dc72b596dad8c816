/**
 * The schema brought up to date, as the database owner: ours (TypeORM migrations, migrations/) and graphile-worker's.
 * One routine for `npm start` (src/main.ts) and for the cluster template `npm ci` makes (scripts/build.js), so a copy
 * of the template is exactly what a start would have migrated.
 */
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { migrateJobQueue } from '../jobs/runner';

/**
 * Our pending migrations. A new database takes all of them in one transaction (less time, and a failed first start
 * leaves nothing half made); a database in use takes each pending one in its own, as it always has.
 */
export async function runOwnMigrations(owner: DataSource): Promise<string[]> {
  const [{ fresh }] = await owner.query(`SELECT to_regclass('public.migrations') IS NULL AS fresh`);
  const applied = await owner.runMigrations({ transaction: fresh ? 'all' : 'each' });
  return applied.map((m) => m.name);
}

/** Both schemas, for a database nobody else uses yet (the cluster template). */
export async function migrateNewDatabase(ownerUrl: string, log?: Logger): Promise<string[]> {
  const owner = createDataSource(ownerUrl, { role: null, poolSize: 1 });
  await owner.initialize();
  try {
    const applied = await runOwnMigrations(owner);
    await migrateJobQueue(ownerUrl, log);
    return applied;
  } finally {
    await owner.destroy();
  }
}
