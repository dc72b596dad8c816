import { partsRequisitionDefinition } from '../../src/documents/parts-requisition/parts-requisition.definition';
import type { PartsRequisitionFacts } from '../../src/documents/parts-requisition/parts-requisition.machine';
import { ApprovalTier } from '../../src/approval/tier';
import { describeMachineGraph } from '../support/machine-graph';

const EXEC = { tier: ApprovalTier.EXECUTIVE };
const SUP = { tier: ApprovalTier.SUPERVISOR };

// SPEC §3.6 with §2's tiers and the refinements of the brief (cancel before ISSUE, archive), transcribed by hand
describeMachineGraph<PartsRequisitionFacts>({
  def: partsRequisitionDefinition,
  expected: [
    ['NEW', 'CREATE', 'DRAFT'],
    ['DRAFT', 'UPDATE', 'DRAFT'],
    ['DRAFT', 'SUBMIT', 'PENDING_APPROVAL'],
    ['DRAFT', 'CANCEL', 'CANCELLED'],
    ['PENDING_APPROVAL', 'APPROVE', 'APPROVED', SUP],
    ['PENDING_APPROVAL', 'APPROVE', 'PENDING_EXECUTIVE', EXEC],
    ['PENDING_APPROVAL', 'REJECT', 'DRAFT'],
    ['PENDING_APPROVAL', 'CANCEL', 'CANCELLED'],
    ['PENDING_EXECUTIVE', 'APPROVE', 'APPROVED', EXEC],
    ['PENDING_EXECUTIVE', 'REJECT', 'DRAFT'],
    ['PENDING_EXECUTIVE', 'CANCEL', 'CANCELLED'],
    ['APPROVED', 'ISSUE', 'ISSUED'],
    ['APPROVED', 'CANCEL', 'CANCELLED'],
    ['ISSUED', 'CONSUME', 'CONSUMED'],
    ['CONSUMED', 'ARCHIVE', 'ARCHIVED'],
    ['CANCELLED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: {
    tier: ApprovalTier.SUPERVISOR,
    proposedTier: ApprovalTier.SUPERVISOR,
    isDepartmentSupervisor: true,
    isExecutive: true,
    isInvolved: false,
    signedThisRound: false,
    isRequester: true,
    worksOnTask: true,
    taskState: 'IN_PROGRESS',
    isStorekeeper: true,
    isArchivist: true,
    lineCount: 1,
    warrantyLinesWithoutOldPart: 0,
  },
  violations: {
    approver: { isDepartmentSupervisor: false, isExecutive: false },
    endorsementFirst: { isDepartmentSupervisor: false },
    executiveStep: { isExecutive: false },
    segregated: { isInvolved: true },
    supervisorTier: EXEC,
    executiveTier: SUP,
    worker: { worksOnTask: false },
    taskOpenForParts: { taskState: 'AWAITING_ACCEPTANCE' },
    requester: { isRequester: false },
    hasLines: { lineCount: 0 },
    requesterOrSupervisor: { isRequester: false, isDepartmentSupervisor: false },
    storekeeper: { isStorekeeper: false },
    oldPartsAccounted: { warrantyLinesWithoutOldPart: 1 },
    archivist: { isArchivist: false },
  },
});

describe('PartsRequisition guards', () => {
  test('a task CONFIRMED or IN_PROGRESS is open for parts; one not yet confirmed, finished or cancelled is not', () => {
    const open = (partsRequisitionDefinition.machine as any).guardTable.taskOpenForParts;
    expect(['CONFIRMED', 'IN_PROGRESS'].map((taskState) => open.test({ taskState }))).toEqual([true, true]);
    expect(['ASSIGNED', 'AWAITING_ACCEPTANCE', 'COMPLETED', 'CANCELLED', null].map((taskState) => open.test({ taskState }))).toEqual([false, false, false, false, false]);
  });
});
