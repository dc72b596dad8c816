/**
 * Deadlines, opened and met by the documents' own events: the engine calls applyDeadlineRules for every
 * committed event, in the event's transaction (so a deadline exists exactly when the event that opened it
 * committed, and is met exactly when the event that met it did). The rules are src/time/deadline-rules.ts.
 */
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { DocumentDefinition } from '../workflow/definition';
import { deadlineRulesFor, DEADLINE_RULES, type DeadlineEvent, type DeadlineKind } from './deadline-rules';
import type { DeadlineSettings } from './settings';

export interface CommittedEvent {
  type: string;
  event: string;
  from: string | null;
  to: string;
  doc: object;
  now: Date;
}

const csDepartment = new WeakMap<EntityManager['connection'], Promise<string | null>>();
async function customerServiceDepartmentId(manager: EntityManager, code: string): Promise<string | null> {
  let found = csDepartment.get(manager.connection);
  if (!found) {
    found = manager.query(`SELECT id FROM department WHERE code = $1`, [code]).then((rows: Array<{ id: string }>) => rows[0]?.id ?? null);
    // a miss (no such department yet) is asked again next time
    void found.then((id) => id ?? csDepartment.delete(manager.connection));
    csDepartment.set(manager.connection, found);
  }
  return found;
}

/** Whether an event of a type opens or meets any deadline (applyDeadlineRules then has statements to run). */
export const concernsDeadlines = (type: string, event: string): boolean => deadlineRulesFor(type, event).length > 0;

/** Opens and meets the deadlines one committed event concerns. */
export async function applyDeadlineRules(manager: EntityManager, committed: CommittedEvent, s: DeadlineSettings): Promise<void> {
  const rules = deadlineRulesFor(committed.type, committed.event);
  if (rules.length === 0) return;
  const e: DeadlineEvent = {
    ...committed,
    doc: committed.doc as Record<string, any>,
    manager,
    settings: s,
    customerServiceDepartmentId: await customerServiceDepartmentId(manager, s.customerServiceDepartmentCode),
  };
  const id = e.doc.id as string;
  for (const rule of rules) {
    if (rule.when && !rule.when(e)) continue;
    for (const meet of rule.meet ?? []) {
      const target = meet.on ? meet.on(e) : { type: e.type, id };
      if (!target?.id) continue;
      await manager.query(
        `UPDATE deadline SET met_at = $1, met_by_event = $2
          WHERE document_type = $3 AND document_id = $4 AND met_at IS NULL AND ($5::text[] IS NULL OR kind = ANY($5))`,
        [e.now, `${e.type}.${e.event}`, target.type, target.id, meet.kinds === '*' ? null : meet.kinds],
      );
    }
    for (const open of rule.open ?? []) {
      const due = await open.due(e);
      if (!due) continue;
      // one unmet deadline per document and kind: opening again moves the due time of one not yet breached
      await manager.query(
        `INSERT INTO deadline (document_type, document_id, kind, opened_at, opened_by_event, due_at, department_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (document_type, document_id, kind) WHERE met_at IS NULL
         DO UPDATE SET due_at = EXCLUDED.due_at, opened_by_event = EXCLUDED.opened_by_event, department_id = EXCLUDED.department_id
           WHERE deadline.breached_at IS NULL`,
        [e.type, id, open.kind, e.now, `${e.type}.${e.event}`, due, open.department(e)],
      );
    }
  }
}

/** Refuses to boot with a rule keyed by a type or event that does not exist (a rename would silently stop a deadline). */
export function checkDeadlineRules(definitions: Array<DocumentDefinition<any, any>>): void {
  const events = new Set(definitions.flatMap((d) => Object.keys(d.events).map((ev) => `${d.type}.${ev}`)));
  for (const rule of DEADLINE_RULES) for (const key of rule.on) if (!events.has(key)) throw new Error(`deadline rule on ${key}: no such document event`);
}

export interface DeadlineRow {
  id: string;
  documentType: string;
  documentId: string;
  kind: DeadlineKind;
  openedAt: Date;
  dueAt: Date;
  metAt: Date | null;
  breachedAt: Date | null;
  escalationLevel: string | null;
}

/** the deadlines of a batch of documents of one type, oldest first */
export async function deadlinesOf(manager: EntityManager, type: string, ids: readonly string[]): Promise<Map<string, DeadlineRow[]>> {
  const rows: DeadlineRow[] = await manager.query(
    `SELECT id::text, document_type AS "documentType", document_id AS "documentId", kind, opened_at AS "openedAt", due_at AS "dueAt", met_at AS "metAt", breached_at AS "breachedAt", escalation_level AS "escalationLevel"
       FROM deadline WHERE document_id = ANY($1) AND document_type = $2 ORDER BY opened_at, id`,
    [ids, type],
  );
  const by = new Map<string, DeadlineRow[]>(ids.map((id) => [id, []]));
  for (const r of rows) by.get(r.documentId)?.push(r);
  return by;
}

/**
 * The `overdue` list filter, for every list: true keeps documents with a deadline past due and unmet at
 * `now`; false keeps those without one. The list's alias is `d`.
 */
export function whereOverdue<T extends object>(qb: SelectQueryBuilder<T>, type: string, overdue: boolean | null | undefined, now: Date): void {
  if (overdue === null || overdue === undefined) return;
  qb.andWhere(
    `${overdue ? '' : 'NOT '}EXISTS (SELECT 1 FROM deadline od WHERE od.document_id = d.id AND od.document_type = :overdueType AND od.met_at IS NULL AND od.due_at < :overdueNow)`,
    { overdueType: type, overdueNow: now },
  );
}
