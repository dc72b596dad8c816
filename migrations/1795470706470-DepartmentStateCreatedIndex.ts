import { MigrationInterface, QueryRunner } from 'typeorm';

export class DepartmentStateCreatedIndex1795470706470 implements MigrationInterface {
  name = 'DepartmentStateCreatedIndex1795470706470';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_service_request_department_state_created" ON "service_request"  ("target_department_id", "state", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_service_request_department_state_created"`);
  }
}
