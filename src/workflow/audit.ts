/**
 * The hash chain over a document's audit events (SPEC §6).
 * hash = sha256(prevHash + canonical JSON of the event's content).
 */
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditEvent } from './workflow.entities';

/** JSON with object keys sorted at every level: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type HashedContent = Omit<AuditEvent, 'id' | 'hash' | 'prevHash'>;

function contentOf(e: HashedContent): Record<string, unknown> {
  return {
    documentType: e.documentType,
    documentId: e.documentId,
    seq: e.seq,
    event: e.event,
    fromState: e.fromState,
    toState: e.toState,
    version: e.version,
    actorId: e.actorId,
    actorName: e.actorName,
    actorRoles: e.actorRoles,
    at: new Date(e.at).toISOString(),
    reason: e.reason,
    changes: e.changes,
    requestId: e.requestId,
    idempotencyKey: e.idempotencyKey,
  };
}

export function hashEvent(prevHash: string | null, e: HashedContent): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonicalJson(contentOf(e)))
    .digest('hex');
}

export type NewAuditEvent = Omit<HashedContent, 'seq' | 'at'> & { at: Date };

/**
 * Appends one event to a document's chain. Runs inside the transaction that
 * holds the document's row lock, so the previous event cannot change under it.
 */
export async function appendAuditEvent(manager: EntityManager, input: NewAuditEvent): Promise<AuditEvent> {
  const previous = await manager.findOne(AuditEvent, {
    where: { documentId: input.documentId },
    order: { seq: 'DESC' },
    select: { seq: true, hash: true },
  });
  const seq = (previous?.seq ?? 0) + 1;
  // timestamps keep millisecond precision so the stored value hashes the same when read back
  const at = new Date(Math.floor(input.at.getTime()));
  const event = manager.create(AuditEvent, { ...input, seq, at, prevHash: previous?.hash ?? null });
  event.hash = hashEvent(event.prevHash, event);
  return manager.save(AuditEvent, event);
}

export interface ChainVerification {
  valid: boolean;
  eventCount: number;
  /** the first event whose stored hash or link does not match */
  brokenAtSeq: number | null;
  reason: string | null;
}

/** Verifies events in order; `previous` is the already-verified event just before them, when they do not start the chain. */
export function verifyChain(events: AuditEvent[], previous: AuditEvent | null = null): ChainVerification {
  let prev: AuditEvent | null = previous;
  for (const e of events) {
    const expectedSeq = (prev?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) return broken(events.length, e.seq, `expected event #${expectedSeq}, found #${e.seq}`);
    if ((e.prevHash ?? null) !== (prev?.hash ?? null)) return broken(events.length, e.seq, 'does not link to the previous event');
    if (hashEvent(e.prevHash, e) !== e.hash) return broken(events.length, e.seq, 'content does not match its hash');
    if (prev && e.fromState !== prev.toState) return broken(events.length, e.seq, 'starts from a state the previous event did not end in');
    prev = e;
  }
  return { valid: true, eventCount: events.length, brokenAtSeq: null, reason: null };
}

const broken = (count: number, seq: number, reason: string): ChainVerification => ({ valid: false, eventCount: count, brokenAtSeq: seq, reason });
