import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #11: the KPI statements under a second at 1,000,000 requests (bench/kpi.ts measures them). Written by hand:
 * the indexes are declared on their entities with synchronize: false, as Statistics1795800001000's are.
 *
 * - a GIN index on service_task.helper_ids: a technician's scope (their tasks: assignee or helper, the policies'
 *   `workingOnTask`, written `helper_ids @> ARRAY[worker]`) is then a BitmapOr of two index scans instead of a
 *   scan of every task, on every read path and in every KPI statement of a technician.
 * The deadlines' copies of their documents' scope columns are DeadlineScopeCopies1795800004001.
 */
export class KpiSpeed1795800004000 implements MigrationInterface {
  name = 'KpiSpeed1795800004000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_service_task_helpers" ON "service_task" USING gin ("helper_ids")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_service_task_helpers"`);
  }
}
