/**
 * 售後服務情況報表 — the periodic service report, and the annual after-sales and spare-parts plans (SPEC §3.9,
 * seed 002 §4.4, §4.7, §4.9): the whole contract. Drawn up by the department (編制) — its supervisor, customer
 * service, or the scheduled monthly generation — reviewed by the department head (審核: 經部門領導審核) and
 * approved by an executive (批准: 報主管領導批准) before it is issued. Three signatures, three people: nobody
 * reviews or approves a report they drew up or submitted, and the reviewer does not also approve it.
 */
import { and } from 'xstate';
import { sign } from '../../approval/approval';
import { ApprovalStep, SignatureDecision } from '../../approval/approval.entity';
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission, rule, segregation } from '../../workflow/definition';

export interface ServiceReportFacts {
  /** a SUPERVISOR of the report's department, or customer service (AGENT), who draw reports up */
  isDrafter: boolean;
  /** the scheduled generation (the system) */
  isSystem: boolean;
  /** a SUPERVISOR of the report's department: its head, who reviews */
  isDepartmentSupervisor: boolean;
  isExecutive: boolean;
  /** created or submitted the report */
  isInvolved: boolean;
  /** already signed (reviewed) in the current round */
  signedThisRound: boolean;
  /** ARCHIVIST, or the system's scheduled archiving */
  isArchivist: boolean;
  /** a live report of the same kind, period, department and customer group exists (CREATE) */
  duplicateExists: boolean;
  /** ANNUAL_PLAN or SPARE_PARTS_PLAN */
  isPlan: boolean;
  planItemCount: number;
}

type F = ServiceReportFacts;

export const serviceReportGuards = {
  drafter: permission<F>('A report is drawn up by a supervisor of its department, by customer service (AGENT), or by the scheduled generation.', [Role.SUPERVISOR, Role.AGENT], (f) => f.isDrafter || f.isSystem, 'departmentId'),
  editor: permission<F>('Only a supervisor of the report\'s department or customer service (AGENT) may do this.', [Role.SUPERVISOR, Role.AGENT], (f) => f.isDrafter),
  unique: rule<F>('There is already a report of this kind for this period, department and customer group (cancel it first to draw up another).', (f) => !f.duplicateExists),
  planHasItems: rule<F>('A plan goes for review with at least one plan item.', (f) => !f.isPlan || f.planItemCount > 0),
  departmentHead: permission<F>('The department head (a supervisor of the report\'s department) reviews it.', [Role.SUPERVISOR], (f) => f.isDepartmentSupervisor),
  executive: permission<F>('An executive (公司主管領導) approves the report before it is issued.', [Role.EXECUTIVE], (f) => f.isExecutive),
  segregated: segregation<F>('Nobody reviews or approves a report they drew up or submitted, and the reviewer does not also approve it.', (f) => !f.isInvolved && !f.signedThisRound),
  archivist: permission<F>('Only the records custodian (ARCHIVIST) or an automation holding that role archives.', [Role.ARCHIVIST], (f) => f.isArchivist),
};

export const serviceReportEffects = [
  'describe', 'freezeFigures', 'update', 'newApprovalRound', 'stampSubmitted', 'sign', 'stampReviewed', 'stampIssued', 'noteSendBack', 'noteCancellation',
] as const;

const archive = { target: 'ARCHIVED', guard: 'archivist' };

export const serviceReportMachine = documentMachine(serviceReportGuards, serviceReportEffects, {
  id: 'ServiceReport',
  initial: 'NEW',
  states: {
    // reports freeze their figures now, once; plans start with the items the department writes
    NEW: { on: { CREATE: { target: 'DRAFT', guard: and(['drafter', 'unique']), actions: ['describe', 'freezeFigures'] } } },
    DRAFT: {
      on: {
        UPDATE: { target: 'DRAFT', guard: 'editor', actions: ['update'] },
        SUBMIT: { target: 'PENDING_REVIEW', guard: and(['editor', 'planHasItems']), actions: ['newApprovalRound', 'stampSubmitted'] },
        CANCEL: { target: 'CANCELLED', guard: 'editor', actions: ['noteCancellation'] },
      },
    },
    PENDING_REVIEW: {
      on: {
        REVIEW: { target: 'PENDING_APPROVAL', guard: and(['departmentHead', 'segregated']), actions: [sign(ApprovalStep.SUPERVISOR, SignatureDecision.ENDORSE), 'stampReviewed'] },
        SEND_BACK: { target: 'DRAFT', guard: 'departmentHead', actions: [sign(ApprovalStep.SUPERVISOR, SignatureDecision.REJECT), 'noteSendBack'] },
      },
    },
    PENDING_APPROVAL: {
      on: {
        APPROVE: { target: 'ISSUED', guard: and(['executive', 'segregated']), actions: [sign(ApprovalStep.EXECUTIVE, SignatureDecision.APPROVE), 'stampIssued', announce('issued')] },
        SEND_BACK: { target: 'DRAFT', guard: 'executive', actions: [sign(ApprovalStep.EXECUTIVE, SignatureDecision.REJECT), 'noteSendBack'] },
      },
    },
    ISSUED: { on: { ARCHIVE: archive } },
    CANCELLED: { on: { ARCHIVE: archive } },
    ARCHIVED: { type: 'final' },
  },
});
