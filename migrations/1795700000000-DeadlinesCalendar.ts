import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #10: the working-day calendar as data, its audit trail, deadlines and escalations (src/time/).
 * Written by hand: none of these tables is a TypeORM entity.
 *
 * - calendar_day: the exceptions to Monday–Friday per business timezone (holidays, make-up working days,
 *   explicit working days); calendar_seeded_year says which years were seeded from `chinese-days` (at
 *   start: src/time/calendar-store.ts), so an ADMIN's later edit of a seeded day is never undone.
 * - calendar_change: who changed which day, when, before and after. The app may only append to it.
 * - deadline: one row per deadline a document's events opened (src/time/deadline-rules.ts); at most one
 *   unmet row per document and kind.
 * - escalation: one row per breach and level; the unique (deadline, level) is what makes a breach
 *   escalate exactly once however many job runners see it.
 * Any change to calendar_day notifies `sdd_calendar_changed` on commit: every API process reloads.
 */
export class DeadlinesCalendar1795700000000 implements MigrationInterface {
  name = 'DeadlinesCalendar1795700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "calendar_day" ("timezone" text NOT NULL, "date" date NOT NULL, "kind" text NOT NULL CHECK ("kind" IN ('WORKDAY', 'HOLIDAY', 'MAKEUP_WORKDAY')), "name" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_calendar_day" PRIMARY KEY ("timezone", "date"))`);
    await q.query(`CREATE TABLE "calendar_seeded_year" ("timezone" text NOT NULL, "year" integer NOT NULL, "source" text NOT NULL, "seeded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_calendar_seeded_year" PRIMARY KEY ("timezone", "year"))`);
    await q.query(`CREATE TABLE "calendar_change" ("id" BIGSERIAL NOT NULL, "timezone" text NOT NULL, "date" date NOT NULL, "actor_id" uuid NOT NULL, "actor_name" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "before" jsonb, "after" jsonb, "request_id" text, CONSTRAINT "PK_calendar_change" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_calendar_change_date" ON "calendar_change" ("timezone", "date", "id")`);
    await q.query(`CREATE FUNCTION notify_calendar_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sdd_calendar_changed', COALESCE(NEW.timezone, OLD.timezone));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER calendar_day_changed AFTER INSERT OR UPDATE OR DELETE ON calendar_day FOR EACH STATEMENT EXECUTE FUNCTION notify_calendar_changed()`);

    await q.query(`CREATE TABLE "deadline" ("id" BIGSERIAL NOT NULL, "document_type" text NOT NULL, "document_id" uuid NOT NULL, "kind" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "opened_by_event" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "met_at" TIMESTAMP WITH TIME ZONE, "met_by_event" text, "breached_at" TIMESTAMP WITH TIME ZONE, "escalation_level" text, "escalated_at" TIMESTAMP WITH TIME ZONE, "department_id" uuid, CONSTRAINT "PK_deadline" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_deadline_open" ON "deadline" ("document_type", "document_id", "kind") WHERE "met_at" IS NULL`);
    await q.query(`CREATE INDEX "ix_deadline_document" ON "deadline" ("document_id", "document_type")`);
    // the breach sweep: unmet deadlines by due time
    await q.query(`CREATE INDEX "ix_deadline_unmet_due" ON "deadline" ("due_at") WHERE "met_at" IS NULL`);

    await q.query(`CREATE TABLE "escalation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "deadline_id" bigint NOT NULL REFERENCES "deadline"("id"), "document_type" text NOT NULL, "document_id" uuid NOT NULL, "kind" text NOT NULL, "level" text NOT NULL CHECK ("level" IN ('SUPERVISOR', 'EXECUTIVE')), "department_id" uuid, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by_id" uuid, CONSTRAINT "PK_escalation" PRIMARY KEY ("id"), CONSTRAINT "uq_escalation_deadline_level" UNIQUE ("deadline_id", "level"))`);
    await q.query(`CREATE INDEX "ix_escalation_level_department" ON "escalation" ("level", "department_id", "raised_at")`);

    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "calendar_day" TO sdd_app`);
    await q.query(`GRANT SELECT, INSERT ON "calendar_seeded_year" TO sdd_app`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "calendar_seeded_year" FROM sdd_app`);
    // the calendar's audit trail: append and read only
    await q.query(`GRANT SELECT, INSERT ON "calendar_change" TO sdd_app`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "calendar_change" FROM sdd_app`);
    await q.query(`GRANT USAGE, SELECT ON SEQUENCE "calendar_change_id_seq" TO sdd_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON "deadline" TO sdd_app`);
    await q.query(`REVOKE DELETE, TRUNCATE ON "deadline" FROM sdd_app`);
    await q.query(`GRANT USAGE, SELECT ON SEQUENCE "deadline_id_seq" TO sdd_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON "escalation" TO sdd_app`);
    await q.query(`REVOKE DELETE, TRUNCATE ON "escalation" FROM sdd_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "escalation"`);
    await q.query(`DROP TABLE "deadline"`);
    await q.query(`DROP TRIGGER calendar_day_changed ON calendar_day`);
    await q.query(`DROP FUNCTION notify_calendar_changed()`);
    await q.query(`DROP TABLE "calendar_change"`);
    await q.query(`DROP TABLE "calendar_seeded_year"`);
    await q.query(`DROP TABLE "calendar_day"`);
  }
}
