/**
 * Approval tiers (SPEC §2), one module for every approvable document: the
 * facts a signature needs, the guards and their refusal codes, and the
 * signature record. A document's machine spreads `approvalGuards` into its
 * guard table, names them on its APPROVE/REJECT transitions and says which
 * signature each transition records with `sign(step, decision)`:
 *
 *   first step   APPROVE → approved     and([approver, endorsementFirst, segregated, supervisorTier])   sign(SUPERVISOR, APPROVE)
 *                APPROVE → endorsed     and([approver, endorsementFirst, segregated, executiveTier])    sign(SUPERVISOR, ENDORSE)
 *   second step  APPROVE → approved     and([approver, executiveStep, segregated])                      sign(EXECUTIVE, APPROVE)
 */
import type { EntityManager } from 'typeorm';
import { Caller, hasRole, Role } from '../auth/roles';
import { permission, rule, segregation, tier, type EffectContext } from '../workflow/definition';
import { ApprovalSignature, ApprovalStep, SignatureDecision } from './approval.entity';
import { ApprovalTier } from './tier';

export interface ApprovalFacts {
  /** the document's tier as computed (null before it is first submitted) */
  tier: ApprovalTier | null;
  /** a SUPERVISOR of the document's department */
  isDepartmentSupervisor: boolean;
  isExecutive: boolean;
  /** created the document, is assigned to it or helps on it */
  isInvolved: boolean;
  /** already signed (approve or endorse) in the current approval round */
  signedThisRound: boolean;
}

type A = ApprovalFacts;

/** The approval steps' guards, spread into an approvable document's guard table. */
export const approvalGuards = {
  approver: permission<A>('Only a supervisor of the document\'s department or an executive signs its approval.', [Role.SUPERVISOR, Role.EXECUTIVE], (f) => f.isDepartmentSupervisor || f.isExecutive),
  endorsementFirst: tier<A>('This step needs the department supervisor\'s signature first: an executive approves only after the supervisor\'s endorsement.', (f) => f.isDepartmentSupervisor),
  executiveStep: tier<A>('This is an executive-tier document the supervisor has endorsed: only an executive completes its approval.', (f) => f.isExecutive),
  segregated: segregation<A>('Nobody approves a document they created, are assigned to or help on, or already signed in this approval.', (f) => !f.isInvolved && !f.signedThisRound),
  supervisorTier: rule<A>('Supervisor tier: the supervisor\'s approval completes it.', (f) => f.tier === ApprovalTier.SUPERVISOR),
  executiveTier: rule<A>('Executive tier: the supervisor\'s signature is an endorsement, and an executive approves next.', (f) => f.tier === ApprovalTier.EXECUTIVE),
};

/**
 * The signature a transition records, as the action's params: written on the exact transition
 * (`sign(SUPERVISOR, ENDORSE)` on the step that goes on to an executive), never worked out again.
 */
export const sign = (step: ApprovalStep, decision: SignatureDecision) => ({ type: 'sign', params: { step, decision } }) as const;

export interface ApprovableRef {
  documentType: string;
  documentId: string;
  departmentId: string | null;
  round: number;
  tier: ApprovalTier | null;
  /** creator, assignee, helpers */
  involvedUserIds: Array<string | null>;
}

/** The approval facts of a page of documents for one caller: one query, whatever the page size. */
export async function loadApprovalFacts(manager: EntityManager, docs: ApprovableRef[], caller: Caller): Promise<ApprovalFacts[]> {
  const inRound = docs.filter((d) => d.round > 0);
  const signed = new Set<string>();
  if (inRound.length) {
    const rows: Array<{ document_id: string; round: number }> = await manager.query(
      `SELECT DISTINCT s.document_id, s.round FROM approval_signature s
        JOIN unnest($1::uuid[], $2::int[]) AS d(id, round) ON d.id = s.document_id AND d.round = s.round
       WHERE s.signer_id = $3 AND s.decision IN ('APPROVE', 'ENDORSE')`,
      [inRound.map((d) => d.documentId), inRound.map((d) => d.round), caller.userId],
    );
    for (const r of rows) signed.add(`${r.document_id}:${r.round}`);
  }
  return docs.map((doc) => ({
    tier: doc.tier,
    isDepartmentSupervisor: hasRole(caller, Role.SUPERVISOR) && !!doc.departmentId && caller.departmentId === doc.departmentId,
    isExecutive: hasRole(caller, Role.EXECUTIVE),
    isInvolved: doc.involvedUserIds.includes(caller.userId),
    signedThisRound: signed.has(`${doc.documentId}:${doc.round}`),
  }));
}

export async function recordSignature(
  manager: EntityManager,
  doc: ApprovableRef,
  signature: { step: ApprovalStep; decision: SignatureDecision },
  caller: Caller,
  at: Date,
  comment: string | null,
): Promise<ApprovalSignature> {
  return manager.save(ApprovalSignature, manager.create(ApprovalSignature, {
    documentType: doc.documentType,
    documentId: doc.documentId,
    round: doc.round,
    step: signature.step,
    decision: signature.decision,
    tier: doc.tier ?? ApprovalTier.SUPERVISOR,
    signerId: caller.userId,
    signerName: caller.name,
    signerRole: signature.step === ApprovalStep.EXECUTIVE ? Role.EXECUTIVE : Role.SUPERVISOR,
    at,
    comment,
  }));
}

/** What an approvable document keeps of its approval: its tier and its round. */
interface Approvable {
  /** absent where the tier is fixed (a complaint's resolution is always an executive's) */
  tier?: string | null;
  approvalRound: number;
}

/**
 * The effects every approvable machine names, written once: `computeTier` (the tier the facts proposed),
 * `newApprovalRound` (earlier signatures no longer count) and `sign` (the signature its transition's params
 * say, with the event's reason or comment).
 */
export function approvalEffects<D extends Approvable>(ref: (doc: D) => ApprovableRef) {
  return {
    computeTier: (doc: D, { facts }: EffectContext<unknown, { proposedTier?: ApprovalTier }>) => {
      if (facts.proposedTier) doc.tier = facts.proposedTier;
    },
    newApprovalRound: (doc: D) => {
      doc.approvalRound += 1;
    },
    sign: async (doc: D, { manager, caller, now, input, params }: EffectContext) => {
      const text = (input as { reason?: string | null }).reason ?? (input as { comment?: string | null }).comment ?? null;
      await recordSignature(manager, ref(doc), params as { step: ApprovalStep; decision: SignatureDecision }, caller, now, text);
    },
  };
}
