/**
 * 服務任務單 — the department's service task (SPEC §3.2). The approval steps
 * use the shared tier guards (src/approval); the rest reads facts loaded
 * beforehand.
 */
import { and, setup } from 'xstate';
import { approvalGuards, type ApprovalFacts } from '../../approval/approval';
import type { GuardEvent } from '../../workflow/definition';

export interface ServiceTaskFacts extends ApprovalFacts {
  isCreator: boolean;
  isAssignee: boolean;
  /** what SUBMIT still needs */
  missingForSubmit: string[];
  /** UPDATE changes the amount, customer or complexity an approval was given for */
  changesApprovedTerms: boolean;
  /** an UPDATE names another assignee */
  changesAssignee: boolean;
  recordCount: number;
  /** records not yet SUBMITTED or REVIEWED */
  unfinishedRecords: number;
  /** state of the latest acceptance round, if any */
  latestAcceptance: string | null;
}

export const serviceTaskMachine = setup({
  types: {} as { context: Record<string, never>; events: GuardEvent<ServiceTaskFacts> },
  guards: {
    ...approvalGuards,
    departmentSupervisor: ({ event }) => event.facts.isDepartmentSupervisor,
    creator: ({ event }) => event.facts.isCreator,
    assignee: ({ event }) => event.facts.isAssignee,
    readyForApproval: ({ event }) => event.facts.missingForSubmit.length === 0,
    changesApprovedTerms: ({ event }) => event.facts.changesApprovedTerms,
    changesAssignee: ({ event }) => event.facts.changesAssignee,
    recordsReady: ({ event }) => event.facts.recordCount > 0 && event.facts.unfinishedRecords === 0,
    acceptanceFailed: ({ event }) => event.facts.latestAcceptance === 'FAILED',
    acceptanceVerified: ({ event }) => event.facts.latestAcceptance === 'VERIFIED',
  },
}).createMachine({
  id: 'ServiceTask',
  initial: 'DRAFT',
  context: {},
  states: {
    DRAFT: {
      on: {
        UPDATE: { target: 'DRAFT', guard: 'departmentSupervisor' },
        SUBMIT: { target: 'PENDING_APPROVAL', guard: and(['creator', 'readyForApproval']) },
        CANCEL: { target: 'CANCELLED', guard: 'departmentSupervisor' },
      },
    },
    PENDING_APPROVAL: {
      on: {
        APPROVE: [
          { target: 'ASSIGNED', guard: and(['approver', 'endorsementFirst', 'segregated', 'supervisorTier']) },
          { target: 'PENDING_EXECUTIVE', guard: and(['approver', 'endorsementFirst', 'segregated', 'executiveTier']) },
        ],
        REJECT: { target: 'DRAFT', guard: and(['approver', 'endorsementFirst']) },
        // before approval a change only recomputes the tier
        UPDATE: { target: 'PENDING_APPROVAL', guard: 'departmentSupervisor' },
        CANCEL: { target: 'CANCELLED', guard: 'departmentSupervisor' },
      },
    },
    PENDING_EXECUTIVE: {
      on: {
        APPROVE: { target: 'ASSIGNED', guard: and(['approver', 'executiveStep', 'segregated']) },
        REJECT: { target: 'DRAFT', guard: and(['approver', 'executiveStep']) },
        UPDATE: [
          // a change of what was approved sends the task back for approval (SPEC §2); any other change keeps it here
          { target: 'PENDING_APPROVAL', guard: and(['departmentSupervisor', 'changesApprovedTerms']) },
          { target: 'PENDING_EXECUTIVE', guard: 'departmentSupervisor' },
        ],
        CANCEL: { target: 'CANCELLED', guard: 'departmentSupervisor' },
      },
    },
    ASSIGNED: {
      on: {
        CONFIRM: { target: 'CONFIRMED', guard: 'assignee' },
        DISPUTE: { target: 'DISPUTED', guard: 'assignee' },
        UPDATE: [
          // a change of what was approved sends the task back for approval (SPEC §2); any other change keeps it here
          { target: 'PENDING_APPROVAL', guard: and(['departmentSupervisor', 'changesApprovedTerms']) },
          { target: 'ASSIGNED', guard: 'departmentSupervisor' },
        ],
        CANCEL: { target: 'CANCELLED', guard: 'departmentSupervisor' },
      },
    },
    CONFIRMED: {
      on: {
        START: { target: 'IN_PROGRESS', guard: 'assignee' },
        UPDATE: [
          // a change of what was approved sends the task back for approval (SPEC §2); any other change keeps it here
          { target: 'PENDING_APPROVAL', guard: and(['departmentSupervisor', 'changesApprovedTerms']) },
          // another assignee must confirm it again
          { target: 'ASSIGNED', guard: and(['departmentSupervisor', 'changesAssignee']) },
          { target: 'CONFIRMED', guard: 'departmentSupervisor' },
        ],
        CANCEL: { target: 'CANCELLED', guard: 'departmentSupervisor' },
      },
    },
    DISPUTED: {
      on: {
        REVISE: { target: 'DRAFT', guard: 'departmentSupervisor' },
        CANCEL: { target: 'CANCELLED', guard: 'departmentSupervisor' },
      },
    },
    IN_PROGRESS: {
      on: {
        FINISH: { target: 'AWAITING_ACCEPTANCE', guard: and(['assignee', 'recordsReady']) },
      },
    },
    AWAITING_ACCEPTANCE: {
      on: {
        REOPEN: { target: 'IN_PROGRESS', guard: 'acceptanceFailed' },
        CLOSE: { target: 'COMPLETED', guard: 'acceptanceVerified' },
      },
    },
    COMPLETED: { type: 'final' },
    CANCELLED: { type: 'final' },
  },
});
