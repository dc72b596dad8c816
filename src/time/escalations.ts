/**
 * Escalation on breach (SPEC §4): the breach sweep (a graphile-worker cron task, src/jobs/runner.ts) marks
 * each deadline past due and unmet as breached and raises an Escalation to the supervisors of its
 * department; one still unmet a further period later (ESCALATE_TO_EXECUTIVE_AFTER_HOURS) is raised to the
 * executives. A met deadline is never escalated again.
 *
 * Exactly once, however many processes sweep at once: each deadline is handled in a transaction that first
 * locks its document's row (the order the engine locks in: document, then its deadlines), then moves the
 * deadline with `UPDATE … WHERE breached_at IS NULL` (or `escalation_level = 'SUPERVISOR'`) and goes on only
 * when that UPDATE returned the row; the unique (deadline, level) on escalation backs it up.
 *
 * History: each escalation appends an `ESCALATE` audit event to the document's hash chain (from = to = its
 * current state, actor system, the document's version unchanged: an escalation changes nothing of the
 * document, so a client's expectedVersion stays good), and writes its outbox row (subscriptions, webhooks).
 * This is safe for the chain because it is done under the document's row lock, as the engine appends.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_CALLER } from '../auth/roles';
import { appendAuditEvent } from '../workflow/audit';
import { writeOutbox } from '../workflow/outbox';
import { definitionOf } from '../workflow/registry';

export const ESCALATE = 'ESCALATE';
/** the outbox and audit type of an escalation itself (subscriptions: `escalations`; webhooks: `Escalation.RAISE`) */
export const ESCALATION = 'Escalation';

export enum EscalationLevel {
  SUPERVISOR = 'SUPERVISOR',
  EXECUTIVE = 'EXECUTIVE',
}

export interface SweepResult {
  supervisor: number;
  executive: number;
}

interface Candidate {
  id: string;
  document_type: string;
  document_id: string;
  level: EscalationLevel;
}

/**
 * The breach sweep: call it with the time to judge by (the API's clock). Returns how many escalations it
 * raised. Exported so tests run it directly with their clock.
 */
export async function escalateBreaches(dataSource: DataSource, now: Date, executiveAfterHours: number, limit = 500): Promise<SweepResult> {
  const executiveBefore = new Date(now.getTime() - executiveAfterHours * 3_600_000);
  const candidates: Candidate[] = await dataSource.query(
    `SELECT id::text, document_type, document_id,
            CASE WHEN breached_at IS NULL THEN 'SUPERVISOR' ELSE 'EXECUTIVE' END AS level
       FROM deadline
      WHERE met_at IS NULL
        AND ((breached_at IS NULL AND due_at < $1) OR (escalation_level = 'SUPERVISOR' AND escalated_at <= $2))
      ORDER BY due_at LIMIT $3`,
    [now, executiveBefore, limit],
  );
  const result: SweepResult = { supervisor: 0, executive: 0 };
  for (const c of candidates) {
    const raised = await dataSource.transaction((manager) => escalateOne(manager, c, now, executiveBefore));
    if (raised === EscalationLevel.SUPERVISOR) result.supervisor++;
    if (raised === EscalationLevel.EXECUTIVE) result.executive++;
  }
  return result;
}

/** TypeORM answers an UPDATE … RETURNING with [rows, rowCount] */
const returned = <T>(result: unknown): T[] => (Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]));

async function escalateOne(manager: EntityManager, c: Candidate, now: Date, executiveBefore: Date): Promise<EscalationLevel | null> {
  const def = definitionOf(c.document_type);
  if (!def) throw new Error(`a deadline names ${c.document_type}, which is not a registered document type`);
  const table = manager.connection.getMetadata(def.entity).tableName;
  // the document first: the engine holds it while it meets deadlines, so a deadline met concurrently is seen met here
  const [doc]: Array<{ state: string; version: number }> = await manager.query(`SELECT state, version FROM "${table}" WHERE id = $1 FOR UPDATE`, [c.document_id]);
  if (!doc) return null;
  const moved = returned<{ kind: string; due_at: Date; department_id: string | null }>(
    c.level === EscalationLevel.SUPERVISOR
      ? await manager.query(
          `UPDATE deadline SET breached_at = $2, escalation_level = 'SUPERVISOR', escalated_at = $2
            WHERE id = $1 AND met_at IS NULL AND breached_at IS NULL AND due_at < $2 RETURNING kind, due_at, department_id`,
          [c.id, now],
        )
      : await manager.query(
          `UPDATE deadline SET escalation_level = 'EXECUTIVE', escalated_at = $2
            WHERE id = $1 AND met_at IS NULL AND escalation_level = 'SUPERVISOR' AND escalated_at <= $3 RETURNING kind, due_at, department_id`,
          [c.id, now, executiveBefore],
        ),
  );
  // someone else escalated it, or it was met meanwhile
  const deadline = moved[0];
  if (!deadline) return null;
  const [escalation]: Array<{ id: string }> = await manager.query(
    `INSERT INTO escalation (deadline_id, document_type, document_id, kind, level, department_id, due_at, raised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
    [c.id, c.document_type, c.document_id, deadline.kind, c.level, deadline.department_id, deadline.due_at, now],
  );
  const dueAt = new Date(deadline.due_at).toISOString();
  const audit = await appendAuditEvent(manager, {
    documentType: c.document_type,
    documentId: c.document_id,
    event: ESCALATE,
    fromState: doc.state,
    toState: doc.state,
    version: doc.version,
    actorId: SYSTEM_CALLER.userId,
    actorName: SYSTEM_CALLER.name,
    actorRoles: [],
    at: now,
    reason: `${deadline.kind} was due ${dueAt} and is unmet: escalated to ${c.level === EscalationLevel.SUPERVISOR ? 'the supervisors of the responsible department' : 'the executives'}`,
    changes: { escalation: { from: null, to: { id: escalation.id, kind: deadline.kind, level: c.level, dueAt } } },
    requestId: 'deadline-breach',
    idempotencyKey: null,
  });
  await writeOutbox(manager, audit);
  // the escalation itself is an audited thing of its own (its own chain) with its own outbox row, so the
  // `escalations` subscription and `Escalation.*` webhooks are told, addressed as the escalation is
  const raised = await appendAuditEvent(manager, {
    documentType: ESCALATION,
    documentId: escalation.id,
    event: 'RAISE',
    fromState: null,
    toState: c.level,
    version: 1,
    actorId: SYSTEM_CALLER.userId,
    actorName: SYSTEM_CALLER.name,
    actorRoles: [],
    at: now,
    reason: audit.reason,
    changes: { document: { from: null, to: { type: c.document_type, id: c.document_id, kind: deadline.kind, dueAt } } },
    requestId: 'deadline-breach',
    idempotencyKey: null,
  });
  await writeOutbox(manager, raised);
  return c.level;
}
