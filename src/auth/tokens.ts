/**
 * Bearer tokens: random, shown once, stored as SHA-256 (a fast hash is right
 * for 256-bit random secrets; there is nothing to brute-force). Verified
 * tokens are cached briefly so a request does not pay a query for its caller.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiToken, User } from '../organisation/organisation.entities';
import type { Caller } from './roles';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const generateToken = (): string => `sdd_${randomBytes(32).toString('base64url')}`;

export async function issueToken(dataSource: DataSource, userId: string, label: string): Promise<string> {
  const token = generateToken();
  await dataSource.getRepository(ApiToken).insert({ userId, label, tokenHash: hashToken(token), revokedAt: null });
  return token;
}

export class TokenVerifier {
  private readonly cache = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlMs: number,
  ) {}

  /** The caller behind a bearer token, or null for an unknown, revoked or inactive one. */
  async verify(token: string): Promise<Caller | null> {
    if (!token || token.length > 200) return null;
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.caller;
    const row = await this.dataSource
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .innerJoinAndSelect(User, 'u', 'u.id = t.user_id')
      .where('t.token_hash = :hash', { hash })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('u.active')
      .select(['u.id AS id', 'u.name AS name', 'u.kind AS kind', 'u.roles AS roles', 'u.department_id AS department_id', 'u.customer_id AS customer_id'])
      // in the same statement: whether any access grant of the caller is active now
      .addSelect(`EXISTS (SELECT 1 FROM access_request g WHERE g.created_by_id = u.id AND g.state = 'GRANTED' AND g.granted_until > now())`, 'holds_grants')
      .getRawOne<{ id: string; name: string; kind: Caller['kind']; roles: Caller['roles']; department_id: string | null; customer_id: string | null; holds_grants: boolean }>();
    if (!row) {
      this.cache.delete(hash);
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
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { caller, until: Date.now() + this.ttlMs });
    return caller;
  }
}
