import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyRecords1795467909044 implements MigrationInterface {
  name = 'IdempotencyRecords1795467909044';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "idempotency_record" ("caller_id" uuid NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "status" text NOT NULL, "response_status" integer, "response_body" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_bdfc619c74b38ebc4950c6f8368" PRIMARY KEY ("caller_id", "key"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0651d807f40f78d97c8c8cd893" ON "idempotency_record"  ("expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_0651d807f40f78d97c8c8cd893"`);
    await queryRunner.query(`DROP TABLE "idempotency_record"`);
  }
}
