import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Periodic service reports and plans (SPEC §3.9). One live report per kind, period, department and customer
 * group: a partial unique index (a cancelled report frees its slot; the creation takes an advisory lock and its
 * guard refuses a duplicate, so the index is the last line, not the refusal). The API's role reads and writes
 * the table, as for every document table.
 */
export class ServiceReports1795800002000 implements MigrationInterface {
  name = 'ServiceReports1795800002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "service_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" text NOT NULL, "year" integer NOT NULL, "month" integer, "half" integer, "period_from" date NOT NULL, "period_to" date NOT NULL, "department_id" uuid NOT NULL, "customer_ids" uuid array NOT NULL DEFAULT '{}', "customer_group_name" text, "customer_group_key" text NOT NULL DEFAULT '', "title" text, "summary" text, "figures" jsonb, "figures_as_of" TIMESTAMP WITH TIME ZONE, "plan_items" jsonb NOT NULL DEFAULT '[]', "approval_round" integer NOT NULL DEFAULT '0', "submitted_by_id" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE, "reviewed_by_id" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE, "issued_by_id" uuid, "issued_at" TIMESTAMP WITH TIME ZONE, "send_back_reason" text, "cancellation_reason" text, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_18db9a8d91575a95666010275fa" UNIQUE ("number"), CONSTRAINT "PK_73190d6cbf1f1f1292c83090602" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_service_report_period" ON "service_report"  ("kind", "period_from", "department_id", "customer_group_key") WHERE "cancelled_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "ix_service_report_department_state_created" ON "service_report"  ("department_id", "state", "created_at") `);
    await queryRunner.query(`ALTER TABLE "service_report" ADD CONSTRAINT "FK_cc1a250cf1b3e4bad5a46ca896f" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_report" ADD CONSTRAINT "FK_5b7fc3c9fa78d1b9f503c87dc03" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "service_report" TO sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_report" DROP CONSTRAINT "FK_5b7fc3c9fa78d1b9f503c87dc03"`);
    await queryRunner.query(`ALTER TABLE "service_report" DROP CONSTRAINT "FK_cc1a250cf1b3e4bad5a46ca896f"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_report_department_state_created"`);
    await queryRunner.query(`DROP INDEX "public"."uq_service_report_period"`);
    await queryRunner.query(`DROP TABLE "service_report"`);
  }
}
