/**
 * Bearer tokens: random, shown once, stored as SHA-256 (a fast hash is right
 * for 256-bit random secrets; there is nothing to brute-force). Verified
 * tokens are cached so a request does not pay a query for its caller, and
 * unknown ones briefly too, so a stream of bad tokens does not cost a query each.
 * The cache is exact, not merely brief: whatever changes a caller (their user
 * row, their tokens, an access request of theirs changing state) notifies
 * `sdd_caller_changed` on commit (a trigger, see the CallerChangeNotifications
 * migration), and every API process listening drops that caller at once. While
 * the listener is down nothing is cached. A rotated token (api_token.expires_at, issue #14) works until the end
 * of its overlap window, and is not kept in the cache beyond it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiToken, User } from '../organisation/organisation.entities';
import type { Caller } from './roles';
import { listen, type Listening } from '../db/notifications';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const generateToken = (): string => `sdd_${randomBytes(32).toString('base64url')}`;

export async function issueToken(dataSource: DataSource, userId: string, label: string): Promise<string> {
  const token = generateToken();
  await dataSource.getRepository(ApiToken).insert({ userId, label, tokenHash: hashToken(token), revokedAt: null });
  return token;
}

/** how long an unknown token is remembered as unknown (a token issued later is a new random string) */
const UNKNOWN_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
export const CALLER_CHANGED = 'sdd_caller_changed';

export class TokenVerifier {
  private readonly cache = new Map<string, { caller: Caller | null; until: number }>();
  /** the cached token hashes of each user, to drop them when the user changes */
  private readonly hashesOf = new Map<string, Set<string>>();
  /** counts notifications: a caller read before one arrived is not cached (it may be the old caller) */
  private changes = 0;
  private subscription: Listening | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlMs: number,
  ) {}

  /** caches only while a notification of a change would reach it */
  private get listening(): boolean {
    return this.subscription?.listening === true;
  }

  /**
   * Listens for caller changes (on the process's one listening connection, src/db/notifications.ts); when it is
   * lost, the whole cache goes (a notification may be missed) and nothing is cached until it listens again.
   */
  async listen(): Promise<void> {
    if (this.ttlMs <= 0 || this.stopped || this.subscription) return;
    this.subscription = await listen(this.dataSource, CALLER_CHANGED, {
      heard: (userId) => userId && this.forget(userId),
      lost: () => {
        // and a caller read before the loss is not cached when it arrives after it
        this.changes++;
        this.cache.clear();
        this.hashesOf.clear();
      },
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close();
  }

  /**
   * Drops one user's cached tokens, and every token remembered as unknown (one of them may be this user's,
   * refused while they were inactive): the next request asks the database again.
   */
  forget(userId: string): void {
    this.changes++;
    for (const hash of this.hashesOf.get(userId) ?? []) this.cache.delete(hash);
    this.hashesOf.delete(userId);
    for (const [hash, entry] of this.cache) if (entry.caller === null) this.cache.delete(hash);
  }

  /** `expiresAt`: a rotated token is not trusted from the cache past the end of its overlap */
  private remember(hash: string, caller: Caller | null, changesWhenRead: number, expiresAt: Date | null = null): void {
    if (!this.listening || changesWhenRead !== this.changes) return;
    if (this.cache.size >= MAX_ENTRIES) {
      this.cache.clear();
      this.hashesOf.clear();
    }
    const until = Date.now() + (caller ? this.ttlMs : Math.min(this.ttlMs, UNKNOWN_TTL_MS));
    this.cache.set(hash, { caller, until: expiresAt ? Math.min(until, new Date(expiresAt).getTime()) : until });
    if (caller) {
      const hashes = this.hashesOf.get(caller.userId) ?? new Set<string>();
      hashes.add(hash);
      this.hashesOf.set(caller.userId, hashes);
    }
  }

  /** The caller behind a bearer token, or null for an unknown, revoked or inactive one. */
  async verify(token: string): Promise<Caller | null> {
    if (!token || token.length > 200) return null;
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.caller;
    const changesWhenRead = this.changes;
    const row = await this.dataSource
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .innerJoinAndSelect(User, 'u', 'u.id = t.user_id')
      .where('t.token_hash = :hash', { hash })
      .andWhere('t.revoked_at IS NULL')
      // a rotated token works until the end of its overlap window
      .andWhere('(t.expires_at IS NULL OR t.expires_at > now())')
      .andWhere('u.active')
      .select(['u.id AS id', 'u.name AS name', 'u.kind AS kind', 'u.roles AS roles', 'u.department_id AS department_id', 'u.customer_id AS customer_id', 't.expires_at AS expires_at'])
      // in the same statement: whether any access grant of the caller is active now
      .addSelect(`EXISTS (SELECT 1 FROM access_request g WHERE g.created_by_id = u.id AND g.state = 'GRANTED' AND g.granted_until > now())`, 'holds_grants')
      .getRawOne<{ id: string; name: string; kind: Caller['kind']; roles: Caller['roles']; department_id: string | null; customer_id: string | null; holds_grants: boolean; expires_at: Date | null }>();
    if (!row) {
      this.remember(hash, null, changesWhenRead);
      return null;
    }
    const caller: Caller = Object.freeze({
      userId: row.id,
      name: row.name,
      kind: row.kind,
      roles: Object.freeze([...row.roles]),
      departmentId: row.department_id,
      customerId: row.customer_id,
      holdsGrants: row.holds_grants,
    });
    this.remember(hash, caller, changesWhenRead, row.expires_at);
    return caller;
  }
}
