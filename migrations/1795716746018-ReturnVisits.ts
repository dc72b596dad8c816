import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReturnVisits1795716746018 implements MigrationInterface {
  name = 'ReturnVisits1795716746018';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_request" ADD "return_visit_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "return_visit_satisfaction" text`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "return_visit_note" text`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "follow_up_note" text`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "follow_up_closed_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "follow_up_closed_at"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "follow_up_note"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "return_visit_note"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "return_visit_satisfaction"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "return_visit_at"`);
  }
}
