import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #11 items 1–3, records control (src/records/). Written by hand: none of these tables is a TypeORM entity.
 *
 * - document_record: the records register, one row per closed document of a type under records control (the
 *   engine keeps it in each event's transaction); backfilled here from the documents already closed, their
 *   closing time read from the audit trail (the event that entered a closed state).
 * - legal_hold: holds with reason, owner, review date; set, lifted, reminded. The app may not delete them.
 * - audit_event: hash_version (1 for what exists), digests, salts, redacted_by_seq (src/workflow/audit.ts).
 * - redact_audit_personal(doc): the one way the app changes audit_event. SECURITY DEFINER, it only removes the
 *   values (and their salts) of the fields the document's last event — which must be a PURGE — lists, from the
 *   earlier v2 events of that document, and marks them redacted by it. It cannot touch hashes, digests, states,
 *   actors, times or any other document's events.
 * The v1 → v2 upgrade of the existing chains runs in the next migration (RecordsControlRehash).
 */
const CLOSED: Array<{ type: string; table: string; states: string[]; department: string | null; category: string | null }> = [
  { type: 'ServiceRequest', table: 'service_request', states: ['COMPLETED', 'REJECTED', 'CANCELLED'], department: 'target_department_id', category: 'category' },
  { type: 'ServiceTask', table: 'service_task', states: ['COMPLETED', 'CANCELLED'], department: 'department_id', category: null },
  { type: 'ServiceRecord', table: 'service_record', states: ['REVIEWED'], department: 'department_id', category: null },
  { type: 'ServiceAcceptance', table: 'service_acceptance', states: ['FAILED', 'VERIFIED'], department: 'department_id', category: null },
  { type: 'Complaint', table: 'complaint', states: ['CLOSED'], department: 'department_id', category: 'category' },
  { type: 'Consultation', table: 'consultation', states: ['CLOSED', 'CONVERTED'], department: null, category: null },
  { type: 'PartsRequisition', table: 'parts_requisition', states: ['CONSUMED', 'CANCELLED'], department: 'department_id', category: null },
];

export class RecordsControl1795800000000 implements MigrationInterface {
  name = 'RecordsControl1795800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "document_record" ("document_id" uuid NOT NULL, "document_type" text NOT NULL, "number" text NOT NULL, "state" text NOT NULL, "department_id" uuid, "category" text, "closed_at" TIMESTAMP WITH TIME ZONE, "archived_at" TIMESTAMP WITH TIME ZONE, "purged_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_document_record" PRIMARY KEY ("document_id"))`);
    // the archive lists and bulk archive: per type, unarchived or archived, by closing time
    await q.query(`CREATE INDEX "ix_document_record_type_archived_closed" ON "document_record" ("document_type", "archived_at", "closed_at")`);
    // the scheduled purge: archived, not purged, oldest closing first
    await q.query(`CREATE INDEX "ix_document_record_purgeable" ON "document_record" ("closed_at") WHERE "archived_at" IS NOT NULL AND "purged_at" IS NULL`);
    for (const c of CLOSED) {
      const states = `ARRAY[${c.states.map((s) => `'${s}'`).join(', ')}]`;
      await q.query(`INSERT INTO document_record (document_id, document_type, number, state, department_id, category, closed_at, archived_at)
        SELECT d.id, '${c.type}', d.number, d.state, ${c.department ? `d.${c.department}` : 'NULL'}, ${c.category ? `d.${c.category}::text` : 'NULL'},
               COALESCE((SELECT max(a.at) FROM audit_event a WHERE a.document_id = d.id AND a.to_state = ANY(${states}) AND (a.from_state IS NULL OR NOT a.from_state = ANY(${states}))), d.updated_at),
               (SELECT min(a.at) FROM audit_event a WHERE a.document_id = d.id AND a.to_state = 'ARCHIVED')
          FROM "${c.table}" d WHERE d.state = ANY(${states}) OR d.state = 'ARCHIVED'`);
    }

    await q.query(`CREATE TABLE "legal_hold" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "document_type" text NOT NULL, "document_id" uuid NOT NULL, "reason" text NOT NULL, "owner_id" uuid NOT NULL REFERENCES "app_user"("id"), "review_at" TIMESTAMP WITH TIME ZONE NOT NULL, "set_by_id" uuid NOT NULL, "set_at" TIMESTAMP WITH TIME ZONE NOT NULL, "lifted_by_id" uuid, "lifted_at" TIMESTAMP WITH TIME ZONE, "lift_reason" text, "reminded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_legal_hold" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_legal_hold_document" ON "legal_hold" ("document_id") WHERE "lifted_at" IS NULL`);
    await q.query(`CREATE INDEX "ix_legal_hold_review" ON "legal_hold" ("review_at") WHERE "lifted_at" IS NULL AND "reminded_at" IS NULL`);

    await q.query(`ALTER TABLE "audit_event" ADD "hash_version" smallint NOT NULL DEFAULT '1'`);
    await q.query(`ALTER TABLE "audit_event" ADD "digests" jsonb`);
    await q.query(`ALTER TABLE "audit_event" ADD "salts" jsonb`);
    await q.query(`ALTER TABLE "audit_event" ADD "redacted_by_seq" integer`);

    await q.query(`CREATE FUNCTION redact_audit_personal(doc uuid) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        purge audit_event%ROWTYPE;
        keys text[];
        n integer;
      BEGIN
        SELECT * INTO purge FROM audit_event WHERE document_id = doc ORDER BY seq DESC LIMIT 1;
        IF NOT FOUND OR purge.event <> 'PURGE' THEN
          RAISE EXCEPTION 'redaction needs a PURGE event at the end of the document''s chain' USING ERRCODE = 'check_violation';
        END IF;
        keys := ARRAY(SELECT jsonb_array_elements_text(purge.changes->'redacted'->'to'));
        UPDATE audit_event
           SET changes = changes - keys,
               salts = COALESCE(salts, '{}'::jsonb) - keys,
               reason = CASE WHEN '$reason' = ANY(keys) THEN NULL ELSE reason END,
               redacted_by_seq = purge.seq
         WHERE document_id = doc AND seq < purge.seq AND hash_version >= 2 AND redacted_by_seq IS NULL;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION redact_audit_personal(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION redact_audit_personal(uuid) TO sdd_app`);

    await q.query(`GRANT SELECT, INSERT, UPDATE ON "document_record" TO sdd_app`);
    await q.query(`REVOKE DELETE, TRUNCATE ON "document_record" FROM sdd_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON "legal_hold" TO sdd_app`);
    await q.query(`REVOKE DELETE, TRUNCATE ON "legal_hold" FROM sdd_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION redact_audit_personal(uuid)`);
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "redacted_by_seq"`);
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "salts"`);
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "digests"`);
    await q.query(`ALTER TABLE "audit_event" DROP COLUMN "hash_version"`);
    await q.query(`DROP TABLE "legal_hold"`);
    await q.query(`DROP TABLE "document_record"`);
  }
}
