import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed webhooks (src/jobs/webhooks.ts). Written by hand, like the outbox: raw SQL tables with no TypeORM
 * entity, and a SECURITY DEFINER function to queue jobs.
 *
 *  - webhook_endpoint: what ADMIN registers (URL, event types, enabled); readable through GraphQL.
 *  - webhook_secret: the signing secrets, in clear, in a table of their own that no GraphQL type or query
 *    reads (only the delivery job, to sign). The current secret has expires_at NULL; a rotated one keeps
 *    signing until its expires_at (the overlap window), then is deleted by the next rotation.
 *  - webhook_delivery: one per (endpoint, outbox event), created by the outbox consumer in its own
 *    transaction; its body is frozen there, so every attempt sends the same bytes.
 *  - webhook_attempt: the log, one row per HTTP attempt.
 *
 * webhook_enqueue is the only thing sdd_app may do with graphile-worker for webhooks: queue the
 * `webhook_delivery` job of one attempt, at a time (run_at: the backoff). Owned by the migrating owner, the
 * owner of graphile_worker's tables.
 */
export class Webhooks1795613000000 implements MigrationInterface {
  name = 'Webhooks1795613000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "webhook_endpoint" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "url" text NOT NULL,
      "event_types" text[] NOT NULL,
      "description" text,
      "enabled" boolean NOT NULL DEFAULT true,
      "created_by" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "secret_rotated_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_webhook_endpoint" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_webhook_endpoint_types" CHECK (cardinality("event_types") > 0))`);
    await queryRunner.query(`CREATE TABLE "webhook_secret" (
      "id" BIGSERIAL NOT NULL,
      "endpoint_id" uuid NOT NULL,
      "secret" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_webhook_secret" PRIMARY KEY ("id"),
      CONSTRAINT "FK_webhook_secret_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE)`);
    // one current secret per endpoint
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_webhook_secret_current" ON "webhook_secret" ("endpoint_id") WHERE "expires_at" IS NULL`);
    await queryRunner.query(`CREATE TABLE "webhook_delivery" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "endpoint_id" uuid NOT NULL,
      "outbox_event_id" bigint NOT NULL,
      "event_id" text NOT NULL,
      "event_type" text NOT NULL,
      "body" text NOT NULL,
      "status" text NOT NULL DEFAULT 'PENDING',
      "attempt_count" integer NOT NULL DEFAULT 0,
      "next_attempt_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "finished_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_webhook_delivery" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_webhook_delivery_event" UNIQUE ("endpoint_id", "outbox_event_id"),
      CONSTRAINT "CHK_webhook_delivery_status" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')),
      CONSTRAINT "FK_webhook_delivery_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_webhook_delivery_outbox_event" FOREIGN KEY ("outbox_event_id") REFERENCES "outbox_event"("id"))`);
    // the delivery log of one endpoint, newest first
    await queryRunner.query(`CREATE INDEX "ix_webhook_delivery_endpoint_created" ON "webhook_delivery" ("endpoint_id", "created_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE TABLE "webhook_attempt" (
      "delivery_id" uuid NOT NULL,
      "attempt" integer NOT NULL,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "duration_ms" integer NOT NULL,
      "http_status" integer,
      "error" text,
      CONSTRAINT "PK_webhook_attempt" PRIMARY KEY ("delivery_id", "attempt"),
      CONSTRAINT "FK_webhook_attempt_delivery" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "webhook_endpoint" TO sdd_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_secret" TO sdd_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON SEQUENCE "webhook_secret_id_seq" TO sdd_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "webhook_delivery" TO sdd_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "webhook_attempt" TO sdd_app`);
    await queryRunner.query(`CREATE FUNCTION "webhook_enqueue"(delivery_id uuid, attempt integer, run_at timestamptz) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        PERFORM graphile_worker.add_job('webhook_delivery', json_build_object('id', delivery_id, 'attempt', attempt), run_at := run_at, max_attempts := 5);
      END $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION "webhook_enqueue"(uuid, integer, timestamptz) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION "webhook_enqueue"(uuid, integer, timestamptz) TO sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "webhook_enqueue"(uuid, integer, timestamptz)`);
    await queryRunner.query(`DROP TABLE "webhook_attempt"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook_secret"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoint"`);
  }
}
