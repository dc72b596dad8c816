/**
 * 備件領料單 — a technician's spare-parts requisition for a task (SPEC §3.6, seed 003 §3.6–3.7): the whole
 * contract. Approval by tier through the shared guards and signatures (src/approval), as the task's; the
 * store issues the parts; the requester writes them off against a service record of the task, accounting
 * for every warranty part's old part.
 */
import { and } from 'xstate';
import { approvalGuards, sign, type ApprovalFacts } from '../../approval/approval';
import { ApprovalStep, SignatureDecision } from '../../approval/approval.entity';
import type { ApprovalTier } from '../../approval/tier';
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission, rule } from '../../workflow/definition';
import { TASK_STATES_FOR_PARTS } from './parts-requisition.enums';

export interface PartsRequisitionFacts extends ApprovalFacts {
  /** the technician who asked for the parts */
  isRequester: boolean;
  /** a technician assigned to or helping on the requisition's task */
  worksOnTask: boolean;
  /** the task's state (parts are requested while it is CONFIRMED or IN_PROGRESS) */
  taskState: string | null;
  isStorekeeper: boolean;
  /** ARCHIVIST, or the system's scheduled archiving */
  isArchivist: boolean;
  lineCount: number;
  /** the tier from the total amount, the customer's tier and the task's complexity (SPEC §2) */
  proposedTier: ApprovalTier;
  /** warranty lines a CONSUME writes off with the old part neither returned nor kept by the customer */
  warrantyLinesWithoutOldPart: number;
}

type F = PartsRequisitionFacts;

export const partsRequisitionGuards = {
  ...approvalGuards,
  worker: permission<F>('Parts are requested by a technician assigned to or helping on the task.', [Role.TECHNICIAN], (f) => f.worksOnTask),
  taskOpenForParts: rule<F>('Parts are requested for a task that is CONFIRMED or IN_PROGRESS.', (f) => f.taskState !== null && TASK_STATES_FOR_PARTS.includes(f.taskState)),
  requester: permission<F>('Only the technician who asked for the parts may do this.', [Role.TECHNICIAN], (f) => f.isRequester),
  hasLines: rule<F>('A requisition goes for approval with at least one line.', (f) => f.lineCount > 0),
  requesterOrSupervisor: permission<F>('Only the requester or a supervisor of the department cancels a requisition.', [Role.TECHNICIAN, Role.SUPERVISOR], (f) => f.isRequester || f.isDepartmentSupervisor),
  storekeeper: permission<F>('Only the spare-parts store (STOREKEEPER) issues parts.', [Role.STOREKEEPER], (f) => f.isStorekeeper),
  oldPartsAccounted: rule<F>(
    'A warranty part is written off only with its old part returned, or the customer keeping it recorded (seed 003 §3.6).',
    (f) => f.warrantyLinesWithoutOldPart === 0,
  ),
  archivist: permission<F>('Only the records custodian (ARCHIVIST) or an automation holding that role archives.', [Role.ARCHIVIST], (f) => f.isArchivist),
};

export const partsRequisitionEffects = [
  'replaceLines', 'computeTier', 'newApprovalRound', 'stampSubmitted', 'sign', 'stampApproved', 'noteRejection', 'noteCancellation', 'stampIssued', 'recordConsumption',
] as const;

const supervisorSigns = sign(ApprovalStep.SUPERVISOR, SignatureDecision.APPROVE);
const supervisorEndorses = sign(ApprovalStep.SUPERVISOR, SignatureDecision.ENDORSE);
const executiveSigns = sign(ApprovalStep.EXECUTIVE, SignatureDecision.APPROVE);
/** before the store issues the parts, the requester (or the department's supervisor) may call them off */
const cancel = { target: 'CANCELLED', guard: 'requesterOrSupervisor', actions: ['noteCancellation'] };
const archive = { target: 'ARCHIVED', guard: 'archivist' };

export const partsRequisitionMachine = documentMachine(partsRequisitionGuards, partsRequisitionEffects, {
  id: 'PartsRequisition',
  initial: 'NEW',
  states: {
    NEW: { on: { CREATE: { target: 'DRAFT', guard: and(['worker', 'taskOpenForParts']) } } },
    DRAFT: {
      on: {
        UPDATE: { target: 'DRAFT', guard: 'requester', actions: ['replaceLines'] },
        SUBMIT: { target: 'PENDING_APPROVAL', guard: and(['requester', 'hasLines', 'taskOpenForParts']), actions: ['computeTier', 'newApprovalRound', 'stampSubmitted'] },
        CANCEL: cancel,
      },
    },
    PENDING_APPROVAL: {
      on: {
        APPROVE: [
          { target: 'APPROVED', guard: and(['approver', 'endorsementFirst', 'segregated', 'supervisorTier']), actions: [supervisorSigns, 'stampApproved', announce('approved')] },
          { target: 'PENDING_EXECUTIVE', guard: and(['approver', 'endorsementFirst', 'segregated', 'executiveTier']), actions: [supervisorEndorses] },
        ],
        REJECT: { target: 'DRAFT', guard: and(['approver', 'endorsementFirst']), actions: [sign(ApprovalStep.SUPERVISOR, SignatureDecision.REJECT), 'noteRejection'] },
        CANCEL: cancel,
      },
    },
    PENDING_EXECUTIVE: {
      on: {
        APPROVE: { target: 'APPROVED', guard: and(['approver', 'executiveStep', 'segregated']), actions: [executiveSigns, 'stampApproved', announce('approved')] },
        REJECT: { target: 'DRAFT', guard: and(['approver', 'executiveStep']), actions: [sign(ApprovalStep.EXECUTIVE, SignatureDecision.REJECT), 'noteRejection'] },
        CANCEL: cancel,
      },
    },
    APPROVED: {
      on: {
        ISSUE: { target: 'ISSUED', guard: 'storekeeper', actions: ['stampIssued', announce('issued')] },
        CANCEL: cancel,
      },
    },
    ISSUED: {
      on: {
        CONSUME: { target: 'CONSUMED', guard: and(['requester', 'oldPartsAccounted']), actions: ['recordConsumption', announce('consumed')] },
      },
    },
    CONSUMED: { on: { ARCHIVE: archive } },
    CANCELLED: { on: { ARCHIVE: archive } },
    ARCHIVED: { type: 'final' },
  },
});
