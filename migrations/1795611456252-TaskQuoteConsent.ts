import { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskQuoteConsent1795611456252 implements MigrationInterface {
  name = 'TaskQuoteConsent1795611456252';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_task" ADD "chargeable" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "quoted_price" numeric(14,2)`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "consented_price" numeric(14,2)`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "consented_start" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "consented_end" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "consented_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "consent_signer_name" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "consent_channel" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "consent_recorded_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "decline_reason" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "declined_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "declined_at"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "decline_reason"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "consent_recorded_by_id"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "consent_channel"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "consent_signer_name"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "consented_at"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "consented_end"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "consented_start"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "consented_price"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "quoted_price"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "chargeable"`);
  }
}
