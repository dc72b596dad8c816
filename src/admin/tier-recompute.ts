/**
 * A customer's tier changed (SPEC §2: a KEY customer raises the approval tier to EXECUTIVE): the tier of its
 * documents not yet approved is computed again, by the same rule as at SUBMIT (src/approval/tier.ts), in the
 * transaction of the change. One line per approvable type, read and written with SQL (no document folder is
 * imported). "Not yet approved" means no approval signature yet: DRAFT (a tier from an earlier round, recomputed
 * again at SUBMIT anyway) and PENDING_APPROVAL. PENDING_EXECUTIVE is left alone: the supervisor has already
 * signed the endorsement of an executive-tier document, and a KEY customer turned STANDARD does not take back an
 * approval step already asked for — it only ever needs more approval, never less, from a change of the customer.
 */
import type { EntityManager } from 'typeorm';
import { computeTier, type ApprovalTier } from '../approval/tier';
import type { CustomerTier } from '../organisation/organisation.entities';
import type { Complexity } from '../vocabulary';

interface PendingRow {
  id: string;
  number: string;
  state: string;
  tier: ApprovalTier;
  amount: string | null;
  complexity: Complexity | null;
}

const PENDING_STATES = ['DRAFT', 'PENDING_APPROVAL'];

/** type → its documents of a customer not yet approved, with the tier inputs, locked */
const APPROVABLE: Array<{ type: string; table: string; pending: string }> = [
  {
    type: 'ServiceTask',
    table: 'service_task',
    pending: `SELECT t.id, t.number, t.state, t.tier, t.estimated_cost AS amount, t.complexity FROM service_task t
               WHERE t.customer_id = $1 AND t.state = ANY($2) AND t.tier IS NOT NULL ORDER BY t.id FOR UPDATE`,
  },
  {
    type: 'PartsRequisition',
    table: 'parts_requisition',
    pending: `SELECT p.id, p.number, p.state, p.tier, p.total_amount AS amount, t.complexity FROM parts_requisition p JOIN service_task t ON t.id = p.task_id
               WHERE p.customer_id = $1 AND p.state = ANY($2) AND p.tier IS NOT NULL ORDER BY p.id FOR UPDATE OF p`,
  },
];

export interface Recomputed {
  documentType: string;
  id: string;
  number: string;
  state: string;
  from: ApprovalTier;
  to: ApprovalTier;
}

export async function recomputePendingTiers(manager: EntityManager, customerId: string, customerTier: CustomerTier, threshold: number): Promise<Recomputed[]> {
  const changed: Recomputed[] = [];
  for (const { type, table, pending } of APPROVABLE) {
    const rows: PendingRow[] = await manager.query(pending, [customerId, PENDING_STATES]);
    for (const row of rows) {
      const to = computeTier({ amount: row.amount === null ? null : Number(row.amount), customerTier, complexity: row.complexity }, threshold);
      if (to === row.tier) continue;
      await manager.query(`UPDATE ${table} SET tier = $2 WHERE id = $1`, [row.id, to]);
      changed.push({ documentType: type, id: row.id, number: row.number, state: row.state, from: row.tier, to });
    }
  }
  return changed;
}
