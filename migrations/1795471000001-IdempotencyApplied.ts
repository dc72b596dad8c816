import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * applied_at is set on the caller's RUNNING key inside the mutation's own
 * transaction (markApplied): it exists exactly when the mutation committed, so
 * an abandoned key is judged by it instead of by searching the audit trail.
 */
export class IdempotencyApplied1795471000001 implements MigrationInterface {
  name = 'IdempotencyApplied1795471000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_record" ADD "applied_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "applied_at"`);
  }
}
