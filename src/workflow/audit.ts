/**
 * The hash chain over a document's audit events (SPEC §6).
 * hash = sha256(prevHash + canonical JSON of the event's content).
 *
 * Version 2 (records control, SPEC §5): the content hashed holds, instead of the raw `reason` and `changes`,
 * `digests` — for every changed field and for the reason (`$reason`) sha256(salt + canonical value), each with a
 * random salt of its own. The raw values and salts are stored beside them and verified against the digests
 * while they exist. A purge removes the personal values and their salts (the narrow SECURITY DEFINER function
 * redact_audit_personal, only after a PURGE event listing those fields was appended) and marks the events
 * `redactedBySeq`: the chain still verifies, a removed value is accepted only where that PURGE event lists it,
 * any altered value still breaks its digest, and without its salt a removed value cannot be guessed back from it.
 * Version 1 events (written before) hash the raw values; the RecordsControl migration upgraded verified chains.
 */
import { createHash, randomBytes } from 'node:crypto';
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

type HashedContent = Omit<AuditEvent, 'id' | 'hash' | 'prevHash' | 'hashVersion' | 'digests' | 'salts' | 'redactedBySeq'> & Partial<Pick<AuditEvent, 'hashVersion' | 'digests' | 'salts' | 'redactedBySeq'>>;

/** the key of the reason among an event's digests */
export const REASON_KEY = '$reason';
/** the event a purge appends; its changes.redacted.to lists the fields it removed */
export const PURGE_EVENT = 'PURGE';

export const CURRENT_HASH_VERSION = 2;

/** sha256(salt + canonical JSON of the value): what the chain keeps of one changed field or the reason. */
export const digestOf = (salt: string, value: unknown): string => createHash('sha256').update(salt).update('\n').update(canonicalJson(value)).digest('hex');

/** Salts and digests for an event's reason and changes (v2). */
export function sealValues(reason: string | null, changes: Record<string, unknown>): { digests: Record<string, string>; salts: Record<string, string> } {
  const digests: Record<string, string> = {};
  const salts: Record<string, string> = {};
  const values: Array<[string, unknown]> = [...Object.entries(changes ?? {}), ...(reason !== null && reason !== undefined ? ([[REASON_KEY, reason]] as Array<[string, unknown]>) : [])];
  // one draw from the CSPRNG for the whole event, 16 bytes per salt
  const random = values.length ? randomBytes(16 * values.length) : null;
  values.forEach(([key, value], i) => {
    salts[key] = random!.toString('hex', 16 * i, 16 * (i + 1));
    digests[key] = digestOf(salts[key], value);
  });
  return { digests, salts };
}

function contentOf(e: HashedContent): Record<string, unknown> {
  if ((e.hashVersion ?? 1) >= 2) {
    const { reason: _reason, changes: _changes, ...rest } = contentV1(e);
    return { ...rest, hashVersion: e.hashVersion, digests: e.digests ?? {} };
  }
  return contentV1(e);
}

function contentV1(e: HashedContent): Record<string, unknown> {
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
  return manager.save(AuditEvent, manager.create(AuditEvent, sealAuditEvent(previous ?? null, input)));
}

/** The last event of a document's chain (null: no event yet), as read under the document's row lock. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The next event of a chain whose head is `head`: its seq, link, salts, digests and hash — everything but the
 * database id. appendAuditEvent and the engine's lean transition (which read the head with the row lock, in one
 * statement) both build events here.
 */
export function sealAuditEvent(head: ChainHead | null, input: NewAuditEvent): Omit<AuditEvent, 'id'> {
  const seq = (head?.seq ?? 0) + 1;
  // timestamps keep millisecond precision so the stored value hashes the same when read back
  const at = new Date(Math.floor(input.at.getTime()));
  const event = { redactedBySeq: null, ...input, seq, at, prevHash: head?.hash ?? null, hashVersion: CURRENT_HASH_VERSION, ...sealValues(input.reason, input.changes), hash: '' };
  event.hash = hashEvent(event.prevHash, event);
  return event;
}

export interface ChainVerification {
  valid: boolean;
  eventCount: number;
  /** the first event whose stored hash or link does not match */
  brokenAtSeq: number | null;
  reason: string | null;
}

/**
 * Verifies events in order; `previous` is the already-verified event just before them, when they do not start
 * the chain. `purges`: the document's PURGE events by seq, with the fields each removed (a v2 event may lack a
 * value only where the PURGE event it names in redactedBySeq lists that field).
 */
export function verifyChain(events: AuditEvent[], previous: AuditEvent | null = null, purges: Map<number, string[]> = new Map()): ChainVerification {
  let prev: AuditEvent | null = previous;
  for (const e of events) {
    const expectedSeq = (prev?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) return broken(events.length, e.seq, `expected event #${expectedSeq}, found #${e.seq}`);
    if ((e.prevHash ?? null) !== (prev?.hash ?? null)) return broken(events.length, e.seq, 'does not link to the previous event');
    if (hashEvent(e.prevHash, e) !== e.hash) return broken(events.length, e.seq, 'content does not match its hash');
    if ((e.hashVersion ?? 1) >= 2) {
      const problem = valuesProblem(e, purges);
      if (problem) return broken(events.length, e.seq, problem);
    }
    if (prev && e.fromState !== prev.toState) return broken(events.length, e.seq, 'starts from a state the previous event did not end in');
    prev = e;
  }
  return { valid: true, eventCount: events.length, brokenAtSeq: null, reason: null };
}

/** v2: every stored value matches its digest; every missing one was removed by a recorded purge. */
function valuesProblem(e: AuditEvent, purges: Map<number, string[]>): string | null {
  const digests = e.digests ?? {};
  const changes = e.changes ?? {};
  for (const key of Object.keys(changes)) if (!(key in digests)) return `the change of ${key} is not covered by the hash`;
  if (e.reason !== null && e.reason !== undefined && !(REASON_KEY in digests)) return 'the reason is not covered by the hash';
  for (const [key, digest] of Object.entries(digests)) {
    const present = key === REASON_KEY ? e.reason !== null && e.reason !== undefined : key in changes;
    if (present) {
      const salt = e.salts?.[key];
      if (!salt || digestOf(salt, key === REASON_KEY ? e.reason : changes[key]) !== digest) return `${key === REASON_KEY ? 'the reason' : key} does not match its digest`;
    } else {
      const removed = e.redactedBySeq ? purges.get(e.redactedBySeq) : undefined;
      if (!removed || !removed.includes(key) || e.redactedBySeq! <= e.seq) return `${key === REASON_KEY ? 'the reason' : key} is missing and no purge records its removal`;
    }
  }
  return null;
}

/**
 * Rewrites a verified v1 chain as v2 (salts, digests, new hashes, in order): the RecordsControl migration runs
 * it as the owner on every chain that verifies, so documents closed before records control can be purged
 * provably too. Returns null (and changes nothing) when the chain does not verify as it is.
 */
export function upgradeChain(events: AuditEvent[]): AuditEvent[] | null {
  if (events.some((e) => (e.hashVersion ?? 1) >= 2) || !verifyChain(events).valid) return null;
  let prevHash: string | null = null;
  return events.map((e) => {
    const upgraded = { ...e, hashVersion: CURRENT_HASH_VERSION, ...sealValues(e.reason, e.changes), prevHash } as AuditEvent;
    upgraded.hash = hashEvent(prevHash, upgraded);
    prevHash = upgraded.hash;
    return upgraded;
  });
}

const broken = (count: number, seq: number, reason: string): ChainVerification => ({ valid: false, eventCount: count, brokenAtSeq: seq, reason });
