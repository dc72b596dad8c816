import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed outbox row notifies `sdd_outbox_event` with its id: the one place, a trigger, so rows written
 * by any path (the engine's writeOutbox, an escalation's own insert) are announced alike. PostgreSQL delivers
 * a NOTIFY only when its transaction commits, so a rolled-back event announces nothing. Every API process
 * listens (src/jobs/outbox-feed.ts) and pushes the row to its own WebSocket subscribers.
 */
export class OutboxNotify1795613000001 implements MigrationInterface {
  name = 'OutboxNotify1795613000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_outbox_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sdd_outbox_event', NEW.id::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event FOR EACH ROW EXECUTE FUNCTION notify_outbox_event()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_event_notify ON outbox_event`);
    await queryRunner.query(`DROP FUNCTION notify_outbox_event()`);
  }
}
