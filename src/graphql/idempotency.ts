/**
 * Idempotency-Key for mutations (SPEC §9), scoped to the caller:
 *  - first use: the key is claimed (RUNNING), the request runs, its response is stored (DONE);
 *  - the same key and the same request within 24 h: the stored response, not run again;
 *  - the same key with a different request: every mutation answers IDEMPOTENCY_CONFLICT;
 *  - a duplicate while the first still runs waits for it, and is refused if it does not finish in time.
 * A request that failed with an internal error releases its key, so a retry can run.
 */
import { createHash } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
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
        // the audit trail records the key of every committed event: take the key over only if nothing was applied
        const applied = await this.dataSource.query('SELECT 1 FROM audit_event WHERE actor_id = $1 AND idempotency_key = $2 LIMIT 1', [callerId, key]);
        if (applied.length) return { kind: 'refuse', message: 'A request with this Idempotency-Key was applied, but its answer was lost; read the document to see its state.' };
        await repo.delete({ callerId, key, status: 'RUNNING' });
        return this.claim(callerId, key, hash);
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
