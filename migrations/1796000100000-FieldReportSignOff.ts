import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 items 1 and 4 (SPEC §3.3, §3.10): the customer's sign-off of the field report (customer_signed_at is read
 * by SQL elsewhere: the write-off of warranty parts), the technician's return to the company (the filing deadline),
 * a repair's warranty check and repaired faults, and a request's equipment, fault and link to the repair it repeats
 * within the post-repair warranty. Generated, then the GIN index that matches a request's fault by hand.
 */
export class FieldReportSignOff1796000100000 implements MigrationInterface {
  name = 'FieldReportSignOff1796000100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_record" ADD "returned_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "customer_signed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "customer_signer_name" text`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "customer_sign_channel" text`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "customer_sign_mark" text`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "customer_signature" jsonb`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "customer_sign_recorded_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "customer_sign_recorded_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "warranty_check" jsonb`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD "repaired_faults" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "equipment_model" text`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "equipment_serial" text`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "fault_code" text`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "free_repeat_repair" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "repeat_of_request_id" uuid`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "repeat_of_record_id" uuid`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD CONSTRAINT "FK_6df329adbc0393f0e1e3a3e7d4d" FOREIGN KEY ("repeat_of_request_id") REFERENCES "service_request"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD CONSTRAINT "FK_837c478b4bd4bd4d2f2d60c1628" FOREIGN KEY ("repeat_of_record_id") REFERENCES "service_record"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    // a new request's fault is looked up by containment ({equipmentSerial, faultCode}) among the customer's repaired faults
    await queryRunner.query(`CREATE INDEX "ix_service_record_repaired_faults" ON "service_record" USING gin ("repaired_faults" jsonb_path_ops) WHERE "customer_signed_at" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_service_record_repaired_faults"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP CONSTRAINT "FK_837c478b4bd4bd4d2f2d60c1628"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP CONSTRAINT "FK_6df329adbc0393f0e1e3a3e7d4d"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "repeat_of_record_id"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "repeat_of_request_id"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "free_repeat_repair"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "fault_code"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "equipment_serial"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "equipment_model"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "repaired_faults"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "warranty_check"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "customer_sign_recorded_at"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "customer_sign_recorded_by_id"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "customer_signature"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "customer_sign_mark"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "customer_sign_channel"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "customer_signer_name"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "customer_signed_at"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP COLUMN "returned_at"`);
  }
}
