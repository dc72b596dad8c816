import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: one row per committed audit event, written in the
 * event's own transaction together with its graphile-worker job (see
 * src/jobs/outbox.ts). outbox_consumption records which consumer has handled
 * which row, in the consumer's own transaction, so a retried job does not run
 * a consumer twice. Written by hand: neither table is a TypeORM entity.
 *
 * graphile-worker's tables have row-level security with no policies: only
 * their owner may insert jobs (its maintainers' advice for a less privileged
 * role is a SECURITY DEFINER wrapper). outbox_enqueue is that wrapper, and
 * the only thing sdd_app may do with the queue: queue the `outbox` job of one
 * row. It is plpgsql so that it can be created before graphile-worker
 * installs its schema (migrateJobQueue, right after these migrations); it must
 * be owned by the role that owns graphile_worker's tables (the migrating owner).
 */
export class Outbox1795471000000 implements MigrationInterface {
  name = 'Outbox1795471000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "outbox_event" ("id" BIGSERIAL NOT NULL, "document_type" text NOT NULL, "document_id" uuid NOT NULL, "audit_event_id" bigint NOT NULL, "audit_seq" integer NOT NULL, "event" text NOT NULL, "from_state" text, "to_state" text NOT NULL, "actor_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_outbox_event" PRIMARY KEY ("id"), CONSTRAINT "UQ_outbox_event_audit_event" UNIQUE ("audit_event_id"), CONSTRAINT "FK_outbox_event_audit_event" FOREIGN KEY ("audit_event_id") REFERENCES "audit_event"("id"))`);
    // what is still to be done, oldest first (a backlog check, a future re-drive)
    await queryRunner.query(`CREATE INDEX "ix_outbox_event_unprocessed" ON "outbox_event" ("created_at") WHERE "processed_at" IS NULL`);
    await queryRunner.query(`CREATE TABLE "outbox_consumption" ("outbox_event_id" bigint NOT NULL, "consumer" text NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_outbox_consumption" PRIMARY KEY ("outbox_event_id", "consumer"), CONSTRAINT "FK_outbox_consumption_outbox_event" FOREIGN KEY ("outbox_event_id") REFERENCES "outbox_event"("id") ON DELETE CASCADE)`);
    // the default privileges of AuditAppendOnly cover tables made by the same owner; say it explicitly in case another role migrates
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "outbox_event" TO sdd_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON SEQUENCE "outbox_event_id_seq" TO sdd_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "outbox_consumption" TO sdd_app`);
    await queryRunner.query(`CREATE FUNCTION "outbox_enqueue"(outbox_event_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        PERFORM graphile_worker.add_job('outbox', json_build_object('id', outbox_event_id));
      END $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION "outbox_enqueue"(bigint) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION "outbox_enqueue"(bigint) TO sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "outbox_enqueue"(bigint)`);
    await queryRunner.query(`DROP TABLE "outbox_consumption"`);
    await queryRunner.query(`DROP TABLE "outbox_event"`);
  }
}
