import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox is relayed from its own table (src/jobs/outbox-relay.ts) instead of a graphile-worker job per row:
 * queuing that job was most of an event's write, and running it about ten statements after commit.
 *
 * - attempts, next_attempt_at, last_error: a row whose consumer failed is retried later, with a growing delay,
 *   and says why (the relay's own bookkeeping, since no job holds it any more);
 * - the partial index the relay's claim reads (unprocessed rows in id order);
 * - outbox_enqueue queues nothing now: kept as a no-op for processes of the previous release still calling it in
 *   their writes during a rolling deploy (their rows are relayed too); a later migration drops it. Jobs queued before
 *   still run (the `outbox` task stays).
 */
export class OutboxRelay1796100000000 implements MigrationInterface {
  name = 'OutboxRelay1796100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox_event" ADD "attempts" integer NOT NULL DEFAULT 0, ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE, ADD "last_error" text`);
    await q.query(`CREATE INDEX "ix_outbox_event_relay" ON "outbox_event" ("id") WHERE "processed_at" IS NULL`);
    await q.query(`CREATE OR REPLACE FUNCTION "outbox_enqueue"(outbox_event_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        -- the outbox relay reads outbox_event itself: nothing to queue
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION "outbox_enqueue"(outbox_event_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        PERFORM graphile_worker.add_job('outbox', json_build_object('id', outbox_event_id));
      END $$`);
    await q.query(`DROP INDEX "ix_outbox_event_relay"`);
    await q.query(`ALTER TABLE "outbox_event" DROP COLUMN "attempts", DROP COLUMN "next_attempt_at", DROP COLUMN "last_error"`);
  }
}
