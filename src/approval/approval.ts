/**
 * Approval tiers (SPEC §2), one module for every approvable document: the
 * facts a signature needs, the guards and their refusal codes, and the
 * signature record. A document's machine spreads `approvalGuards` into its
 * setup and `approvalGuardSpecs` into its definition, and names the guards
 * on its APPROVE/REJECT transitions:
 *
 *   first step   APPROVE → approved     and([approver, endorsementFirst, segregated, supervisorTier])
 *                APPROVE → endorsed     and([approver, endorsementFirst, segregated, executiveTier])
 *   second step  APPROVE → approved     and([approver, executiveStep, segregated])
 */
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { Caller, hasRole, Role } from '../auth/roles';
import { GuardKind, type GuardEvent, type GuardSpec } from '../workflow/definition';
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

type Guard = (args: { event: GuardEvent<ApprovalFacts> }) => boolean;

export const approvalGuards = {
  approver: (({ event }) => event.facts.isDepartmentSupervisor || event.facts.isExecutive) as Guard,
  endorsementFirst: (({ event }) => event.facts.isDepartmentSupervisor) as Guard,
  executiveStep: (({ event }) => event.facts.isExecutive) as Guard,
  segregated: (({ event }) => !event.facts.isInvolved && !event.facts.signedThisRound) as Guard,
  supervisorTier: (({ event }) => event.facts.tier === ApprovalTier.SUPERVISOR) as Guard,
  executiveTier: (({ event }) => event.facts.tier === ApprovalTier.EXECUTIVE) as Guard,
};

export const approvalGuardSpecs: Record<keyof typeof approvalGuards, GuardSpec> = {
  approver: { kind: GuardKind.PERMISSION, description: 'Only a supervisor of the document\'s department or an executive signs its approval.', roles: [Role.SUPERVISOR, Role.EXECUTIVE] },
  endorsementFirst: { kind: GuardKind.TIER, description: 'This step needs the department supervisor\'s signature first: an executive approves only after the supervisor\'s endorsement.' },
  executiveStep: { kind: GuardKind.TIER, description: 'This is an executive-tier document the supervisor has endorsed: only an executive completes its approval.' },
  segregated: { kind: GuardKind.SEGREGATION, description: 'Nobody approves a document they created, are assigned to or help on, or already signed in this approval.' },
  supervisorTier: { kind: GuardKind.RULE, description: 'Supervisor tier: the supervisor\'s approval completes it.' },
  executiveTier: { kind: GuardKind.RULE, description: 'Executive tier: the supervisor\'s signature is an endorsement, and an executive approves next.' },
};

export interface ApprovableRef {
  documentType: string;
  documentId: string;
  departmentId: string | null;
  round: number;
  tier: ApprovalTier | null;
  /** creator, assignee, helpers */
  involvedUserIds: Array<string | null>;
}

export async function loadApprovalFacts(manager: EntityManager, doc: ApprovableRef, caller: Caller): Promise<ApprovalFacts> {
  const signedThisRound = doc.round > 0 && (await manager.existsBy(ApprovalSignature, {
    documentId: doc.documentId,
    round: doc.round,
    signerId: caller.userId,
    decision: In([SignatureDecision.APPROVE, SignatureDecision.ENDORSE]),
  }));
  return {
    tier: doc.tier,
    isDepartmentSupervisor: hasRole(caller, Role.SUPERVISOR) && !!doc.departmentId && caller.departmentId === doc.departmentId,
    isExecutive: hasRole(caller, Role.EXECUTIVE),
    isInvolved: doc.involvedUserIds.includes(caller.userId),
    signedThisRound,
  };
}

/**
 * The signature an APPROVE or REJECT carries, from where the document was
 * and where the machine sent it: the supervisor's step (an endorsement when
 * it goes on to an executive) or the executive's.
 */
export function signatureOf(event: 'APPROVE' | 'REJECT', from: string, to: string, executiveState: string): { step: ApprovalStep; decision: SignatureDecision } {
  const step = from === executiveState ? ApprovalStep.EXECUTIVE : ApprovalStep.SUPERVISOR;
  if (event === 'REJECT') return { step, decision: SignatureDecision.REJECT };
  return { step, decision: to === executiveState ? SignatureDecision.ENDORSE : SignatureDecision.APPROVE };
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
