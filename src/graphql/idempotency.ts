/**
 * Idempotency-Key for mutations (SPEC §9), scoped to the caller:
 *  - first use: the key is claimed (RUNNING), the request runs, its response is stored (DONE);
 *  - the same key and the same request within 24 h: the stored response, not run again;
 *  - the same key with a different request: every mutation answers IDEMPOTENCY_CONFLICT;
 *  - a duplicate while the first still runs waits for it, and is refused if it does not finish in time.
 * A request that failed with an internal error releases its key, so a retry can run.
 * A key left RUNNING by a process that died is judged by applied_at, which the
 * engine sets with markApplied inside the mutation's transaction: applied ⇒
 * refused (its answer is lost), not applied ⇒ taken over.
 */
import { changedRows } from '../db/returning';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { canonicalJson } from '../workflow/audit';
import { IdempotencyRecord } from './idempotency.entity';

const TTL_MS = 24 * 60 * 60 * 1000;
const WAIT_MS = 10_000;
/** a claim RUNNING longer than this was abandoned (its process died before it could store the answer) */
const ABANDONED_MS = 60_000;
const POLL_MS = 50;
export const MAX_KEY_LENGTH = 200;

export type Claim =
  | { kind: 'run'; finish(status: number, body: string): Promise<void>; release(): Promise<void> }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'refuse'; message: string };

export function requestHash(body: unknown): string {
  const { query, variables, operationName } = (body ?? {}) as Record<string, unknown>;
  return createHash('sha256').update(canonicalJson({ query: query ?? null, variables: variables ?? null, operationName: operationName ?? null })).digest('hex');
}

const LOST: Claim = { kind: 'refuse', message: 'A request with this Idempotency-Key was applied, but its answer was lost; read the document to see its state.' };

export class IdempotencyStore {
  private lastSweep = 0;

  constructor(private readonly dataSource: DataSource) {}

  async claim(callerId: string, key: string, hash: string): Promise<Claim> {
    const repo = this.dataSource.getRepository(IdempotencyRecord);
    await this.sweep();
    const now = new Date();
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_record (caller_id, key, request_hash, status, created_at, expires_at)
       VALUES ($1, $2, $3, 'RUNNING', $4, $5) ON CONFLICT DO NOTHING RETURNING key`,
      [callerId, key, hash, now, new Date(now.getTime() + TTL_MS)],
    );
    if (claimed.length > 0) return this.running(callerId, key);
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const existing = await repo.findOneBy({ callerId, key });
      if (!existing || existing.expiresAt < new Date()) {
        // expired (or released) in the meantime: take it over
        await repo.delete({ callerId, key, expiresAt: LessThan(new Date()) });
        return this.claim(callerId, key, hash);
      }
      if (existing.requestHash !== hash) return { kind: 'refuse', message: 'This Idempotency-Key was used for a different request.' };
      if (existing.status === 'DONE') return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody ?? '' };
      if (Date.now() - existing.createdAt.getTime() > ABANDONED_MS) {
        if (existing.appliedAt) return LOST;
        // take the key over only while nothing is applied: a mutation committing right now holds the row
        // (markApplied), so this DELETE waits for it and then finds applied_at set
        const taken = await changedRows(
          this.dataSource,
          `DELETE FROM idempotency_record WHERE caller_id = $1 AND key = $2 AND status = 'RUNNING' AND applied_at IS NULL AND created_at < $3 RETURNING key`,
          [callerId, key, new Date(Date.now() - ABANDONED_MS)],
        );
        if (taken.length) return this.claim(callerId, key, hash);
        continue; // applied, finished or taken by someone else meanwhile: look again
      }
      if (Date.now() > deadline) return { kind: 'refuse', message: 'A request with this Idempotency-Key is still running; retry later.' };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private running(callerId: string, key: string): Claim {
    const repo = this.dataSource.getRepository(IdempotencyRecord);
    return {
      kind: 'run',
      finish: async (status, body) => {
        await repo.update({ callerId, key }, { status: 'DONE', responseStatus: status, responseBody: body });
      },
      release: async () => {
        await repo.delete({ callerId, key, status: 'RUNNING' });
      },
    };
  }

  /** Forget expired keys, at most once a minute per process. */
  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < 60_000) return;
    this.lastSweep = Date.now();
    await this.dataSource.getRepository(IdempotencyRecord).delete({ expiresAt: LessThan(new Date()) });
  }
}
