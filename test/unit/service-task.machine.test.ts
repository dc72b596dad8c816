import { serviceTaskDefinition } from '../../src/documents/service-task/service-task.definition';
import type { ServiceTaskFacts } from '../../src/documents/service-task/service-task.machine';
import { ApprovalTier } from '../../src/approval/tier';
import { describeMachineGraph } from '../support/machine-graph';

const EXEC = { tier: ApprovalTier.EXECUTIVE };
const SUP = { tier: ApprovalTier.SUPERVISOR };
const KEEPS = { changesApprovedTerms: false, changesAssignee: false };
const CHANGES = { changesApprovedTerms: true };
/** a chargeable task whose quote has no current consent */
const AWAITING = { consentCurrent: false };
/** a task whose dispatch notice has not been issued */
const UNDISPATCHED = { dispatched: false };

// SPEC §3.2 with §2's tiers, transcribed by hand: the machine must match this table
describeMachineGraph<ServiceTaskFacts>({
  def: serviceTaskDefinition,
  expected: [
    ['NEW', 'CREATE', 'DRAFT'],
    ['DRAFT', 'UPDATE', 'DRAFT'],
    ['DRAFT', 'SUBMIT', 'PENDING_APPROVAL'],
    ['DRAFT', 'CANCEL', 'CANCELLED'],
    ['PENDING_APPROVAL', 'APPROVE', 'ASSIGNED', SUP],
    ['PENDING_APPROVAL', 'APPROVE', 'PENDING_EXECUTIVE', EXEC],
    ['PENDING_APPROVAL', 'REJECT', 'DRAFT'],
    ['PENDING_APPROVAL', 'UPDATE', 'PENDING_APPROVAL'],
    ['PENDING_APPROVAL', 'CANCEL', 'CANCELLED'],
    ['PENDING_EXECUTIVE', 'APPROVE', 'ASSIGNED', EXEC],
    ['PENDING_EXECUTIVE', 'REJECT', 'DRAFT'],
    ['PENDING_EXECUTIVE', 'UPDATE', 'PENDING_APPROVAL', CHANGES],
    ['PENDING_EXECUTIVE', 'UPDATE', 'PENDING_EXECUTIVE', KEEPS],
    ['PENDING_EXECUTIVE', 'CANCEL', 'CANCELLED'],
    ['ASSIGNED', 'CONFIRM', 'CONFIRMED'],
    ['ASSIGNED', 'DISPUTE', 'DISPUTED'],
    ['ASSIGNED', 'UPDATE', 'PENDING_APPROVAL', CHANGES],
    ['ASSIGNED', 'UPDATE', 'ASSIGNED', KEEPS],
    ['ASSIGNED', 'CANCEL', 'CANCELLED'],
    ['ASSIGNED', 'CONSENT', 'ASSIGNED', AWAITING],
    ['ASSIGNED', 'DECLINE', 'QUOTE_DECLINED'],
    ['CONFIRMED', 'START', 'IN_PROGRESS'],
    ['CONFIRMED', 'UPDATE', 'PENDING_APPROVAL', CHANGES],
    ['CONFIRMED', 'UPDATE', 'ASSIGNED', { changesApprovedTerms: false, changesAssignee: true }],
    ['CONFIRMED', 'UPDATE', 'CONFIRMED', KEEPS],
    ['CONFIRMED', 'CANCEL', 'CANCELLED'],
    ['CONFIRMED', 'CONSENT', 'CONFIRMED', AWAITING],
    ['CONFIRMED', 'DECLINE', 'QUOTE_DECLINED'],
    // SPEC §3.10: the dispatch notice (by a named agent, once) and the customer contact (by the assignee) are steps on the task
    ['ASSIGNED', 'DISPATCH', 'ASSIGNED', UNDISPATCHED],
    ['CONFIRMED', 'DISPATCH', 'CONFIRMED', UNDISPATCHED],
    ['IN_PROGRESS', 'DISPATCH', 'IN_PROGRESS', UNDISPATCHED],
    ['ASSIGNED', 'RECORD_CONTACT', 'ASSIGNED'],
    ['CONFIRMED', 'RECORD_CONTACT', 'CONFIRMED'],
    ['IN_PROGRESS', 'RECORD_CONTACT', 'IN_PROGRESS'],
    ['QUOTE_DECLINED', 'REVISE', 'DRAFT'],
    ['QUOTE_DECLINED', 'CANCEL', 'CANCELLED'],
    ['DISPUTED', 'REVISE', 'DRAFT'],
    ['DISPUTED', 'CANCEL', 'CANCELLED'],
    ['IN_PROGRESS', 'FINISH', 'AWAITING_ACCEPTANCE'],
    ['AWAITING_ACCEPTANCE', 'REOPEN', 'IN_PROGRESS', { latestAcceptance: 'FAILED' }],
    ['AWAITING_ACCEPTANCE', 'CLOSE', 'COMPLETED', { latestAcceptance: 'VERIFIED' }],
    // records control: archived by the system with its request
    ['COMPLETED', 'ARCHIVE', 'ARCHIVED'],
    ['CANCELLED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: {
    tier: ApprovalTier.SUPERVISOR,
    proposedTier: ApprovalTier.SUPERVISOR,
    isDepartmentSupervisor: true,
    isExecutive: true,
    isInvolved: false,
    signedThisRound: false,
    isCreator: true,
    requestState: 'ACCEPTED',
    isAssignee: true,
    missingForSubmit: [],
    changesApprovedTerms: true,
    changesAssignee: true,
    recordCount: 1,
    unfinishedRecords: 0,
    latestAcceptance: 'VERIFIED',
    isOwnCustomer: true,
    isAgent: true,
    chargeable: true,
    consentCurrent: true,
    qualificationProblem: null,
    isNamedAgent: true,
    dispatched: false,
  },
  violations: {
    approver: { isDepartmentSupervisor: false, isExecutive: false },
    endorsementFirst: { isDepartmentSupervisor: false },
    executiveStep: { isExecutive: false },
    segregated: { isInvolved: true },
    supervisorTier: EXEC,
    executiveTier: SUP,
    departmentSupervisor: { isDepartmentSupervisor: false },
    creator: { isCreator: false },
    requestOpenForTasks: { requestState: 'SUBMITTED' },
    assignee: { isAssignee: false },
    readyForApproval: { missingForSubmit: ['estimatedCost'] },
    changesApprovedTerms: KEEPS,
    changesAssignee: { changesAssignee: false },
    recordsReady: { unfinishedRecords: 1 },
    acceptanceFailed: { latestAcceptance: 'PASSED' },
    acceptanceVerified: { latestAcceptance: 'FAILED' },
    consenter: { isOwnCustomer: false, isAgent: false },
    chargeable: { chargeable: false },
    awaitsConsent: { consentCurrent: true },
    consentGiven: { consentCurrent: false },
    assigneeQualified: { qualificationProblem: 'Zhang Wei holds no certificate of the REPAIR qualification a REPAIR service needs.' },
    dispatcher: { isNamedAgent: false },
    notDispatched: { dispatched: true },
  },
});
