import { partsRequisitionDefinition } from '../../src/documents/parts-requisition/parts-requisition.definition';
import type { PartsRequisitionFacts } from '../../src/documents/parts-requisition/parts-requisition.machine';
import { ApprovalTier } from '../../src/approval/tier';
import { describeMachineGraph } from '../support/machine-graph';

const EXEC = { tier: ApprovalTier.EXECUTIVE };
const SUP = { tier: ApprovalTier.SUPERVISOR };
/** a leader other than the requester approves a write-off not yet approved */
const NOT_REQUESTER = { isRequester: false, writeOffApproved: false };
/** the store writes off once approved */
const APPROVED_FOR_WRITE_OFF = { writeOffApproved: true };

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
    // replaced parts (SPEC §3.6, seed 003 §3.6.2, §3.7.4): the store receives old parts, a leader approves, the store writes off
    ['CONSUMED', 'RECEIVE_OLD_PARTS', 'CONSUMED'],
    ['CONSUMED', 'APPROVE_WRITE_OFF', 'CONSUMED', NOT_REQUESTER],
    ['CONSUMED', 'WRITE_OFF', 'WRITTEN_OFF', APPROVED_FOR_WRITE_OFF],
    ['CONSUMED', 'ARCHIVE', 'ARCHIVED', { warrantyLineCount: 0 }],
    ['WRITTEN_OFF', 'RECEIVE_OLD_PARTS', 'WRITTEN_OFF'],
    ['WRITTEN_OFF', 'ARCHIVE', 'ARCHIVED'],
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
    warrantyLineCount: 1,
    oldPartsAwaitingReceipt: 1,
    warrantyOldPartsMissing: 0,
    customerSigned: true,
    writeOffApproved: true,
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
    receiver: { isStorekeeper: false },
    oldPartsAwaited: { oldPartsAwaitingReceipt: 0 },
    hasWarrantyLines: { warrantyLineCount: 0 },
    noWriteOffPending: { warrantyLineCount: 1 },
    writeOffApprover: { isDepartmentSupervisor: false, isExecutive: false },
    writeOffSegregated: { isRequester: true },
    writeOffNotApproved: { writeOffApproved: true },
    writeOffClerk: { isStorekeeper: false },
    oldPartsReceived: { warrantyOldPartsMissing: 1 },
    customerSignedReport: { customerSigned: false },
    writeOffApprovedByLeader: { writeOffApproved: false },
  },
});

describe('PartsRequisition guards', () => {
  test('the write-off names each missing condition in its own sentence', () => {
    const table = (partsRequisitionDefinition.machine as any).guardTable;
    const sentences = ['oldPartsReceived', 'customerSignedReport', 'writeOffApprovedByLeader'].map((g) => table[g].description);
    expect(new Set(sentences).size).toBe(3);
    expect(sentences[0]).toMatch(/old part received/);
    expect(sentences[1]).toMatch(/customer-signed report/);
    expect(sentences[2]).toMatch(/leader's approval/);
    expect(['oldPartsReceived', 'customerSignedReport', 'writeOffApprovedByLeader'].map((g) => table[g].kind)).toEqual(['RULE', 'RULE', 'RULE']);
  });

  test('a task CONFIRMED or IN_PROGRESS is open for parts; one not yet confirmed, finished or cancelled is not', () => {
    const open = (partsRequisitionDefinition.machine as any).guardTable.taskOpenForParts;
    expect(['CONFIRMED', 'IN_PROGRESS'].map((taskState) => open.test({ taskState }))).toEqual([true, true]);
    expect(['ASSIGNED', 'AWAITING_ACCEPTANCE', 'COMPLETED', 'CANCELLED', null].map((taskState) => open.test({ taskState }))).toEqual([false, false, false, false, false]);
  });
});
