import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessRequests1795468560538 implements MigrationInterface {
  name = 'AccessRequests1795468560538';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "access_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "target_kind" text NOT NULL, "document_type" text, "document_id" uuid, "department_id" uuid, "owning_department_id" uuid, "purpose" text NOT NULL, "requested_days" integer NOT NULL, "granted_until" TIMESTAMP WITH TIME ZONE, "decision_reason" text, "decided_by_id" uuid, CONSTRAINT "UQ_b4182b28e2e451134ebbccb09d5" UNIQUE ("number"), CONSTRAINT "PK_a543250cab0b6d2eb3a85593d93" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_83fd3b7a7b69c9df9426c81b7e" ON "access_request"  ("owning_department_id") `);
    await queryRunner.query(`CREATE INDEX "ix_access_request_active_grants" ON "access_request"  ("created_by_id", "state", "granted_until") `);
    await queryRunner.query(`CREATE TABLE "access_log_entry" ("id" BIGSERIAL NOT NULL, "access_request_id" uuid NOT NULL, "reader_id" uuid NOT NULL, "document_type" text NOT NULL, "document_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "request_id" text, CONSTRAINT "PK_74f816949105fc3145ad45ca8cd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_39111bebb445e6939cddb9d858" ON "access_log_entry"  ("access_request_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_78ddff7b9fe702a2ae453edf62" ON "access_log_entry"  ("document_id") `);
    await queryRunner.query(`ALTER TABLE "access_request" ADD CONSTRAINT "FK_1988ddad18da5f7cc78c5a6ee14" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    // the read log is evidence, like the audit trail: the app role may only append to it
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON access_log_entry FROM sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "access_request" DROP CONSTRAINT "FK_1988ddad18da5f7cc78c5a6ee14"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_78ddff7b9fe702a2ae453edf62"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_39111bebb445e6939cddb9d858"`);
    await queryRunner.query(`DROP TABLE "access_log_entry"`);
    await queryRunner.query(`DROP INDEX "public"."ix_access_request_active_grants"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_83fd3b7a7b69c9df9426c81b7e"`);
    await queryRunner.query(`DROP TABLE "access_request"`);
  }
}
