/**
 * The admin audit trail: every admin change, one hash chain over all of them (SPEC §6 for the administration).
 * Sealed and verified by the documents' chain code (src/workflow/audit.ts: sealAuditEvent, verifyChain) — an
 * admin change is hashed as an event of the subject it changed, with the trail's seq as its version and no
 * state. Appends are serialised by a transaction-scoped advisory lock, so two admins never fork the chain;
 * the app role may only INSERT and SELECT the table (AdministrationData migration).
 */
import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/roles';
import { sealAuditEvent, verifyChain, type ChainVerification } from '../workflow/audit';
import type { AuditEvent } from '../workflow/workflow.entities';
import { AdminAuditEvent } from './admin.entities';

/** the advisory lock key of the trail's head (any constant distinct from the other advisory locks) */
const TRAIL_LOCK = 1796000500;

export interface AdminChange {
  subjectType: string;
  subjectId: string;
  event: string;
  reason?: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** An admin event as the chain code sees it: the subject in place of the document, the seq as version, no states. */
function asChainEvent(e: Omit<AdminAuditEvent, 'id'>): AuditEvent {
  return {
    documentType: e.subjectType,
    documentId: e.subjectId,
    seq: e.seq,
    event: e.event,
    fromState: null,
    toState: null as unknown as string,
    version: e.seq,
    actorId: e.actorId,
    actorName: e.actorName,
    actorRoles: e.actorRoles,
    at: e.at,
    reason: e.reason,
    changes: e.changes,
    requestId: e.requestId,
    idempotencyKey: null,
    prevHash: e.prevHash,
    hash: e.hash,
    hashVersion: e.hashVersion,
    digests: e.digests,
    salts: e.salts,
    redactedBySeq: null,
  } as AuditEvent;
}

/** Appends admin changes to the trail, inside the transaction that made them (they commit or vanish together). */
export async function appendAdminAudit(manager: EntityManager, caller: Caller, requestId: string | null, at: Date, changes: AdminChange[]): Promise<void> {
  if (!changes.length) return;
  await manager.query(`SELECT pg_advisory_xact_lock($1)`, [TRAIL_LOCK]);
  const [head]: Array<{ seq: number; hash: string }> = await manager.query(`SELECT seq, hash FROM admin_audit_event ORDER BY seq DESC LIMIT 1`);
  let previous = head ?? null;
  const rows: Array<Omit<AdminAuditEvent, 'id'>> = [];
  for (const change of changes) {
    const sealed = sealAuditEvent(previous, {
      documentType: change.subjectType,
      documentId: change.subjectId,
      event: change.event,
      fromState: null,
      toState: null as unknown as string,
      // the trail has no document version: the event's seq stands for it
      version: (previous?.seq ?? 0) + 1,
      actorId: caller.userId,
      actorName: caller.name,
      actorRoles: [...caller.roles],
      at,
      reason: change.reason ?? null,
      changes: change.changes,
      requestId,
      idempotencyKey: null,
    });
    const row: Omit<AdminAuditEvent, 'id'> = {
      seq: sealed.seq,
      subjectType: change.subjectType,
      subjectId: change.subjectId,
      event: change.event,
      actorId: caller.userId,
      actorName: caller.name,
      actorRoles: [...caller.roles],
      at: sealed.at,
      reason: sealed.reason,
      changes: sealed.changes,
      requestId,
      prevHash: sealed.prevHash,
      hash: sealed.hash,
      hashVersion: sealed.hashVersion,
      digests: sealed.digests,
      salts: sealed.salts,
    };
    rows.push(row);
    previous = { seq: row.seq, hash: row.hash };
  }
  await manager.insert(AdminAuditEvent, rows as never);
}

/** Verifies the trail from its first event (or after `afterSeq`, given the verified event there). */
export function verifyAdminTrail(events: AdminAuditEvent[], previous: AdminAuditEvent | null = null): ChainVerification {
  return verifyChain(events.map(asChainEvent), previous ? asChainEvent(previous) : null);
}
