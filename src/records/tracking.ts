/**
 * The records register (document_record): one row per document of a type under records control once it has
 * closed — its number, state, department and category as they were, when it closed, was archived, was purged.
 * The engine calls trackRecord inside every event's transaction (src/workflow/engine.ts), so the register is
 * exactly as current as the documents; the archive lists, retention and purge read it.
 */
import type { EntityManager } from 'typeorm';
import { ARCHIVED, NEW, type DocumentDefinition } from '../workflow/definition';

/** What an event from `from` to `to` does to the register: nothing (null), reopen the document's record, or close it. */
export function recordChange(def: DocumentDefinition<any, any>, from: string | null, to: string, doc: { id: string }): 'reopen' | 'close' | null {
  const policy = def.records;
  if (!policy) return null;
  const was = closedState(def, from);
  // the document as the event left it may still have work in a closed state (RecordsPolicy.stillOpen)
  const is = closedState(def, to) && !(to !== ARCHIVED && policy.stillOpen?.(doc));
  if (!was && !is) return null;
  return is ? 'close' : 'reopen';
}

/** a state the type's records policy counts as closed (ARCHIVED included) */
function closedState(def: DocumentDefinition<any, any>, state: string | null): boolean {
  return state !== null && state !== NEW && (state === ARCHIVED || (def.records?.closedStates.includes(state) ?? false));
}

export async function trackRecord(manager: EntityManager, def: DocumentDefinition<any, any>, from: string | null, to: string, doc: { id: string }, now: Date): Promise<void> {
  const change = recordChange(def, from, to, doc);
  if (!change) return;
  if (change === 'reopen') {
    // reopened (a completed request's follow-up): no longer closed, retention waits for it to close again
    await manager.query(`UPDATE document_record SET closed_at = NULL, state = $2 WHERE document_id = $1`, [doc.id, to]);
    return;
  }
  const policy = def.records!;
  const was = closedState(def, from);
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
