/**
 * 投訴 — a customer's complaint (SPEC §3.5, seed 001 §3.2 客戶投訴處理流程): the whole contract. Received by
 * customer service (or filed from the portal), classified, given to the responsible department, investigated
 * and resolved by its supervisor, approved by an executive (seed 002: 公司主管領導負責審批…用戶投訴處理意見),
 * told to the customer, confirmed or reopened, followed up with a return visit, closed and archived.
 */
import { and } from 'xstate';
import { ApprovalStep, SignatureDecision } from '../../approval/approval.entity';
import { sign } from '../../approval/approval';
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission, rule, segregation } from '../../workflow/definition';

export interface ComplaintFacts {
  isAgent: boolean;
  /** a portal user of the complaint's own organisation */
  isOwnCustomer: boolean;
  /** a SUPERVISOR of the responsible department */
  isDepartmentSupervisor: boolean;
  isExecutive: boolean;
  /** proposed the resolution now awaiting approval */
  isResolver: boolean;
  /** filed the complaint */
  isFiler: boolean;
  /** ARCHIVIST, or the system's scheduled archiving */
  isArchivist: boolean;
  /** the linked service request (if any) is the same customer's */
  requestOfSameCustomer: boolean;
}

type F = ComplaintFacts;

export const complaintGuards = {
  customerOrAgent: permission<F>('Portal users complain for their own organisation; customer service files complaints for any customer.', [Role.CUSTOMER, Role.AGENT], (f) => f.isAgent || f.isOwnCustomer, 'customerId'),
  requestOfSameCustomer: rule<F>('A complaint links only a service request of the same customer.', (f) => f.requestOfSameCustomer),
  agent: permission<F>('Only customer service (AGENT) may do this.', [Role.AGENT], (f) => f.isAgent),
  departmentSupervisor: permission<F>('Only a supervisor of the responsible department may do this.', [Role.SUPERVISOR], (f) => f.isDepartmentSupervisor),
  executive: permission<F>('Only an executive (公司主管領導) approves the handling of a complaint.', [Role.EXECUTIVE], (f) => f.isExecutive),
  segregated: segregation<F>('Nobody approves a resolution they proposed, or a complaint they filed.', (f) => !f.isResolver && !f.isFiler),
  customerOrAgentAnswer: permission<F>('Only a portal user of the complaint\'s organisation, or customer service recording the customer\'s answer, may do this.', [Role.CUSTOMER, Role.AGENT], (f) => f.isOwnCustomer || f.isAgent),
  archivist: permission<F>('Only the records custodian (ARCHIVIST) or an automation holding that role archives.', [Role.ARCHIVIST], (f) => f.isArchivist),
};

export const complaintEffects = [
  'classify', 'assignDepartment', 'stampInvestigating', 'proposeResolution', 'newApprovalRound', 'sign', 'stampResolved', 'noteRejection',
  'noteNotification', 'stampConfirmed', 'noteUnsatisfied', 'recordFollowUp',
] as const;

export const complaintMachine = documentMachine(complaintGuards, complaintEffects, {
  id: 'Complaint',
  initial: 'NEW',
  states: {
    NEW: { on: { CREATE: { target: 'RECEIVED', guard: and(['customerOrAgent', 'requestOfSameCustomer']), actions: [announce('received')] } } },
    RECEIVED: { on: { CLASSIFY: { target: 'CLASSIFIED', guard: 'agent', actions: ['classify'] } } },
    CLASSIFIED: { on: { ASSIGN: { target: 'ASSIGNED', guard: 'agent', actions: ['assignDepartment'] } } },
    ASSIGNED: { on: { INVESTIGATE: { target: 'INVESTIGATING', guard: 'departmentSupervisor', actions: ['stampInvestigating'] } } },
    INVESTIGATING: { on: { RESOLVE: { target: 'PENDING_APPROVAL', guard: 'departmentSupervisor', actions: ['proposeResolution', 'newApprovalRound'] } } },
    PENDING_APPROVAL: {
      on: {
        APPROVE: { target: 'RESOLVED', guard: and(['executive', 'segregated']), actions: [sign(ApprovalStep.EXECUTIVE, SignatureDecision.APPROVE), 'stampResolved', announce('resolved')] },
        REJECT: { target: 'INVESTIGATING', guard: 'executive', actions: [sign(ApprovalStep.EXECUTIVE, SignatureDecision.REJECT), 'noteRejection'] },
      },
    },
    RESOLVED: { on: { NOTIFY: { target: 'CUSTOMER_NOTIFIED', guard: 'agent', actions: ['noteNotification'] } } },
    CUSTOMER_NOTIFIED: {
      on: {
        CONFIRM_SATISFIED: { target: 'FOLLOW_UP', guard: 'customerOrAgentAnswer', actions: ['stampConfirmed'] },
        REPORT_UNSATISFIED: { target: 'INVESTIGATING', guard: 'customerOrAgentAnswer', actions: ['noteUnsatisfied', announce('reopened')] },
      },
    },
    FOLLOW_UP: { on: { CLOSE: { target: 'CLOSED', guard: 'agent', actions: ['recordFollowUp', announce('closed')] } } },
    CLOSED: { on: { ARCHIVE: { target: 'ARCHIVED', guard: 'archivist' } } },
    ARCHIVED: { type: 'final' },
  },
});
