import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #11: the KPI statements under a second at 1,000,000 requests (bench/kpi.ts measures them). Written by hand:
 * the indexes are declared on their entities with synchronize: false, as Statistics1795800001000's are.
 *
 * - a GIN index on service_task.helper_ids: a technician's scope (their tasks: assignee or helper, the policies'
 *   `workingOnTask`, written `helper_ids @> ARRAY[worker]`) is then a BitmapOr of two index scans instead of a
 *   scan of every task, on every read path and in every KPI statement of a technician;
 * - deadlines met in a period, per document type: the deadline statement joins each type's deadlines to their
 *   documents (the documents' own scope applies there), reading only that type's deadlines of the period.
 */
export class KpiSpeed1795800004000 implements MigrationInterface {
  name = 'KpiSpeed1795800004000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_service_task_helpers" ON "service_task" USING gin ("helper_ids")`);
    await q.query(`CREATE INDEX "ix_deadline_type_met_kpi" ON "deadline" ("document_type", "met_at") INCLUDE ("document_id", "kind", "due_at", "met_by_event") WHERE "met_at" IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_deadline_type_met_kpi"`);
    await q.query(`DROP INDEX "ix_service_task_helpers"`);
  }
}
