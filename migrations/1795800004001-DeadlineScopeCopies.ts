import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #11: the deadline KPI statement without a probe of the document per deadline. Each deadline row carries
 * copies of what the statistics' scope and filters ask of its document — the document's department (the column
 * its read policy names: a request's target department, the others' department), its customer, the service
 * type of its service request, and a task's assignee (the scorecards) — so a supervisor's, a customer's or a filtered on-time rate reads the deadlines
 * of the period from one index. Written by hand: functions and triggers.
 *
 * One place keeps the copies exact, in the database, in the same transaction as the change:
 * - deadline_document_scope(type, id): the copies of one document, looked up (the only definition);
 * - a BEFORE INSERT trigger on deadline fills them when a deadline opens;
 * - AFTER UPDATE triggers on the six document tables follow a change of department, customer, request or service
 *   type (a request's service type also reaches the deadlines of its tasks, records, acceptances and complaints);
 * - deadline_document_scope_backfill(): every deadline at once, set-based (this migration; bench/kpi.ts after its
 *   load, which runs with triggers off).
 */
export class DeadlineScopeCopies1795800004001 implements MigrationInterface {
  name = 'DeadlineScopeCopies1795800004001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "deadline" ADD "document_department_id" uuid, ADD "customer_id" uuid, ADD "service_type" text, ADD "assignee_id" uuid`);
    await q.query(`CREATE FUNCTION deadline_document_scope(doc_type text, doc_id uuid, OUT department_id uuid, OUT customer_id uuid, OUT service_type text, OUT assignee_id uuid)
      LANGUAGE plpgsql STABLE AS $$
      BEGIN
        CASE doc_type
          WHEN 'ServiceRequest' THEN
            SELECT d.target_department_id, d.customer_id, d.service_type INTO department_id, customer_id, service_type FROM service_request d WHERE d.id = doc_id;
          WHEN 'ServiceTask' THEN
            SELECT d.department_id, d.customer_id, r.service_type, d.assignee_id INTO department_id, customer_id, service_type, assignee_id FROM service_task d LEFT JOIN service_request r ON r.id = d.request_id WHERE d.id = doc_id;
          WHEN 'ServiceRecord' THEN
            SELECT d.department_id, d.customer_id, r.service_type INTO department_id, customer_id, service_type FROM service_record d LEFT JOIN service_request r ON r.id = d.request_id WHERE d.id = doc_id;
          WHEN 'ServiceAcceptance' THEN
            SELECT d.department_id, d.customer_id, r.service_type INTO department_id, customer_id, service_type FROM service_acceptance d LEFT JOIN service_request r ON r.id = d.request_id WHERE d.id = doc_id;
          WHEN 'Complaint' THEN
            SELECT d.department_id, d.customer_id, r.service_type INTO department_id, customer_id, service_type FROM complaint d LEFT JOIN service_request r ON r.id = d.request_id WHERE d.id = doc_id;
          WHEN 'Consultation' THEN
            SELECT NULL::uuid, d.customer_id, NULL::text INTO department_id, customer_id, service_type FROM consultation d WHERE d.id = doc_id;
          ELSE
            NULL;
        END CASE;
      END $$`);
    await q.query(`CREATE FUNCTION deadline_document_scope_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT s.department_id, s.customer_id, s.service_type, s.assignee_id INTO NEW.document_department_id, NEW.customer_id, NEW.service_type, NEW.assignee_id
          FROM deadline_document_scope(NEW.document_type, NEW.document_id) s;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER deadline_document_scope_fill BEFORE INSERT ON deadline FOR EACH ROW EXECUTE FUNCTION deadline_document_scope_fill()`);
    // TG_ARGV[0]: the document type of the table
    await q.query(`CREATE FUNCTION deadline_document_scope_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE deadline dl SET document_department_id = s.department_id, customer_id = s.customer_id, service_type = s.service_type, assignee_id = s.assignee_id
          FROM deadline_document_scope(TG_ARGV[0], NEW.id) s
         WHERE dl.document_type = TG_ARGV[0] AND dl.document_id = NEW.id;
        -- nested: OLD.service_type exists on service_request only
        IF TG_ARGV[0] = 'ServiceRequest' THEN
          IF OLD.service_type IS DISTINCT FROM NEW.service_type THEN
            UPDATE deadline dl SET service_type = NEW.service_type
            FROM (SELECT 'ServiceTask' AS t, id FROM service_task WHERE request_id = NEW.id
                  UNION ALL SELECT 'ServiceRecord', id FROM service_record WHERE request_id = NEW.id
                  UNION ALL SELECT 'ServiceAcceptance', id FROM service_acceptance WHERE request_id = NEW.id
                  UNION ALL SELECT 'Complaint', id FROM complaint WHERE request_id = NEW.id) d
           WHERE dl.document_type = d.t AND dl.document_id = d.id;
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    const follow = (table: string, type: string, columns: string[]) =>
      q.query(
        `CREATE TRIGGER deadline_document_scope_follow AFTER UPDATE ON "${table}" FOR EACH ROW
         WHEN (${columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')}) EXECUTE FUNCTION deadline_document_scope_follow('${type}')`,
      );
    await follow('service_request', 'ServiceRequest', ['target_department_id', 'customer_id', 'service_type']);
    await follow('service_task', 'ServiceTask', ['department_id', 'customer_id', 'request_id', 'assignee_id']);
    await follow('service_record', 'ServiceRecord', ['department_id', 'customer_id', 'request_id']);
    await follow('service_acceptance', 'ServiceAcceptance', ['department_id', 'customer_id', 'request_id']);
    await follow('complaint', 'Complaint', ['department_id', 'customer_id', 'request_id']);
    await follow('consultation', 'Consultation', ['customer_id']);

    await q.query(`CREATE FUNCTION deadline_document_scope_backfill() RETURNS void LANGUAGE sql AS $$
      UPDATE deadline dl SET document_department_id = d.target_department_id, customer_id = d.customer_id, service_type = d.service_type
        FROM service_request d WHERE dl.document_type = 'ServiceRequest' AND d.id = dl.document_id;
      UPDATE deadline dl SET document_department_id = d.department_id, customer_id = d.customer_id, service_type = r.service_type, assignee_id = d.assignee_id
        FROM service_task d LEFT JOIN service_request r ON r.id = d.request_id WHERE dl.document_type = 'ServiceTask' AND d.id = dl.document_id;
      UPDATE deadline dl SET document_department_id = d.department_id, customer_id = d.customer_id, service_type = r.service_type
        FROM service_record d LEFT JOIN service_request r ON r.id = d.request_id WHERE dl.document_type = 'ServiceRecord' AND d.id = dl.document_id;
      UPDATE deadline dl SET document_department_id = d.department_id, customer_id = d.customer_id, service_type = r.service_type
        FROM service_acceptance d LEFT JOIN service_request r ON r.id = d.request_id WHERE dl.document_type = 'ServiceAcceptance' AND d.id = dl.document_id;
      UPDATE deadline dl SET document_department_id = d.department_id, customer_id = d.customer_id, service_type = r.service_type
        FROM complaint d LEFT JOIN service_request r ON r.id = d.request_id WHERE dl.document_type = 'Complaint' AND d.id = dl.document_id;
      UPDATE deadline dl SET customer_id = d.customer_id FROM consultation d WHERE dl.document_type = 'Consultation' AND d.id = dl.document_id;
    $$`);
    await q.query(`SELECT deadline_document_scope_backfill()`);

    // deadlines met in a period: by document type (everything, or a filter), by the document's department and type (a
    // supervisor, a department filter), by customer and type (a portal user, a customer filter); each carries what
    // the statement counts, so each type's branch reads its own range of one index and nothing else
    await q.query(`CREATE INDEX "ix_deadline_type_met_kpi" ON "deadline" ("document_type", "met_at") INCLUDE ("document_id", "kind", "due_at", "met_by_event", "document_department_id", "customer_id", "service_type") WHERE "met_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_deadline_department_met_kpi" ON "deadline" ("document_department_id", "document_type", "met_at") INCLUDE ("document_id", "kind", "due_at", "met_by_event", "customer_id", "service_type") WHERE "met_at" IS NOT NULL`);
    // deadlines met in a period by kind, with the task's assignee: the technicians' scorecards (field responses)
    await q.query(`CREATE INDEX "ix_deadline_kind_met_kpi" ON "deadline" ("kind", "met_at") INCLUDE ("document_type", "assignee_id", "due_at", "met_by_event") WHERE "met_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_deadline_customer_met_kpi" ON "deadline" ("customer_id", "document_type", "met_at") INCLUDE ("document_id", "kind", "due_at", "met_by_event", "service_type") WHERE "met_at" IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const ix of ['ix_deadline_kind_met_kpi', 'ix_deadline_customer_met_kpi', 'ix_deadline_department_met_kpi', 'ix_deadline_type_met_kpi']) await q.query(`DROP INDEX "${ix}"`);
    for (const table of ['service_request', 'service_task', 'service_record', 'service_acceptance', 'complaint', 'consultation']) {
      await q.query(`DROP TRIGGER deadline_document_scope_follow ON "${table}"`);
    }
    await q.query(`DROP TRIGGER deadline_document_scope_fill ON deadline`);
    await q.query(`DROP FUNCTION deadline_document_scope_backfill()`);
    await q.query(`DROP FUNCTION deadline_document_scope_follow()`);
    await q.query(`DROP FUNCTION deadline_document_scope_fill()`);
    await q.query(`DROP FUNCTION deadline_document_scope(text, uuid)`);
    await q.query(`ALTER TABLE "deadline" DROP COLUMN "assignee_id", DROP COLUMN "service_type", DROP COLUMN "customer_id", DROP COLUMN "document_department_id"`);
  }
}
