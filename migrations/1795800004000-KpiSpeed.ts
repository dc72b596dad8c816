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
/** Statistics1795800001000's period indexes of service_request, before and after this migration (with "id") */
const REQUEST_INDEXES: Record<string, { before: string; now: string }> = {
  ix_service_request_submitted_kpi: {
    before: `("submitted_at") INCLUDE ("category", "service_type", "channel", "target_department_id", "customer_id") WHERE "submitted_at" IS NOT NULL`,
    now: `("submitted_at") INCLUDE ("id", "category", "service_type", "channel", "target_department_id", "customer_id") WHERE "submitted_at" IS NOT NULL`,
  },
  ix_service_request_closed_kpi: {
    before: `("closed_at") INCLUDE ("state", "submitted_at", "return_visit_at", "target_department_id", "customer_id", "service_type", "cancellation_reason", "rejection_reason") WHERE "closed_at" IS NOT NULL`,
    now: `("closed_at") INCLUDE ("id", "state", "submitted_at", "return_visit_at", "target_department_id", "customer_id", "service_type", "cancellation_reason", "rejection_reason") WHERE "closed_at" IS NOT NULL`,
  },
  ix_service_request_return_visit_kpi: {
    before: `("return_visit_at") INCLUDE ("return_visit_satisfaction", "target_department_id", "customer_id", "service_type") WHERE "return_visit_at" IS NOT NULL`,
    now: `("return_visit_at") INCLUDE ("id", "return_visit_satisfaction", "target_department_id", "customer_id", "service_type") WHERE "return_visit_at" IS NOT NULL`,
  },
};

/** the period indexes of a department's rows, as the figures' statements read them for a supervisor */
const DEPARTMENT_INDEXES: Record<string, string> = {
  ix_service_request_department_submitted_kpi: `"service_request" ("target_department_id", "submitted_at") INCLUDE ("id", "category", "service_type", "channel", "customer_id") WHERE "submitted_at" IS NOT NULL`,
  ix_service_request_department_closed_kpi: `"service_request" ("target_department_id", "closed_at") INCLUDE ("id", "state", "submitted_at", "return_visit_at", "customer_id", "service_type", "cancellation_reason", "rejection_reason") WHERE "closed_at" IS NOT NULL`,
  ix_service_request_department_return_visit_kpi: `"service_request" ("target_department_id", "return_visit_at") INCLUDE ("id", "return_visit_satisfaction", "customer_id", "service_type") WHERE "return_visit_at" IS NOT NULL`,
  ix_service_acceptance_department_signed_kpi: `"service_acceptance" ("department_id", "signed_at") INCLUDE ("state", "round", "satisfaction", "customer_id", "request_id", "task_id") WHERE "signed_at" IS NOT NULL`,
};

export class KpiSpeed1795800004000 implements MigrationInterface {
  name = 'KpiSpeed1795800004000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_service_task_helpers" ON "service_task" USING gin ("helper_ids")`);
    // a task's assignee by its id, read from the index alone: the scorecards' acceptances of each technician's tasks
    await q.query(`CREATE INDEX "ix_service_task_id_assignee" ON "service_task" ("id") INCLUDE ("assignee_id")`);
    // the service-type filter's semi-join to the requests (documents that follow their request), from the index alone
    await q.query(`CREATE INDEX "ix_service_request_type_kpi" ON "service_request" ("service_type", "id")`);
    // a department's period (a supervisor, a department filter): its own range instead of the whole period filtered
    for (const [name, def] of Object.entries(DEPARTMENT_INDEXES)) await q.query(`CREATE INDEX "${name}" ON ${def}`);
    // the requests' period indexes also carry the request's id: a scope or filter that looks further (a technician's
    // tasks, failed rounds) joins from the index alone instead of fetching each row of the period from the table
    for (const [name, def] of Object.entries(REQUEST_INDEXES)) {
      await q.query(`DROP INDEX "${name}"`);
      await q.query(`CREATE INDEX "${name}" ON "service_request" ${def.now}`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const name of Object.keys(DEPARTMENT_INDEXES)) await q.query(`DROP INDEX "${name}"`);
    for (const [name, def] of Object.entries(REQUEST_INDEXES)) {
      await q.query(`DROP INDEX "${name}"`);
      await q.query(`CREATE INDEX "${name}" ON "service_request" ${def.before}`);
    }
    await q.query(`DROP INDEX "ix_service_request_type_kpi"`);
    await q.query(`DROP INDEX "ix_service_task_id_assignee"`);
    await q.query(`DROP INDEX "ix_service_task_helpers"`);
  }
}
