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
import { announce, documentMachine, permission, rule, segregation } from '../../workflow/definition';
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
  /** lines under warranty (三包): what a write-off writes off */
  warrantyLineCount: number;
  /** lines whose old part was RETURNED and the store has not received yet */
  oldPartsAwaitingReceipt: number;
  /** warranty lines whose old part is neither received by the store nor recorded as kept by the customer */
  warrantyOldPartsMissing: number;
  /** the service record the parts were consumed in carries the customer's signature (customer_signed_at) */
  customerSigned: boolean;
  /** a leader approved the write-off (APPROVE_WRITE_OFF) */
  writeOffApproved: boolean;
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
  receiver: permission<F>('Only the spare-parts store (STOREKEEPER) receives old parts.', [Role.STOREKEEPER], (f) => f.isStorekeeper),
  oldPartsAwaited: rule<F>('No old part of this requisition is waiting to be received: every line is received, kept by the customer or not returned.', (f) => f.oldPartsAwaitingReceipt > 0),
  // records control (SPEC §5): a consumed requisition is closed once nothing is left to do — warranty parts wait for their write-off
  noWriteOffPending: rule<F>('A requisition with warranty (三包) parts is archived once they are written off.', (f) => f.warrantyLineCount === 0),
  hasWarrantyLines: rule<F>('Only warranty (三包) parts are written off: this requisition has no warranty line.', (f) => f.warrantyLineCount > 0),
  writeOffApprover: permission<F>('A leader approves a write-off: a supervisor of the requisition\'s department or an executive.', [Role.SUPERVISOR, Role.EXECUTIVE], (f) => f.isDepartmentSupervisor || f.isExecutive),
  writeOffSegregated: segregation<F>('The technician who asked for the parts does not approve their write-off.', (f) => !f.isRequester),
  writeOffNotApproved: rule<F>('The write-off is approved already.', (f) => !f.writeOffApproved),
  writeOffClerk: permission<F>('Only the spare-parts store (STOREKEEPER) writes parts off (seed 003 §3.7.4).', [Role.STOREKEEPER], (f) => f.isStorekeeper),
  oldPartsReceived: rule<F>('A warranty part is written off only with its old part received by the store (or the customer keeping it recorded, with who keeps it).', (f) => f.warrantyOldPartsMissing === 0),
  customerSignedReport: rule<F>('A warranty part is written off only with the customer-signed report: the service record the parts were consumed in has no customer signature yet.', (f) => f.customerSigned),
  writeOffApprovedByLeader: rule<F>('A warranty part is written off only with a leader\'s approval: a supervisor of the department or an executive approves the write-off first.', (f) => f.writeOffApproved),
  archivist: permission<F>('Only the records custodian (ARCHIVIST) or an automation holding that role archives.', [Role.ARCHIVIST], (f) => f.isArchivist),
};

export const partsRequisitionEffects = [
  'replaceLines', 'computeTier', 'newApprovalRound', 'stampSubmitted', 'sign', 'stampApproved', 'noteRejection', 'noteCancellation', 'stampIssued', 'recordConsumption',
  'receiveOldParts', 'approveWriteOff', 'stampWrittenOff',
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
    // the old parts come back to the store, a leader approves the write-off, the store writes the warranty parts off
    // (seed 003 §3.6.2: 經用戶簽字及領導同意後，連同舊件作為備用件銷帳; §3.7.4): three conditions, any order, all checked at WRITE_OFF
    CONSUMED: {
      on: {
        RECEIVE_OLD_PARTS: { target: 'CONSUMED', guard: and(['receiver', 'oldPartsAwaited']), actions: ['receiveOldParts'] },
        APPROVE_WRITE_OFF: { target: 'CONSUMED', guard: and(['writeOffApprover', 'hasWarrantyLines', 'writeOffSegregated', 'writeOffNotApproved']), actions: ['approveWriteOff'] },
        WRITE_OFF: {
          target: 'WRITTEN_OFF',
          guard: and(['writeOffClerk', 'hasWarrantyLines', 'oldPartsReceived', 'customerSignedReport', 'writeOffApprovedByLeader']),
          actions: ['stampWrittenOff', announce('writtenOff')],
        },
        ARCHIVE: { ...archive, guard: and(['archivist', 'noWriteOffPending']) },
      },
    },
    WRITTEN_OFF: {
      on: {
        // a non-warranty line's old part may still come back after the write-off, for the monthly processing
        RECEIVE_OLD_PARTS: { target: 'WRITTEN_OFF', guard: and(['receiver', 'oldPartsAwaited']), actions: ['receiveOldParts'] },
        ARCHIVE: archive,
      },
    },
    CANCELLED: { on: { ARCHIVE: archive } },
    ARCHIVED: { type: 'final' },
  },
});
