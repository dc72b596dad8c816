/**
 * 服務任務單 — the department's service task (SPEC §3.2): the whole contract. The approval steps use the
 * shared tier guards and signatures (src/approval); each transition names the effects it runs and the
 * domain events it announces (the request starts, completes; an acceptance round opens).
 */
import { and } from 'xstate';
import { approvalGuards, sign, type ApprovalFacts } from '../../approval/approval';
import { ApprovalStep, SignatureDecision } from '../../approval/approval.entity';
import type { ApprovalTier } from '../../approval/tier';
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission, rule } from '../../workflow/definition';

export interface ServiceTaskFacts extends ApprovalFacts {
  isCreator: boolean;
  isAssignee: boolean;
  /** the request's state (creation needs it ACCEPTED or IN_SERVICE) */
  requestState: string | null;
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
  /** the tier the task has with this event's changes applied */
  proposedTier: ApprovalTier;
  /** a portal user of the task's customer */
  isOwnCustomer: boolean;
  isAgent: boolean;
  /** chargeable to the customer (not under warranty): its quote needs the customer's consent */
  chargeable: boolean;
  /** the customer consented to the quoted price and planned times as they are now */
  consentCurrent: boolean;
  /**
   * Why the task's assignee (with this event's changes) may not be assigned: the qualification its service type
   * needs (持證上崗) is missing, expired, not yet valid or revoked — null when qualified, when the service type needs
   * none, or when there is no assignee yet.
   */
  qualificationProblem: string | null;
  /** the task as the event leaves it is chargeable, and its request is a free repeat repair (seed 004) */
  chargedFreeRepeat: boolean;
  /** a person holding the AGENT role (customer service): the dispatch notice is signed by a named agent, never an automation */
  isNamedAgent: boolean;
  /** the dispatch notice was issued already */
  dispatched: boolean;
}

type F = ServiceTaskFacts;

export const serviceTaskGuards = {
  ...approvalGuards,
  departmentSupervisor: permission<F>('Only a supervisor of the task\'s department may do this.', [Role.SUPERVISOR], (f) => f.isDepartmentSupervisor),
  requestOpenForTasks: rule<F>('A task is made from an ACCEPTED or IN_SERVICE request.', (f) => f.requestState === 'ACCEPTED' || f.requestState === 'IN_SERVICE'),
  creator: permission<F>('Only the supervisor who created the task submits it.', [Role.SUPERVISOR], (f) => f.isCreator),
  assignee: permission<F>('Only the task\'s assignee may do this.', [Role.TECHNICIAN], (f) => f.isAssignee),
  readyForApproval: rule<F>('A task needs a description, an assignee, the planned start and end, the estimated cost and, when chargeable, the quoted price before it goes for approval.', (f) => f.missingForSubmit.length === 0),
  changesApprovedTerms: rule<F>('A change of cost, customer or complexity after approval sends the task back for approval.', (f) => f.changesApprovedTerms),
  changesAssignee: rule<F>('A confirmed task given to another assignee waits for the new assignee to confirm it.', (f) => f.changesAssignee),
  recordsReady: rule<F>('A task is finished with at least one service record, and every record SUBMITTED or REVIEWED.', (f) => f.recordCount > 0 && f.unfinishedRecords === 0),
  acceptanceFailed: rule<F>('The task reopens for rectification when its acceptance failed.', (f) => f.latestAcceptance === 'FAILED'),
  acceptanceVerified: rule<F>('The task completes when its acceptance is verified.', (f) => f.latestAcceptance === 'VERIFIED'),
  consenter: permission<F>('The quote is consented to or declined by the request\'s customer, or recorded by customer service with the person\'s name and the channel.', [Role.CUSTOMER, Role.AGENT], (f) => f.isOwnCustomer || f.isAgent),
  chargeable: rule<F>('Only a chargeable task (not under warranty) asks for the customer\'s consent to its quote.', (f) => f.chargeable),
  awaitsConsent: rule<F>('The customer has already consented to the quote as it stands.', (f) => !f.consentCurrent),
  consentGiven: rule<F>('A chargeable task starts only once the customer has consented to its quoted price and times as they are now (a change after consent needs consent again).', (f) => !f.chargeable || f.consentCurrent),
  // 持證上崗 (seed 002, SPEC §3.10): checked on every assignment — CREATE, UPDATE and REVISE with the assignee the task
  // will have, and APPROVE, so a certificate that expired or was revoked after the task was planned is caught
  assigneeQualified: rule<F>(
    'The assignee must hold a certificate of the qualification the service type needs, valid now and until the planned end (持證上崗).',
    (f) => f.qualificationProblem === null,
    (f) => f.qualificationProblem,
  ),
  // seed 004 (質保期內，如出現相同故障，可免費維修): the request repeats a fault repaired within its post-repair warranty
  freeOfCharge: rule<F>(
    'The request repeats a fault repaired within its post-repair warranty: it is repaired free (seed 004), so its task cannot be chargeable.',
    (f) => !f.chargedFreeRepeat,
  ),
  dispatcher: permission<F>('Customer service issues the dispatch notice (售後服務通知單), signed by a named agent.', [Role.AGENT], (f) => f.isNamedAgent),
  notDispatched: rule<F>('The task\'s dispatch notice has been issued already.', (f) => !f.dispatched),
};

export const serviceTaskEffects = [
  'applyDetails', 'computeTier', 'newApprovalRound', 'stampSubmitted', 'clearConfirmation', 'sign', 'stampApproved', 'noteRejection',
  'stampConfirmed', 'noteDispute', 'stampStarted', 'stampFinished', 'stampCompleted', 'noteCancellation', 'recordConsent', 'recordDecline',
  'issueDispatchNotice', 'recordCustomerContact',
] as const;

const supervisorSigns = sign(ApprovalStep.SUPERVISOR, SignatureDecision.APPROVE);
const supervisorEndorses = sign(ApprovalStep.SUPERVISOR, SignatureDecision.ENDORSE);
const executiveSigns = sign(ApprovalStep.EXECUTIVE, SignatureDecision.APPROVE);
const cancel = { target: 'CANCELLED', guard: 'departmentSupervisor', actions: ['noteCancellation', announce('cancelled')] };
/** a change of what was approved sends the task back for approval, in a new round (SPEC §2) */
const backForApproval = { target: 'PENDING_APPROVAL', guard: and(['departmentSupervisor', 'assigneeQualified', 'freeOfCharge', 'changesApprovedTerms']), actions: ['applyDetails', 'computeTier', 'newApprovalRound'] };
const changeIn = (state: string) => ({ target: state, guard: and(['departmentSupervisor', 'assigneeQualified', 'freeOfCharge']), actions: ['applyDetails', 'computeTier'] });
/** the customer's answer to the quote of an approved task (SPEC §3.2): consent stays in the state; a decline returns it to the supervisor */
const consentIn = (state: string) => ({
  CONSENT: { target: state, guard: and(['consenter', 'chargeable', 'awaitsConsent']), actions: ['recordConsent'] },
  DECLINE: { target: 'QUOTE_DECLINED', guard: and(['consenter', 'chargeable']), actions: ['recordDecline'] },
});

/**
 * The dispatch notice and the customer contact (SPEC §3.10) are steps on the task, not documents of their own: the
 * notice belongs to exactly one approved task and decides nothing, so it is a self-loop recording it on the task
 * (with its own DN number), and the field report's return is the task's FINISH.
 */
const dispatchIn = (state: string) => ({ DISPATCH: { target: state, guard: and(['dispatcher', 'notDispatched']), actions: ['issueDispatchNotice'] } });
const contactIn = (state: string) => ({ RECORD_CONTACT: { target: state, guard: 'assignee', actions: ['recordCustomerContact'] } });

const archivedWithRequest = { target: 'ARCHIVED', actions: [announce('archived')] };

export const serviceTaskMachine = documentMachine(serviceTaskGuards, serviceTaskEffects, {
  id: 'ServiceTask',
  initial: 'NEW',
  states: {
    NEW: { on: { CREATE: { target: 'DRAFT', guard: and(['departmentSupervisor', 'requestOpenForTasks', 'assigneeQualified', 'freeOfCharge']) } } },
    DRAFT: {
      on: {
        UPDATE: { target: 'DRAFT', guard: and(['departmentSupervisor', 'assigneeQualified', 'freeOfCharge']), actions: ['applyDetails'] },
        SUBMIT: { target: 'PENDING_APPROVAL', guard: and(['creator', 'readyForApproval', 'freeOfCharge']), actions: ['computeTier', 'newApprovalRound', 'stampSubmitted'] },
        CANCEL: cancel,
      },
    },
    PENDING_APPROVAL: {
      on: {
        APPROVE: [
          { target: 'ASSIGNED', guard: and(['approver', 'endorsementFirst', 'segregated', 'assigneeQualified', 'supervisorTier']), actions: [supervisorSigns, 'stampApproved', announce('approved')] },
          { target: 'PENDING_EXECUTIVE', guard: and(['approver', 'endorsementFirst', 'segregated', 'assigneeQualified', 'executiveTier']), actions: [supervisorEndorses] },
        ],
        REJECT: { target: 'DRAFT', guard: and(['approver', 'endorsementFirst']), actions: [sign(ApprovalStep.SUPERVISOR, SignatureDecision.REJECT), 'noteRejection'] },
        // before approval a change only recomputes the tier
        UPDATE: changeIn('PENDING_APPROVAL'),
        CANCEL: cancel,
      },
    },
    PENDING_EXECUTIVE: {
      on: {
        APPROVE: { target: 'ASSIGNED', guard: and(['approver', 'executiveStep', 'segregated', 'assigneeQualified']), actions: [executiveSigns, 'stampApproved', announce('approved')] },
        REJECT: { target: 'DRAFT', guard: and(['approver', 'executiveStep']), actions: [sign(ApprovalStep.EXECUTIVE, SignatureDecision.REJECT), 'noteRejection'] },
        UPDATE: [backForApproval, changeIn('PENDING_EXECUTIVE')],
        CANCEL: cancel,
      },
    },
    ASSIGNED: {
      on: {
        CONFIRM: { target: 'CONFIRMED', guard: 'assignee', actions: ['stampConfirmed'] },
        DISPUTE: { target: 'DISPUTED', guard: 'assignee', actions: ['noteDispute'] },
        UPDATE: [backForApproval, changeIn('ASSIGNED')],
        ...consentIn('ASSIGNED'),
        ...dispatchIn('ASSIGNED'),
        ...contactIn('ASSIGNED'),
        CANCEL: cancel,
      },
    },
    CONFIRMED: {
      on: {
        START: { target: 'IN_PROGRESS', guard: and(['assignee', 'consentGiven']), actions: ['stampStarted'] },
        ...consentIn('CONFIRMED'),
        ...dispatchIn('CONFIRMED'),
        ...contactIn('CONFIRMED'),
        UPDATE: [
          backForApproval,
          // another assignee must confirm it again
          { target: 'ASSIGNED', guard: and(['departmentSupervisor', 'assigneeQualified', 'changesAssignee']), actions: ['applyDetails', 'computeTier', 'clearConfirmation'] },
          changeIn('CONFIRMED'),
        ],
        CANCEL: cancel,
      },
    },
    DISPUTED: {
      on: {
        REVISE: { target: 'DRAFT', guard: and(['departmentSupervisor', 'assigneeQualified', 'freeOfCharge']), actions: ['applyDetails'] },
        CANCEL: cancel,
      },
    },
    // the customer declined the quote: the supervisor revises it (price, times) or cancels the task
    QUOTE_DECLINED: {
      on: {
        REVISE: { target: 'DRAFT', guard: and(['departmentSupervisor', 'assigneeQualified', 'freeOfCharge']), actions: ['applyDetails'] },
        CANCEL: cancel,
      },
    },
    IN_PROGRESS: {
      on: {
        FINISH: { target: 'AWAITING_ACCEPTANCE', guard: and(['assignee', 'recordsReady']), actions: ['stampFinished', announce('finished')] },
        ...dispatchIn('IN_PROGRESS'),
        ...contactIn('IN_PROGRESS'),
      },
    },
    AWAITING_ACCEPTANCE: {
      on: {
        REOPEN: { target: 'IN_PROGRESS', guard: 'acceptanceFailed' },
        CLOSE: { target: 'COMPLETED', guard: 'acceptanceVerified', actions: ['stampCompleted', announce('closed')] },
      },
    },
    // archived by the system with its request (src/workflow/reactions.ts); its records and acceptances follow
    COMPLETED: { on: { ARCHIVE: archivedWithRequest } },
    CANCELLED: { on: { ARCHIVE: archivedWithRequest } },
    ARCHIVED: { type: 'final' },
  },
});
