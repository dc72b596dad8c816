import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 items 5 and 6: the write-off of warranty parts (columns on parts_requisition), the monthly processing of
 * returned old parts (old_part_batch, old_part_batch_item), supplier claims (supplier_claim, SC) and the
 * communication log (communication_log_entry, append-only for the application).
 *
 * service_record.customer_signed_at is the customer's sign-off that the service-record branch (H1) adds; the
 * write-off reads it, so this migration adds it too, IF NOT EXISTS, and leaves it to that migration on the way down.
 */
export class ReplacedPartsCommunications1796000300000 implements MigrationInterface {
  name = 'ReplacedPartsCommunications1796000300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "old_part_batch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "period_from" date NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "item_count" integer NOT NULL, "claim_count" integer NOT NULL, CONSTRAINT "ux_old_part_batch_period" UNIQUE ("period_from"), CONSTRAINT "PK_4fbd4a6202df0ffb7f762a890fa" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "old_part_batch_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "requisition_id" uuid NOT NULL, "requisition_number" text NOT NULL, "line" integer NOT NULL, "department_id" uuid NOT NULL, "part_number" text NOT NULL, "part_name" text NOT NULL, "quantity" integer NOT NULL, "unit_cost" numeric(14,2) NOT NULL, "under_warranty" boolean NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "supplier" text, "supplier_warranty" boolean NOT NULL, "claim_id" uuid, CONSTRAINT "ux_old_part_batch_item_line" UNIQUE ("requisition_id", "line"), CONSTRAINT "PK_98b04ed8f682937057c74b4ae5c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_49a687f8fd0373a1ec03248b00" ON "old_part_batch_item"  ("batch_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4f02cb87d5d2a82ecd27e8b41f" ON "old_part_batch_item"  ("department_id") `);
    await queryRunner.query(`CREATE TABLE "supplier_claim" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "batch_id" uuid NOT NULL, "period_from" date NOT NULL, "department_id" uuid NOT NULL, "supplier" text NOT NULL, "supplier_key" text NOT NULL, "lines" jsonb NOT NULL DEFAULT '[]', "claimed_amount" numeric(14,2) NOT NULL DEFAULT '0', "accepted_amount" numeric(14,2), "supplier_reference" text, "rejection_reason" text, "cancellation_reason" text, "settlement_note" text, "submitted_at" TIMESTAMP WITH TIME ZONE, "submitted_by_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "settled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_e528b008ca9ab7a23555efd9405" UNIQUE ("number"), CONSTRAINT "PK_cd35ab444e46db50648f8a2f6b5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_15095b1bbdf69549668a20734f" ON "supplier_claim"  ("department_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_supplier_claim_period_department_supplier" ON "supplier_claim"  ("period_from", "department_id", "supplier_key") `);
    await queryRunner.query(`CREATE TABLE "communication_log_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "customer_id" uuid NOT NULL, "document_type" text, "document_id" uuid, "department_id" uuid, "channel" text NOT NULL, "direction" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "counterpart_name" text NOT NULL, "summary" text NOT NULL, "logged_by_id" uuid NOT NULL, "logged_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d320b4482c0d5e439e17e081bdc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_57a00bf3fd949300b0728a6d8d" ON "communication_log_entry"  ("logged_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_communication_log_department_at" ON "communication_log_entry"  ("department_id", "at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_communication_log_document_at" ON "communication_log_entry"  ("document_id", "at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_communication_log_customer_at" ON "communication_log_entry"  ("customer_id", "at", "id") `);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD "write_off_approved_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD "write_off_approved_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD "write_off_comment" text`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD "written_off_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD "written_off_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD COLUMN IF NOT EXISTS "customer_signed_at" timestamptz`);
    await queryRunner.query(`ALTER TABLE "old_part_batch_item" ADD CONSTRAINT "FK_49a687f8fd0373a1ec03248b005" FOREIGN KEY ("batch_id") REFERENCES "old_part_batch"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "supplier_claim" ADD CONSTRAINT "FK_96dd72c8a3e34ee1317adc0aa1a" FOREIGN KEY ("batch_id") REFERENCES "old_part_batch"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "supplier_claim" ADD CONSTRAINT "FK_15095b1bbdf69549668a20734f7" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "supplier_claim" ADD CONSTRAINT "FK_dfcda97a29a6bd334a8786d37a3" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "communication_log_entry" ADD CONSTRAINT "FK_180ad47dd94d8177c30dcce26d7" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "communication_log_entry" ADD CONSTRAINT "FK_414ba3f71484e9ceee47ecff899" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "communication_log_entry" ADD CONSTRAINT "FK_57a00bf3fd949300b0728a6d8d7" FOREIGN KEY ("logged_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    // what was said to a customer is a record: the application appends to the log and reads it, never rewrites it
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "communication_log_entry" FROM sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "communication_log_entry" DROP CONSTRAINT "FK_57a00bf3fd949300b0728a6d8d7"`);
    await queryRunner.query(`ALTER TABLE "communication_log_entry" DROP CONSTRAINT "FK_414ba3f71484e9ceee47ecff899"`);
    await queryRunner.query(`ALTER TABLE "communication_log_entry" DROP CONSTRAINT "FK_180ad47dd94d8177c30dcce26d7"`);
    await queryRunner.query(`ALTER TABLE "supplier_claim" DROP CONSTRAINT "FK_dfcda97a29a6bd334a8786d37a3"`);
    await queryRunner.query(`ALTER TABLE "supplier_claim" DROP CONSTRAINT "FK_15095b1bbdf69549668a20734f7"`);
    await queryRunner.query(`ALTER TABLE "supplier_claim" DROP CONSTRAINT "FK_96dd72c8a3e34ee1317adc0aa1a"`);
    await queryRunner.query(`ALTER TABLE "old_part_batch_item" DROP CONSTRAINT "FK_49a687f8fd0373a1ec03248b005"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP COLUMN "written_off_by_id"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP COLUMN "written_off_at"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP COLUMN "write_off_comment"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP COLUMN "write_off_approved_by_id"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP COLUMN "write_off_approved_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_communication_log_customer_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_communication_log_document_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_communication_log_department_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_57a00bf3fd949300b0728a6d8d"`);
    await queryRunner.query(`DROP TABLE "communication_log_entry"`);
    await queryRunner.query(`DROP INDEX "public"."ux_supplier_claim_period_department_supplier"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_15095b1bbdf69549668a20734f"`);
    await queryRunner.query(`DROP TABLE "supplier_claim"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4f02cb87d5d2a82ecd27e8b41f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_49a687f8fd0373a1ec03248b00"`);
    await queryRunner.query(`DROP TABLE "old_part_batch_item"`);
    await queryRunner.query(`DROP TABLE "old_part_batch"`);
  }
}
