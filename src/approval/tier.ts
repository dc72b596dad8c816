/**
 * SPEC §2: the approval tier is computed, never chosen. Pure, so the unit
 * tests and every approvable document use the same rule.
 */
import { registerEnumType } from 'type-graphql';
import { Complexity } from '../vocabulary';
import { CustomerTier } from '../organisation/organisation.entities';

export enum ApprovalTier {
  SUPERVISOR = 'SUPERVISOR',
  EXECUTIVE = 'EXECUTIVE',
}
registerEnumType(ApprovalTier, { name: 'ApprovalTier', description: 'SUPERVISOR: one approval by the department supervisor; EXECUTIVE: supervisor endorsement, then an executive' });

export interface TierInputs {
  amount: number | null;
  customerTier: CustomerTier | null;
  complexity: Complexity | null;
}

/** The reasons a document needs an executive (empty: the supervisor tier). */
export function executiveReasons({ amount, customerTier, complexity }: TierInputs, threshold: number): string[] {
  const reasons: string[] = [];
  if (amount !== null && amount >= threshold) reasons.push(`amount ${amount} is at or above ${threshold}`);
  if (customerTier === CustomerTier.KEY) reasons.push('key customer');
  if (complexity === Complexity.COMPLEX) reasons.push('complex service');
  return reasons;
}

export function computeTier(inputs: TierInputs, threshold: number): ApprovalTier {
  return executiveReasons(inputs, threshold).length ? ApprovalTier.EXECUTIVE : ApprovalTier.SUPERVISOR;
}

/**
 * Whether a change touches what an approval was given for (amount, customer,
 * complexity): after approval such a change sends the document back (SPEC §2).
 * Fields left out of `change` (undefined) are not changed.
 */
export function changesTierInputs(current: TierInputs & { customerId?: string }, change: Partial<TierInputs & { customerId: string }>): boolean {
  return (
    (change.amount !== undefined && (change.amount ?? null) !== current.amount) ||
    (change.customerId !== undefined && change.customerId !== current.customerId) ||
    (change.complexity !== undefined && change.complexity !== null && change.complexity !== current.complexity)
  );
}
