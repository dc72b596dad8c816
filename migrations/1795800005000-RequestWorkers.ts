import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #11: a technician's scope on service requests without a probe of the request's tasks per request. A narrow
 * side table holds, for each task, the technicians working on it (assignee and helpers) beside its request:
 * (worker_id, request_id, task_id). A technician's requests are then one range of its primary key, hashed once,
 * instead of an EXISTS over service_task with an OR of two indexes for every request of the period.
 * Written by hand: a function and triggers.
 *
 * A side table rather than an array on service_request: a task's change then never writes (and never locks) its
 * request's row — a transition of the task and one of its request do not wait on each other — and the rows are
 * per task, so keeping them exact is "replace this task's rows", never a recount over the request's other tasks.
 *
 * One place keeps it exact, in the database, in the same transaction as the change:
 * - service_request_worker_sync() (AFTER INSERT or an UPDATE of request_id, assignee_id or helper_ids on
 *   service_task): the task's rows replaced by its assignee and helpers now;
 * - a task deleted takes its rows with it (ON DELETE CASCADE);
 * - service_request_worker_backfill(): every task at once, set-based (this migration; bench/kpi.ts after its load,
 *   which runs with triggers off).
 * The read policy of the service request (service-request.policy.ts) reads it: the one declaration.
 */
export class RequestWorkers1795800005000 implements MigrationInterface {
  name = 'RequestWorkers1795800005000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "service_request_worker" (
      "worker_id" uuid NOT NULL,
      "request_id" uuid NOT NULL REFERENCES "service_request"("id") ON DELETE CASCADE,
      "task_id" uuid NOT NULL REFERENCES "service_task"("id") ON DELETE CASCADE,
      CONSTRAINT "PK_service_request_worker" PRIMARY KEY ("worker_id", "request_id", "task_id"))`);
    // a task's rows, replaced by the trigger
    await q.query(`CREATE INDEX "ix_service_request_worker_task" ON "service_request_worker" ("task_id")`);
    await q.query(`CREATE FUNCTION service_request_worker_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          DELETE FROM service_request_worker WHERE task_id = NEW.id;
        END IF;
        INSERT INTO service_request_worker (worker_id, request_id, task_id)
          SELECT DISTINCT w, NEW.request_id, NEW.id FROM unnest(NEW.helper_ids || NEW.assignee_id) w WHERE w IS NOT NULL AND NEW.request_id IS NOT NULL;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER service_request_worker_insert AFTER INSERT ON "service_task" FOR EACH ROW EXECUTE FUNCTION service_request_worker_sync()`);
    await q.query(`CREATE TRIGGER service_request_worker_update AFTER UPDATE ON "service_task" FOR EACH ROW
      WHEN (OLD.request_id IS DISTINCT FROM NEW.request_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.helper_ids IS DISTINCT FROM NEW.helper_ids)
      EXECUTE FUNCTION service_request_worker_sync()`);
    await q.query(`CREATE FUNCTION service_request_worker_backfill() RETURNS void LANGUAGE sql AS $$
      DELETE FROM service_request_worker;
      INSERT INTO service_request_worker (worker_id, request_id, task_id)
        SELECT DISTINCT w, t.request_id, t.id FROM service_task t, unnest(t.helper_ids || t.assignee_id) w WHERE w IS NOT NULL AND t.request_id IS NOT NULL;
    $$`);
    await q.query(`SELECT service_request_worker_backfill()`);
    await q.query(`GRANT SELECT, INSERT, DELETE ON "service_request_worker" TO sdd_app`);
    await q.query(`ANALYZE "service_request_worker"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER service_request_worker_update ON "service_task"`);
    await q.query(`DROP TRIGGER service_request_worker_insert ON "service_task"`);
    await q.query(`DROP FUNCTION service_request_worker_backfill()`);
    await q.query(`DROP FUNCTION service_request_worker_sync()`);
    await q.query(`DROP TABLE "service_request_worker"`);
  }
}
