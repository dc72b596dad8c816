/**
 * Records control (SPEC §5, seed 000 §6): bulk archive, legal holds, purge and the hold reminders.
 *
 * - Archive: every document through its own machine's ARCHIVE (the engine: guard, audit event, outbox row,
 *   reactions), one transaction each, at most `batchMax` per call; what is left is reported as `remaining`.
 * - Legal hold: a row of legal_hold, set and lifted by an archivist under the document's row lock, and told on
 *   the document's own hash chain (LEGAL_HOLD, LEGAL_HOLD_LIFTED: from = to = its state, version unchanged, as an
 *   escalation is) and on the hold's own chain (`LegalHold` SET, REMIND, LIFT), each with its outbox row.
 * - Purge: only an archived document, after its retention, with no hold standing — checked under the document's
 *   row lock, which setting a hold takes too, so a hold and a purge never pass each other. It nulls the type's
 *   personalFields, runs its purgeSql, appends PURGE (listing what it removed) and has redact_audit_personal
 *   remove those values from the document's earlier audit events (src/workflow/audit.ts says why the chain
 *   still verifies).
 */
import { changedRows } from '../db/returning';
import type { DataSource, EntityManager } from 'typeorm';
import { type Caller, hasRole, Role, SYSTEM_CALLER } from '../auth/roles';
import type { RecordsConfig } from '../config';
import { appendAuditEvent, PURGE_EVENT, REASON_KEY } from '../workflow/audit';
import { ARCHIVED, type DocumentDefinition, type RequestMeta } from '../workflow/definition';
import type { WorkflowEngine } from '../workflow/engine';
import { Refusal, UserErrorCode, type UserErrorData } from '../workflow/errors';
import { writeOutbox } from '../workflow/outbox';
import { allDefinitions, definitionOf } from '../workflow/registry';
import { retentionUntil, retentionUntilSql } from './retention';

export const LEGAL_HOLD_EVENT = 'LEGAL_HOLD';
export const LEGAL_HOLD_LIFTED_EVENT = 'LEGAL_HOLD_LIFTED';
/** the audit and outbox type of a hold itself (webhooks: `LegalHold.REMIND`; subscriptions: `escalations` for its owner) */
export const LEGAL_HOLD = 'LegalHold';

/** the types under records control */
export const recordTypes = (): DocumentDefinition<any, any>[] => allDefinitions().filter((d) => d.records);
/** the types an archivist archives directly (the others follow the document they belong to) */
export const archivableTypes = (): DocumentDefinition<any, any>[] => recordTypes().filter((d) => !d.records!.archivedWithParent);

export const isArchivist = (caller: Caller): boolean => hasRole(caller, Role.ARCHIVIST);

const forbidden = () => Refusal.of(UserErrorCode.FORBIDDEN, 'Only the records custodian (ARCHIVIST) or an automation holding that role does this.');


const actorOf = (caller: Caller) => ({ actorId: caller.userId, actorName: caller.name, actorRoles: [...caller.roles] });

// ── archive ────────────────────────────────────────────────────────────────────────────────────────

export interface ArchiveCriteria {
  type: string;
  closedFrom: Date;
  closedTo: Date;
  category?: string | null;
  limit?: number | null;
}

export interface ArchiveOutcome {
  archivedIds: string[];
  refused: Array<{ id: string; error: UserErrorData }>;
  remaining: number;
}

/** Archives the closed, unarchived documents of one type closed in [closedFrom, closedTo), oldest first, at most batchMax. */
export async function archiveMany(dataSource: DataSource, engine: WorkflowEngine, config: RecordsConfig, caller: Caller, criteria: ArchiveCriteria, meta: RequestMeta): Promise<ArchiveOutcome> {
  if (!isArchivist(caller)) throw forbidden();
  const def = archivableTypes().find((d) => d.type === criteria.type);
  if (!def) throw Refusal.of(UserErrorCode.VALIDATION, `type must be one of ${archivableTypes().map((d) => d.type).join(', ')} (tasks, records and acceptances are archived with their request)`, 'type');
  if (!(criteria.closedFrom < criteria.closedTo)) throw Refusal.of(UserErrorCode.VALIDATION, 'closedFrom must be before closedTo', 'closedTo');
  if (criteria.category && !def.records!.categoryColumn) throw Refusal.of(UserErrorCode.VALIDATION, `a ${def.type} has no category`, 'category');
  const limit = Math.min(criteria.limit ?? config.batchMax, config.batchMax);
  const where = `document_type = $1 AND archived_at IS NULL AND closed_at >= $2 AND closed_at < $3 AND ($4::text IS NULL OR category = $4)`;
  const params = [def.type, criteria.closedFrom, criteria.closedTo, criteria.category ?? null];
  const candidates: Array<{ document_id: string }> = await dataSource.query(`SELECT document_id FROM document_record WHERE ${where} ORDER BY closed_at, document_id LIMIT $5`, [...params, limit]);
  const outcome: ArchiveOutcome = { archivedIds: [], refused: [], remaining: 0 };
  for (const { document_id: id } of candidates) {
    // each through its own machine, in its own transaction: a concurrent archivist's work is refused (ARCHIVED) and reported, never repeated
    const result = await engine.fire(def, caller, 'ARCHIVE', { id }, meta);
    if (result.userErrors.length) outcome.refused.push({ id, error: result.userErrors[0] });
    else outcome.archivedIds.push(id);
  }
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM document_record WHERE ${where}`, params);
  outcome.remaining = n;
  return outcome;
}

// ── legal holds ────────────────────────────────────────────────────────────────────────────────────

export interface HoldRow {
  id: string;
  document_type: string;
  document_id: string;
  reason: string;
  owner_id: string;
  review_at: Date;
  set_by_id: string;
  set_at: Date;
  lifted_by_id: string | null;
  lifted_at: Date | null;
  lift_reason: string | null;
  reminded_at: Date | null;
}

/** The document of a records type, row-locked, when it is closed or archived (what an archivist may act on); else NOT_FOUND. */
async function lockRecord(manager: EntityManager, documentType: string, documentId: string): Promise<{ def: DocumentDefinition<any, any>; doc: { id: string; state: string; version: number } }> {
  const def = definitionOf(documentType);
  if (!def?.records) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No document under records control with this id.', 'documentId');
  const table = manager.connection.getMetadata(def.entity).tableName;
  const [doc] = await manager.query(`SELECT id, state, version FROM "${table}" WHERE id = $1 FOR UPDATE`, [documentId]);
  const [record] = doc ? await manager.query(`SELECT closed_at, archived_at FROM document_record WHERE document_id = $1`, [documentId]) : [];
  // an archivist reads closed and archived documents only: an open one answers like a missing one
  if (!doc || !record || (!record.closed_at && !record.archived_at)) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No closed or archived document with this id.', 'documentId');
  return { def, doc };
}

async function tellDocument(manager: EntityManager, def: DocumentDefinition<any, any>, doc: { id: string; state: string; version: number }, caller: Caller, event: string, reason: string, changes: Record<string, { from: unknown; to: unknown }>, now: Date, meta: RequestMeta) {
  const audit = await appendAuditEvent(manager, { documentType: def.type, documentId: doc.id, event, fromState: doc.state, toState: doc.state, version: doc.version, ...actorOf(caller), at: now, reason, changes, ...meta });
  await writeOutbox(manager, audit);
}

async function tellHold(manager: EntityManager, holdId: string, caller: Caller, event: string, from: string | null, to: string, reason: string, changes: Record<string, { from: unknown; to: unknown }>, now: Date, meta: RequestMeta) {
  const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM audit_event WHERE document_id = $1`, [holdId]);
  const audit = await appendAuditEvent(manager, { documentType: LEGAL_HOLD, documentId: holdId, event, fromState: from, toState: to, version: n + 1, ...actorOf(caller), at: now, reason, changes, ...meta });
  await writeOutbox(manager, audit);
}

export async function setHold(engine: WorkflowEngine, caller: Caller, input: { documentType: string; documentId: string; reason: string; ownerId: string; reviewAt: Date }, meta: RequestMeta): Promise<HoldRow> {
  if (!isArchivist(caller)) throw forbidden();
  const now = engine.now();
  if (!(input.reviewAt > now)) throw Refusal.of(UserErrorCode.VALIDATION, 'reviewAt must be in the future', 'reviewAt');
  return engine.transaction(async (manager) => {
    const { def, doc } = await lockRecord(manager, input.documentType, input.documentId);
    const [owner] = await manager.query(`SELECT id FROM app_user WHERE id = $1 AND active AND customer_id IS NULL`, [input.ownerId]);
    if (!owner) throw Refusal.of(UserErrorCode.VALIDATION, 'ownerId must name an active member of staff', 'ownerId');
    const [hold]: HoldRow[] = await manager.query(
      `INSERT INTO legal_hold (document_type, document_id, reason, owner_id, review_at, set_by_id, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [def.type, doc.id, input.reason, input.ownerId, input.reviewAt, caller.userId, now],
    );
    const summary = { id: hold.id, ownerId: input.ownerId, reviewAt: input.reviewAt.toISOString() };
    await tellDocument(manager, def, doc, caller, LEGAL_HOLD_EVENT, input.reason, { legalHold: { from: null, to: summary } }, now, meta);
    await tellHold(manager, hold.id, caller, 'SET', null, 'STANDING', input.reason, { document: { from: null, to: { type: def.type, id: doc.id } }, ...{ hold: { from: null, to: summary } } }, now, meta);
    return hold;
  });
}

export async function liftHold(engine: WorkflowEngine, caller: Caller, input: { id: string; reason: string }, meta: RequestMeta): Promise<HoldRow> {
  if (!isArchivist(caller)) throw forbidden();
  const now = engine.now();
  return engine.transaction(async (manager) => {
    const [found]: HoldRow[] = await manager.query(`SELECT * FROM legal_hold WHERE id = $1`, [input.id]);
    if (!found) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No legal hold with this id.', 'id');
    // the document first (the order purge and setHold lock in), then the hold
    const { def, doc } = await lockRecord(manager, found.document_type, found.document_id);
    const [hold] = await changedRows<HoldRow>(manager, `UPDATE legal_hold SET lifted_by_id = $2, lifted_at = $3, lift_reason = $4 WHERE id = $1 AND lifted_at IS NULL RETURNING *`, [input.id, caller.userId, now, input.reason]);
    if (!hold) throw Refusal.of(UserErrorCode.GUARD_FAILED, 'This legal hold has already been lifted.', 'id');
    await tellDocument(manager, def, doc, caller, LEGAL_HOLD_LIFTED_EVENT, input.reason, { legalHold: { from: { id: hold.id }, to: null } }, now, meta);
    await tellHold(manager, hold.id, caller, 'LIFT', 'STANDING', 'LIFTED', input.reason, {}, now, meta);
    return hold;
  });
}

/**
 * The reminder sweep (cron, src/jobs/runner.ts): each standing hold whose review date is within
 * holdReminderDays is reminded once — `UPDATE … WHERE reminded_at IS NULL` decides who sends it, however many
 * processes sweep — as a `LegalHold.REMIND` event on the hold's chain with its outbox row (webhooks, and the
 * `escalations` subscription for its owner and the archivists).
 */
export async function remindHolds(dataSource: DataSource, now: Date, reminderDays: number, limit = 500): Promise<number> {
  const horizon = new Date(now.getTime() + reminderDays * 86_400_000);
  const due: Array<{ id: string }> = await dataSource.query(`SELECT id FROM legal_hold WHERE lifted_at IS NULL AND reminded_at IS NULL AND review_at <= $1 ORDER BY review_at LIMIT $2`, [horizon, limit]);
  let reminded = 0;
  for (const { id } of due) {
    const sent = await dataSource.transaction(async (manager) => {
      const [hold] = await changedRows<HoldRow>(manager, `UPDATE legal_hold SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL AND lifted_at IS NULL RETURNING *`, [id, now]);
      if (!hold) return false;
      const reason = `The legal hold on ${hold.document_type} is due for review on ${new Date(hold.review_at).toISOString()}: confirm or lift it.`;
      await tellHold(manager, hold.id, SYSTEM_CALLER, 'REMIND', 'STANDING', 'STANDING', reason, { reminder: { from: null, to: { ownerId: hold.owner_id, reviewAt: new Date(hold.review_at).toISOString(), documentType: hold.document_type, documentId: hold.document_id } } }, now, { requestId: 'legal-hold-reminder', idempotencyKey: null });
      return true;
    });
    if (sent) reminded++;
  }
  return reminded;
}

// ── purge ──────────────────────────────────────────────────────────────────────────────────────────

export interface PurgeResult {
  documentType: string;
  documentId: string;
  number: string;
  purgedAt: Date;
  fields: string[];
}

/** Purges one document in the caller's transaction; refuses (Refusal) when it may not be purged now. */
export async function purgeOne(manager: EntityManager, config: RecordsConfig, caller: Caller, def: DocumentDefinition<any, any>, id: string, now: Date, meta: RequestMeta): Promise<PurgeResult> {
  const policy = def.records;
  if (!policy) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No document under records control with this id.', 'id');
  const metadata = manager.connection.getMetadata(def.entity);
  const table = metadata.tableName;
  const [doc] = await manager.query(`SELECT id, number, state, version FROM "${table}" WHERE id = $1 FOR UPDATE`, [id]);
  const [record] = doc ? await manager.query(`SELECT closed_at, archived_at, purged_at FROM document_record WHERE document_id = $1`, [id]) : [];
  if (!doc || !record || (!record.closed_at && !record.archived_at)) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No closed or archived document with this id.', 'id');
  if (doc.state !== ARCHIVED) throw Refusal.of(UserErrorCode.GUARD_FAILED, 'Only an archived document is purged: archive it first.', 'id');
  if (record.purged_at) throw Refusal.of(UserErrorCode.GUARD_FAILED, 'This document has already been purged.', 'id');
  const until = retentionUntil(config, def.type, record.closed_at ? new Date(record.closed_at) : null);
  if (!until || until > now) throw Refusal.of(UserErrorCode.GUARD_FAILED, `Retention runs until ${until?.toISOString() ?? 'its closing plus the retention period'}: a document is purged only after it.`, 'id');
  const holds: Array<{ id: string }> = await manager.query(`SELECT id FROM legal_hold WHERE document_id = $1 AND lifted_at IS NULL`, [id]);
  if (holds.length) throw Refusal.of(UserErrorCode.LEGAL_HOLD, `${holds.length} legal hold${holds.length > 1 ? 's stand' : ' stands'} on this document: it cannot be purged until ${holds.length > 1 ? 'they are' : 'it is'} lifted.`, 'id');

  // the personal columns: NULL, or for a NOT NULL column an empty value of its kind
  const sets: string[] = [];
  for (const field of policy.personalFields) {
    const column = metadata.findColumnWithPropertyName(field);
    if (!column) throw new Error(`${def.type}.records.personalFields names ${field}, which is not a column`);
    const empty = column.isNullable ? 'NULL' : column.type === 'jsonb' ? `'[]'::jsonb` : column.isArray ? `'{}'` : `'[purged]'`;
    sets.push(`"${column.databaseName}" = ${empty}`);
  }
  await manager.query(`UPDATE "${table}" SET ${sets.join(', ')}, version = version + 1, updated_at = $2 WHERE id = $1`, [id, now]);
  for (const sql of policy.purgeSql ?? []) await manager.query(sql, [id]);
  // signatures' comments are free text on every approvable type
  await manager.query(`UPDATE approval_signature SET comment = NULL WHERE document_id = $1`, [id]);
  await manager.query(`UPDATE document_record SET purged_at = $2 WHERE document_id = $1`, [id, now]);
  const fields = [...policy.personalFields, REASON_KEY];
  const audit = await appendAuditEvent(manager, {
    documentType: def.type,
    documentId: id,
    event: PURGE_EVENT,
    fromState: ARCHIVED,
    toState: ARCHIVED,
    version: doc.version + 1,
    ...actorOf(caller),
    at: now,
    reason: `Retention ended ${until.toISOString()}; no legal hold stands. Personal data removed.`,
    changes: { redacted: { from: null, to: fields } },
    ...meta,
  });
  // the values it listed leave every earlier event of the chain (the app role cannot UPDATE audit_event itself)
  await manager.query(`SELECT redact_audit_personal($1)`, [id]);
  // the outbox's copies of the earlier events' changes and reasons go too
  await manager.query(`UPDATE outbox_event SET payload = jsonb_build_object('changes', '{}'::jsonb, 'reason', NULL, 'requestId', payload->'requestId') WHERE document_id = $1 AND audit_seq < $2`, [id, audit.seq]);
  await writeOutbox(manager, audit);
  return { documentType: def.type, documentId: id, number: doc.number, purgedAt: now, fields: policy.personalFields };
}

export async function purgeById(engine: WorkflowEngine, config: RecordsConfig, caller: Caller, documentType: string, id: string, meta: RequestMeta): Promise<PurgeResult> {
  if (!isArchivist(caller)) throw forbidden();
  const def = definitionOf(documentType);
  if (!def?.records) throw Refusal.of(UserErrorCode.NOT_FOUND, 'No document under records control with this id.', 'id');
  return engine.transaction((manager) => purgeOne(manager, config, caller, def, id, engine.now(), meta));
}

export interface PurgeSweep {
  purged: PurgeResult[];
  refused: Array<{ id: string; error: UserErrorData }>;
  remaining: number;
}

/**
 * Purges what is due — archived, past retention, not purged, no standing hold — oldest first, at most `limit`,
 * each in its own transaction (each re-checked under its row lock). The scheduled job runs it as the system;
 * purgeDocuments as the archivist.
 */
export async function purgeDue(engine: WorkflowEngine, dataSource: DataSource, config: RecordsConfig, caller: Caller, options: { type?: string | null; limit?: number | null }, meta: RequestMeta): Promise<PurgeSweep> {
  const types = recordTypes().map((d) => d.type);
  const due = `r.archived_at IS NOT NULL AND r.purged_at IS NULL AND ${retentionUntilSql(config, types)} <= $1 AND ($2::text IS NULL OR r.document_type = $2)
    AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.document_id = r.document_id AND h.lifted_at IS NULL)`;
  const now = engine.now();
  const limit = Math.min(options.limit ?? config.batchMax, config.batchMax);
  const rows: Array<{ document_type: string; document_id: string }> = await dataSource.query(`SELECT document_type, document_id FROM document_record r WHERE ${due} ORDER BY r.closed_at, r.document_id LIMIT $3`, [now, options.type ?? null, limit]);
  const sweep: PurgeSweep = { purged: [], refused: [], remaining: 0 };
  for (const row of rows) {
    try {
      sweep.purged.push(await engine.transaction((manager) => purgeOne(manager, config, caller, definitionOf(row.document_type)!, row.document_id, now, meta)));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      sweep.refused.push({ id: row.document_id, error: error.errors[0] });
    }
  }
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM document_record r WHERE ${due}`, [now, options.type ?? null]);
  sweep.remaining = n;
  return sweep;
}
