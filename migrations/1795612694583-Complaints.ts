import { MigrationInterface, QueryRunner } from 'typeorm';

/** 投訴 (SPEC §3.5): the complaint table, its list and statistics indexes, and its links to customer, request, department and users. */

export class Complaints1795612694583 implements MigrationInterface {
  name = 'Complaints1795612694583';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "complaint" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "customer_id" uuid NOT NULL, "channel" text NOT NULL, "subject" text NOT NULL, "description" text NOT NULL, "request_id" uuid, "category" text, "severity" text, "classified_at" TIMESTAMP WITH TIME ZONE, "internal_note" text, "department_id" uuid, "assigned_at" TIMESTAMP WITH TIME ZONE, "resolution_due_at" TIMESTAMP WITH TIME ZONE, "investigation_started_at" TIMESTAMP WITH TIME ZONE, "cause" text, "responsibility" text, "remedy" text, "compensation_amount" numeric(14,2), "resolved_by_id" uuid, "resolution_proposed_at" TIMESTAMP WITH TIME ZONE, "approval_round" integer NOT NULL DEFAULT '0', "rejection_reason" text, "resolved_at" TIMESTAMP WITH TIME ZONE, "notified_via" text, "notification_note" text, "notified_at" TIMESTAMP WITH TIME ZONE, "first_response_at" TIMESTAMP WITH TIME ZONE, "customer_confirmed_at" TIMESTAMP WITH TIME ZONE, "unsatisfied_reason" text, "reopen_count" integer NOT NULL DEFAULT '0', "follow_up_note" text, "satisfaction" text, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_0b888ed2fd6800daf0ebdf568b1" UNIQUE ("number"), CONSTRAINT "PK_a9c8dbc2ab4988edcc2ff0a7337" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_005fb583d231b267d3bbd6cef9" ON "complaint"  ("request_id") `);
    await queryRunner.query(`CREATE INDEX "ix_complaint_department_state_created" ON "complaint"  ("department_id", "state", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_complaint_state_created" ON "complaint"  ("state", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_complaint_customer_created" ON "complaint"  ("customer_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_fc082348156ff3fc4ae28e0209e" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_005fb583d231b267d3bbd6cef9e" FOREIGN KEY ("request_id") REFERENCES "service_request"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_7b1dd465c62ba742a427a65a09d" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_6abb4ad5fae09b7cd47ecaf69dc" FOREIGN KEY ("resolved_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_dc463d780e3a5c0831a3173d322" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    // the default privileges of AuditAppendOnly cover tables made by the same owner; say it explicitly in case another role migrates
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "complaint" TO sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_dc463d780e3a5c0831a3173d322"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_6abb4ad5fae09b7cd47ecaf69dc"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_7b1dd465c62ba742a427a65a09d"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_005fb583d231b267d3bbd6cef9e"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_fc082348156ff3fc4ae28e0209e"`);
    await queryRunner.query(`DROP INDEX "public"."ix_complaint_customer_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_complaint_state_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_complaint_department_state_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_005fb583d231b267d3bbd6cef9"`);
    await queryRunner.query(`DROP TABLE "complaint"`);
  }
}
