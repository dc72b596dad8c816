/**
 * 服務申請單 — the customer's service request (SPEC §3.1): the whole contract. Each guard is written once,
 * with its kind, the sentence a refusal shows and the roles it admits; transitions name their guards,
 * their effects and the domain events they announce.
 */
import { and } from 'xstate';
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission, rule } from '../../workflow/definition';

export interface ServiceRequestFacts {
  isAgent: boolean;
  isCreator: boolean;
  /** a portal user acting for the request's own organisation */
  isOwnCustomer: boolean;
  /** ARCHIVIST, or the system's scheduled archiving */
  isArchivist: boolean;
  /** the system, opening the request from a converted consultation */
  isSystem: boolean;
  /** the request was converted from a consultation (its creator is the system; its customer's portal users act as its creator) */
  fromConsultation: boolean;
  /** required fields still empty for SUBMIT */
  missingFields: string[];
  /** a task of the request has been approved (for START) */
  anyTaskApproved: boolean;
  /** every task of the request is completed, and there is at least one (for COMPLETE) */
  allTasksCompleted: boolean;
  /** tasks of the request neither completed nor cancelled */
  openTasks: number;
  /** the return visit being recorded found the customer dissatisfied (SPEC §4: it opens a follow-up) */
  lowSatisfaction: boolean;
}

type F = ServiceRequestFacts;

export const serviceRequestGuards = {
  customerOrAgent: permission<F>(
    'Portal users file requests for their own organisation; customer service for any customer; the system when converting a consultation.',
    [Role.CUSTOMER, Role.AGENT],
    (f) => f.isAgent || f.isOwnCustomer || f.isSystem,
    'customerId',
  ),
  creatorOrAgent: permission<F>(
    'Only the request\'s creator (for a request converted from a consultation: its customer\'s portal users) or customer service may do this.',
    [Role.CUSTOMER, Role.AGENT],
    (f) => f.isCreator || f.isAgent || (f.fromConsultation && f.isOwnCustomer),
  ),
  agent: permission<F>('Only customer service (AGENT) may do this.', [Role.AGENT], (f) => f.isAgent),
  archivist: permission<F>('Only the records custodian (ARCHIVIST) or an automation holding that role archives.', [Role.ARCHIVIST], (f) => f.isArchivist),
  requiredFieldsComplete: rule<F>('A request needs contact name and phone, address, description and the expected service window before it is submitted.', (f) => f.missingFields.length === 0),
  aTaskIsApproved: rule<F>('Service starts when the request\'s first task is approved.', (f) => f.anyTaskApproved),
  allTasksCompleted: rule<F>('The request completes when all its tasks are completed.', (f) => f.allTasksCompleted),
  lowSatisfaction: rule<F>('A dissatisfied customer at the return visit opens a follow-up.', (f) => f.lowSatisfaction),
  noOpenTasks: rule<F>('A request with open tasks cannot be cancelled: cancel or complete its tasks first.', (f) => f.openTasks === 0),
};

export const serviceRequestEffects = ['applyDetails', 'stampSubmitted', 'matchRepeatRepair', 'acceptInto', 'noteReturn', 'noteRejection', 'noteCancellation', 'stampClosed', 'recordReturnVisit', 'closeFollowUp'] as const;

// its tasks (and theirs: records, acceptances) are archived with it (src/workflow/reactions.ts)
const archive = { target: 'ARCHIVED', guard: 'archivist', actions: [announce('archived')] };

export const serviceRequestMachine = documentMachine(serviceRequestGuards, serviceRequestEffects, {
  id: 'ServiceRequest',
  initial: 'NEW',
  states: {
    NEW: { on: { CREATE: { target: 'DRAFT', guard: 'customerOrAgent' } } },
    DRAFT: {
      on: {
        UPDATE: { target: 'DRAFT', guard: 'creatorOrAgent', actions: ['applyDetails'] },
        SUBMIT: { target: 'SUBMITTED', guard: and(['creatorOrAgent', 'requiredFieldsComplete']), actions: ['stampSubmitted', 'matchRepeatRepair'] },
        CANCEL: { target: 'CANCELLED', guard: 'creatorOrAgent', actions: ['noteCancellation', 'stampClosed'] },
      },
    },
    SUBMITTED: {
      on: {
        ACCEPT: { target: 'ACCEPTED', guard: 'agent', actions: ['acceptInto', 'matchRepeatRepair'] },
        RETURN: { target: 'RETURNED', guard: 'agent', actions: ['noteReturn'] },
        REJECT: { target: 'REJECTED', guard: 'agent', actions: ['noteRejection', 'stampClosed'] },
        CANCEL: { target: 'CANCELLED', guard: 'creatorOrAgent', actions: ['noteCancellation', 'stampClosed'] },
      },
    },
    RETURNED: {
      on: {
        UPDATE: { target: 'RETURNED', guard: 'creatorOrAgent', actions: ['applyDetails'] },
        RESUBMIT: { target: 'SUBMITTED', guard: and(['creatorOrAgent', 'requiredFieldsComplete']), actions: ['applyDetails', 'stampSubmitted', 'matchRepeatRepair'] },
        CANCEL: { target: 'CANCELLED', guard: 'creatorOrAgent', actions: ['noteCancellation', 'stampClosed'] },
      },
    },
    ACCEPTED: {
      on: {
        START: { target: 'IN_SERVICE', guard: 'aTaskIsApproved' },
        CANCEL: { target: 'CANCELLED', guard: and(['creatorOrAgent', 'noOpenTasks']), actions: ['noteCancellation', 'stampClosed'] },
      },
    },
    IN_SERVICE: {
      on: {
        COMPLETE: { target: 'COMPLETED', guard: 'allTasksCompleted', actions: ['stampClosed'] },
      },
    },
    COMPLETED: {
      on: {
        // 回訪 (SPEC §4, seed 004): customer service calls back; a dissatisfied customer opens a follow-up
        RECORD_RETURN_VISIT: [
          { target: 'FOLLOW_UP', guard: and(['agent', 'lowSatisfaction']), actions: ['recordReturnVisit'] },
          { target: 'COMPLETED', guard: 'agent', actions: ['recordReturnVisit'] },
        ],
        ARCHIVE: archive,
      },
    },
    FOLLOW_UP: { on: { CLOSE_FOLLOW_UP: { target: 'COMPLETED', guard: 'agent', actions: ['closeFollowUp'] } } },
    REJECTED: { on: { ARCHIVE: archive } },
    CANCELLED: { on: { ARCHIVE: archive } },
    ARCHIVED: { type: 'final' },
  },
});
