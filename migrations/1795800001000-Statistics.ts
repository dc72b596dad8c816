import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #11 item 4: statistics and KPIs (src/statistics). Written by hand (technician_rating is read and
 * written with SQL, not a TypeORM entity).
 *
 * - technician_rating: a supervisor's monthly rating of a technician's attitude and ability (1–5), one per
 *   technician and month, with who and when. Append-only for the app: a rating is final once given.
 * - indexes for the KPI statements, each on the instant that puts a row in a period, carrying (INCLUDE) the
 *   columns the statement groups or filters by, so a month of a million requests is read from the index alone
 *   (bench/kpi.ts measures them and prints the plans).
 */
export class Statistics1795800001000 implements MigrationInterface {
  name = 'Statistics1795800001000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "technician_rating" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "technician_id" uuid NOT NULL REFERENCES "app_user"("id"),
      "department_id" uuid NOT NULL REFERENCES "department"("id"),
      "month" date NOT NULL CHECK (extract(day FROM "month") = 1),
      "attitude" smallint NOT NULL CHECK ("attitude" BETWEEN 1 AND 5),
      "ability" smallint NOT NULL CHECK ("ability" BETWEEN 1 AND 5),
      "comment" text,
      "rated_by_id" uuid NOT NULL REFERENCES "app_user"("id"),
      "rated_by_name" text NOT NULL,
      "rated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "request_id" text,
      CONSTRAINT "PK_technician_rating" PRIMARY KEY ("id"),
      CONSTRAINT "uq_technician_rating_month" UNIQUE ("technician_id", "month"))`);
    await q.query(`CREATE INDEX "ix_technician_rating_month" ON "technician_rating" ("month", "technician_id")`);
    await q.query(`GRANT SELECT, INSERT ON "technician_rating" TO sdd_app`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "technician_rating" FROM sdd_app`);

    // requests received in a period, by bucket and dimension
    await q.query(`CREATE INDEX "ix_service_request_submitted_kpi" ON "service_request" ("submitted_at") INCLUDE ("category", "service_type", "channel", "target_department_id", "customer_id") WHERE "submitted_at" IS NOT NULL`);
    // services completed in a period: turnaround, error, first-time success and return-visit rates
    await q.query(`CREATE INDEX "ix_service_request_closed_kpi" ON "service_request" ("closed_at") INCLUDE ("state", "submitted_at", "return_visit_at", "target_department_id", "customer_id", "service_type", "cancellation_reason", "rejection_reason") WHERE "closed_at" IS NOT NULL`);
    // the satisfaction survey (return visits) recorded in a period
    await q.query(`CREATE INDEX "ix_service_request_return_visit_kpi" ON "service_request" ("return_visit_at") INCLUDE ("return_visit_satisfaction", "target_department_id", "customer_id", "service_type") WHERE "return_visit_at" IS NOT NULL`);
    // acceptance rounds decided in a period; failed rounds of a request or task
    await q.query(`CREATE INDEX "ix_service_acceptance_signed_kpi" ON "service_acceptance" ("signed_at") INCLUDE ("state", "round", "satisfaction", "department_id", "customer_id", "request_id", "task_id") WHERE "signed_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_service_acceptance_failed_request" ON "service_acceptance" ("request_id") WHERE "state" = 'FAILED'`);
    await q.query(`CREATE INDEX "ix_service_acceptance_failed_task" ON "service_acceptance" ("task_id") WHERE "state" = 'FAILED'`);
    // complaints received and resolved in a period; consultations received
    await q.query(`CREATE INDEX "ix_complaint_created_kpi" ON "complaint" ("created_at")`);
    await q.query(`CREATE INDEX "ix_complaint_resolved_kpi" ON "complaint" ("resolved_at") WHERE "resolved_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_consultation_created_kpi" ON "consultation" ("created_at")`);
    // deadlines met in a period (on-time rates, timeliness)
    await q.query(`CREATE INDEX "ix_deadline_met_kpi" ON "deadline" ("met_at") INCLUDE ("kind", "due_at", "document_type", "document_id", "met_by_event") WHERE "met_at" IS NOT NULL`);
    // records submitted in a period; a technician's tasks completed in a period (scorecard)
    await q.query(`CREATE INDEX "ix_service_record_submitted_kpi" ON "service_record" ("submitted_at") WHERE "submitted_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_service_task_assignee_completed" ON "service_task" ("assignee_id", "completed_at") WHERE "completed_at" IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const ix of [
      'ix_service_task_assignee_completed',
      'ix_service_record_submitted_kpi',
      'ix_deadline_met_kpi',
      'ix_consultation_created_kpi',
      'ix_complaint_resolved_kpi',
      'ix_complaint_created_kpi',
      'ix_service_acceptance_failed_task',
      'ix_service_acceptance_failed_request',
      'ix_service_acceptance_signed_kpi',
      'ix_service_request_return_visit_kpi',
      'ix_service_request_closed_kpi',
      'ix_service_request_submitted_kpi',
    ]) {
      await q.query(`DROP INDEX "${ix}"`);
    }
    await q.query(`DROP TABLE "technician_rating"`);
  }
}
