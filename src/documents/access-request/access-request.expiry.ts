/**
 * Grants stop opening documents the moment they expire (the read scope checks
 * granted_until against now()); this sweep also moves them to EXPIRED through
 * the machine, so their history says so. Any process may run it: the row lock
 * makes a second sweeper's attempt a harmless refusal.
 */
import type { DataSource } from 'typeorm';
import type { WorkflowEngine } from '../../workflow/engine';
import { Refusal } from '../../workflow/errors';
import { accessRequestDefinition } from './access-request.definition';

export async function expireAccessGrants(dataSource: DataSource, engine: WorkflowEngine): Promise<number> {
  const due: Array<{ id: string }> = await dataSource.query(`SELECT id FROM access_request WHERE state = 'GRANTED' AND granted_until <= now() ORDER BY granted_until LIMIT 500`);
  let expired = 0;
  for (const { id } of due) {
    try {
      await engine.transaction((manager) => engine.fireSystem(manager, accessRequestDefinition, id, 'EXPIRE', { requestId: 'grant-expiry', idempotencyKey: null }));
      expired++;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error; // already expired or revoked by someone else
    }
  }
  return expired;
}
