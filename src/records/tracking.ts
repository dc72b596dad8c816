/**
 * The records register (document_record): one row per document of a type under records control once it has
 * closed — its number, state, department and category as they were, when it closed, was archived, was purged.
 * The engine calls trackRecord inside every event's transaction (src/workflow/engine.ts), so the register is
 * exactly as current as the documents; the archive lists, retention and purge read it.
 */
import type { EntityManager } from 'typeorm';
import { ARCHIVED, NEW, type DocumentDefinition } from '../workflow/definition';

export async function trackRecord(manager: EntityManager, def: DocumentDefinition<any, any>, from: string | null, to: string, doc: { id: string }, now: Date): Promise<void> {
  const policy = def.records;
  if (!policy) return;
  const closed = (state: string | null) => state !== null && state !== NEW && (state === ARCHIVED || policy.closedStates.includes(state));
  const was = closed(from);
  // the document as the event left it may still have work in a closed state (RecordsPolicy.stillOpen)
  const is = closed(to) && !(to !== ARCHIVED && policy.stillOpen?.(doc));
  if (!was && !is) return;
  if (!is) {
    // reopened (a completed request's follow-up): no longer closed, retention waits for it to close again
    await manager.query(`UPDATE document_record SET closed_at = NULL, state = $2 WHERE document_id = $1`, [doc.id, to]);
    return;
  }
  const table = manager.connection.getMetadata(def.entity).tableName;
  const department = def.policy.departmentColumn ? `d."${def.policy.departmentColumn}"` : 'NULL::uuid';
  const category = policy.categoryColumn ? `d."${policy.categoryColumn}"::text` : 'NULL::text';
  await manager.query(
    `INSERT INTO document_record (document_type, document_id, number, state, department_id, category, closed_at, archived_at)
     SELECT $1, d.id, d.number, d.state, ${department}, ${category}, $3, CASE WHEN d.state = '${ARCHIVED}' THEN $3::timestamptz END FROM "${table}" d WHERE d.id = $2
     ON CONFLICT (document_id) DO UPDATE SET state = EXCLUDED.state, department_id = EXCLUDED.department_id, category = EXCLUDED.category,
       closed_at = CASE WHEN $4 AND document_record.closed_at IS NOT NULL THEN document_record.closed_at ELSE EXCLUDED.closed_at END,
       archived_at = COALESCE(document_record.archived_at, EXCLUDED.archived_at)`,
    [def.type, doc.id, now, was],
  );
}
