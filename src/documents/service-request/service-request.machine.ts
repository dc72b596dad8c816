/**
 * 服務申請單 — the customer's service request (SPEC §3.1). The rules, nothing else:
 * the guards read facts the engine loaded beforehand.
 */
import { and, setup } from 'xstate';
import type { GuardEvent } from '../../workflow/definition';

export interface ServiceRequestFacts {
  isAgent: boolean;
  isCreator: boolean;
  isArchivist: boolean;
  /** required fields still empty for SUBMIT */
  missingFields: string[];
  /** a task of the request has been approved (for START) */
  anyTaskApproved: boolean;
  /** every task of the request is completed, and there is at least one (for COMPLETE) */
  allTasksCompleted: boolean;
  /** tasks of the request neither completed nor cancelled */
  openTasks: number;
}

export const serviceRequestMachine = setup({
  types: {} as { context: Record<string, never>; events: GuardEvent<ServiceRequestFacts> },
  guards: {
    creatorOrAgent: ({ event }) => event.facts.isCreator || event.facts.isAgent,
    agent: ({ event }) => event.facts.isAgent,
    archivist: ({ event }) => event.facts.isArchivist,
    requiredFieldsComplete: ({ event }) => event.facts.missingFields.length === 0,
    aTaskIsApproved: ({ event }) => event.facts.anyTaskApproved,
    allTasksCompleted: ({ event }) => event.facts.allTasksCompleted,
    noOpenTasks: ({ event }) => event.facts.openTasks === 0,
  },
}).createMachine({
  id: 'ServiceRequest',
  initial: 'DRAFT',
  context: {},
  states: {
    DRAFT: {
      on: {
        UPDATE: { target: 'DRAFT', guard: 'creatorOrAgent' },
        SUBMIT: { target: 'SUBMITTED', guard: and(['creatorOrAgent', 'requiredFieldsComplete']) },
        CANCEL: { target: 'CANCELLED', guard: 'creatorOrAgent' },
      },
    },
    SUBMITTED: {
      on: {
        ACCEPT: { target: 'ACCEPTED', guard: 'agent' },
        RETURN: { target: 'RETURNED', guard: 'agent' },
        REJECT: { target: 'REJECTED', guard: 'agent' },
        CANCEL: { target: 'CANCELLED', guard: 'creatorOrAgent' },
      },
    },
    RETURNED: {
      on: {
        UPDATE: { target: 'RETURNED', guard: 'creatorOrAgent' },
        RESUBMIT: { target: 'SUBMITTED', guard: and(['creatorOrAgent', 'requiredFieldsComplete']) },
        CANCEL: { target: 'CANCELLED', guard: 'creatorOrAgent' },
      },
    },
    ACCEPTED: {
      on: {
        START: { target: 'IN_SERVICE', guard: 'aTaskIsApproved' },
        CANCEL: { target: 'CANCELLED', guard: and(['creatorOrAgent', 'noOpenTasks']) },
      },
    },
    IN_SERVICE: {
      on: {
        COMPLETE: { target: 'COMPLETED', guard: 'allTasksCompleted' },
      },
    },
    COMPLETED: { on: { ARCHIVE: { target: 'ARCHIVED', guard: 'archivist' } } },
    REJECTED: { on: { ARCHIVE: { target: 'ARCHIVED', guard: 'archivist' } } },
    CANCELLED: { on: { ARCHIVE: { target: 'ARCHIVED', guard: 'archivist' } } },
    ARCHIVED: { type: 'final' },
  },
});
