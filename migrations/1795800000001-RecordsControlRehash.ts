import { MigrationInterface, QueryRunner } from 'typeorm';
import { upgradeChain } from '../src/workflow/audit';
import type { AuditEvent } from '../src/workflow/workflow.entities';

/**
 * Every existing audit chain that verifies is rewritten as hash version 2 (salted digests of reason and
 * changes: src/workflow/audit.ts), as the owner, so documents closed before records control can be purged
 * and still verify. A chain that does not verify is left as it is (version 1): it keeps showing where it breaks.
 * Irreversible by design: down() leaves the chains as they are (a v2 chain verifies with the old columns kept).
 */
export class RecordsControlRehash1795800000001 implements MigrationInterface {
  name = 'RecordsControlRehash1795800000001';

  public async up(q: QueryRunner): Promise<void> {
    const ids: Array<{ document_id: string }> = await q.query(`SELECT DISTINCT document_id FROM audit_event WHERE hash_version = 1`);
    for (const { document_id } of ids) {
      const rows: any[] = await q.query(`SELECT * FROM audit_event WHERE document_id = $1 ORDER BY seq`, [document_id]);
      const events = rows.map(
        (r) =>
          ({
            id: r.id, documentType: r.document_type, documentId: r.document_id, seq: r.seq, event: r.event, fromState: r.from_state, toState: r.to_state, version: r.version,
            actorId: r.actor_id, actorName: r.actor_name, actorRoles: r.actor_roles, at: new Date(r.at), reason: r.reason, changes: r.changes, requestId: r.request_id,
            idempotencyKey: r.idempotency_key, prevHash: r.prev_hash, hash: r.hash, hashVersion: r.hash_version, digests: null, salts: null, redactedBySeq: null,
          }) as AuditEvent,
      );
      const upgraded = upgradeChain(events);
      if (!upgraded) continue;
      for (const e of upgraded) {
        await q.query(`UPDATE audit_event SET hash_version = $2, digests = $3, salts = $4, prev_hash = $5, hash = $6 WHERE id = $1`, [e.id, e.hashVersion, JSON.stringify(e.digests), JSON.stringify(e.salts), e.prevHash, e.hash]);
      }
    }
  }

  public async down(): Promise<void> {
    /* irreversible: see above */
  }
}
