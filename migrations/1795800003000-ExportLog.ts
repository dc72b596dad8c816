import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The export log (SPEC §7 confidentiality): one row per export given out, written before its first byte.
 * Append-only for the application: sdd_app may INSERT and SELECT, never UPDATE or DELETE (the default
 * privileges of AuditAppendOnly would grant those, so they are revoked here).
 */
export class ExportLog1795800003000 implements MigrationInterface {
  name = 'ExportLog1795800003000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "export_log_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL, "user_id" uuid NOT NULL, "user_name" text NOT NULL, "roles" text array NOT NULL, "export_name" text NOT NULL, "document_type" text, "parameters" jsonb NOT NULL DEFAULT '{}', "purpose" text NOT NULL, "row_count" integer NOT NULL, "request_id" text, CONSTRAINT "PK_14e129bcbc5aeb40a3c0ea3669a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_export_log_at" ON "export_log_entry"  ("at", "id") `);
    await queryRunner.query(`REVOKE ALL ON "export_log_entry" FROM sdd_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "export_log_entry" TO sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_export_log_at"`);
    await queryRunner.query(`DROP TABLE "export_log_entry"`);
  }
}
