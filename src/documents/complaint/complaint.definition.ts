/**
 * The complaint as the engine sees it (SPEC §3.5): the facts its guards read, what each effect does to the
 * fields, and each event's input. The rules themselves are in the machine.
 */
import { approvalEffects, type ApprovableRef } from '../../approval/approval';
import type { ApprovalStep, SignatureDecision } from '../../approval/approval.entity';
import { ApprovalTier } from '../../approval/tier';
import { hasRole, isPortalUser, Role, SYSTEM_CALLER } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { Customer, Department } from '../../organisation/organisation.entities';
import { addWorkingDays } from '../../time/working-days';
import { Channel } from '../../vocabulary';
import { DocumentDefinition, NEW, type EffectContext } from '../../workflow/definition';
import { notFound, Refusal, UserErrorCode, type UserErrorData } from '../../workflow/errors';
import { lockVisibleDocument } from '../../workflow/lookup';
import { Complaint } from './complaint.entity';
import { RESOLUTION_WORKING_DAYS } from './complaint.enums';
import { ComplaintFacts, complaintEffects, complaintMachine } from './complaint.machine';
import { complaintPolicy } from './complaint.policy';
import {
  AssignComplaintInput,
  ClassifyComplaintInput,
  CloseComplaintInput,
  CreateComplaintInput,
  DocumentEventInput,
  NotifyComplaintInput,
  ReasonEventInput,
  ResolveComplaintInput,
} from './complaint.types';

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

/** The complaint's resolution as an approvable document: the executive signs it (seed 002), round by round. */
const approvable = (doc: Complaint): ApprovableRef => ({
  documentType: 'Complaint',
  documentId: doc.id,
  departmentId: doc.departmentId,
  round: doc.approvalRound,
  // a complaint's handling is always approved by an executive
  tier: ApprovalTier.EXECUTIVE,
  involvedUserIds: [doc.createdById, doc.resolvedById],
});

const { newApprovalRound, sign } = approvalEffects(approvable);

const effects: Record<(typeof complaintEffects)[number], (doc: Complaint, ctx: EffectContext<any, ComplaintFacts>) => void | Promise<void>> = {
  newApprovalRound,
  sign,
  classify: (doc, { input, now }) => {
    const classify = input as ClassifyComplaintInput;
    doc.category = classify.category;
    doc.severity = classify.severity;
    if (classify.internalNote !== undefined && classify.internalNote !== null) doc.internalNote = classify.internalNote;
    doc.classifiedAt = now;
  },
  assignDepartment: (doc, { input, now }) => {
    const assign = input as AssignComplaintInput;
    doc.departmentId = idOf(assign.departmentId, 'Department');
    if (assign.internalNote !== undefined && assign.internalNote !== null) doc.internalNote = assign.internalNote;
    doc.assignedAt = now;
    // CLASSIFY came first, so the severity is known (SPEC §4: HIGH 1, MEDIUM 3, LOW 5 working days)
    doc.resolutionDueAt = addWorkingDays(now, RESOLUTION_WORKING_DAYS[doc.severity!]);
  },
  stampInvestigating: (doc, { now }) => {
    doc.investigationStartedAt = doc.investigationStartedAt ?? now;
  },
  proposeResolution: (doc, { input, caller, now }) => {
    const resolve = input as ResolveComplaintInput;
    doc.cause = resolve.cause;
    doc.responsibility = resolve.responsibility;
    doc.remedy = resolve.remedy;
    doc.compensationAmount = resolve.compensationAmount ?? null;
    doc.resolvedById = caller.userId;
    doc.resolutionProposedAt = now;
  },
  stampResolved: (doc, { now }) => {
    doc.resolvedAt = now;
  },
  noteRejection: (doc, { input }) => {
    doc.rejectionReason = (input as ReasonEventInput).reason;
  },
  noteNotification: (doc, { input, now }) => {
    const notify = input as NotifyComplaintInput;
    doc.notifiedVia = notify.channel;
    doc.notificationNote = notify.note;
    doc.notifiedAt = now;
    // the first reply to the customer (SPEC §8, seed 001 §4.2.2 首次回復): INVESTIGATE is internal, NOTIFY is what the customer hears
    doc.firstResponseAt = doc.firstResponseAt ?? now;
  },
  stampConfirmed: (doc, { now }) => {
    doc.customerConfirmedAt = now;
  },
  noteUnsatisfied: (doc, { input }) => {
    doc.unsatisfiedReason = (input as ReasonEventInput).reason;
    doc.reopenCount += 1;
  },
  recordFollowUp: (doc, { input, now }) => {
    const close = input as CloseComplaintInput;
    doc.followUpNote = close.note;
    doc.satisfaction = close.satisfaction;
    doc.closedAt = now;
  },
};

export const complaintDefinition: DocumentDefinition<Complaint, ComplaintFacts> = {
  type: 'Complaint',
  prefix: 'CP',
  entity: Complaint,
  machine: complaintMachine,
  policy: complaintPolicy,
  records: {
    closedStates: ['CLOSED'],
    personalFields: ['subject', 'description', 'internalNote', 'cause', 'remedy', 'rejectionReason', 'notificationNote', 'unsatisfiedReason', 'followUpNote'],
    categoryColumn: 'category',
  },
  effects,

  async facts({ docs, caller, manager }) {
    // only a complaint being created links its request now: one statement for those
    const linked = [...new Set(docs.filter((d) => d.state === NEW && d.requestId).map((d) => d.requestId!))];
    const rows: Array<{ id: string; customer_id: string }> = linked.length ? await manager.query('SELECT id, customer_id FROM service_request WHERE id = ANY($1)', [linked]) : [];
    const customerOfRequest = new Map(rows.map((r) => [r.id, r.customer_id]));
    return docs.map((doc) => ({
      isAgent: hasRole(caller, Role.AGENT),
      isOwnCustomer: hasRole(caller, Role.CUSTOMER) && !!caller.customerId && doc.customerId === caller.customerId,
      isDepartmentSupervisor: hasRole(caller, Role.SUPERVISOR) && !!caller.departmentId && caller.departmentId === doc.departmentId,
      isExecutive: hasRole(caller, Role.EXECUTIVE),
      isResolver: !!doc.resolvedById && doc.resolvedById === caller.userId,
      // a complaint being created has no filer yet; the caller files it
      isFiler: doc.state !== NEW && doc.createdById === caller.userId,
      isArchivist: hasRole(caller, Role.ARCHIVIST) || caller.userId === SYSTEM_CALLER.userId,
      requestOfSameCustomer: !doc.requestId || customerOfRequest.get(doc.requestId) === doc.customerId,
    }));
  },

  async build(input: CreateComplaintInput, caller, manager) {
    const doc = new Complaint();
    doc.subject = input.subject;
    doc.description = input.description;
    if (isPortalUser(caller)) {
      // a portal user complains for their own organisation; naming another is the guard's to refuse
      doc.customerId = input.customerId ? (idOf(input.customerId, 'Customer') ?? '') : caller.customerId!;
      doc.channel = Channel.ONLINE;
    } else {
      const customerId = idOf(input.customerId, 'Customer');
      if (!customerId || !(await manager.existsBy(Customer, { id: customerId }))) throw Refusal.of(UserErrorCode.VALIDATION, 'customerId must name an existing customer', 'customerId');
      if (!input.channel) throw Refusal.of(UserErrorCode.VALIDATION, 'customer service must say how the complaint came in (channel)', 'channel');
      doc.customerId = customerId;
      doc.channel = input.channel;
    }
    doc.requestId = null;
    if (input.requestId) {
      // within the caller's scope, or as if it did not exist
      const request = await lockVisibleDocument<{ id: string }>(manager, 'ServiceRequest', idOf(input.requestId, 'ServiceRequest'), caller);
      if (!request) throw new Refusal([{ ...notFound('service request').errors[0], field: 'requestId' }]);
      doc.requestId = request.id;
    }
    doc.approvalRound = 0;
    doc.reopenCount = 0;
    return doc;
  },

  events: {
    CREATE: {
      description: 'File a complaint (RECEIVED). Portal users complain for their own organisation (ONLINE); customer service for any customer, by any channel. It may name the service request it is about.',
      input: CreateComplaintInput,
    },
    CLASSIFY: { description: 'Customer service classifies the complaint: category and severity.', input: ClassifyComplaintInput },
    ASSIGN: {
      description: 'Customer service gives the complaint to the responsible department; the resolution deadline follows from the severity (HIGH 1, MEDIUM 3, LOW 5 working days).',
      input: AssignComplaintInput,
      async validate(input: AssignComplaintInput, { manager }) {
        const id = idOf(input.departmentId, 'Department');
        const department = id ? await manager.findOneBy(Department, { id }) : null;
        return department?.active ? [] : [validation('departmentId', 'departmentId must name an active department')];
      },
    },
    INVESTIGATE: { description: 'A supervisor of the responsible department starts the investigation.', input: DocumentEventInput },
    RESOLVE: {
      description: 'A supervisor of the responsible department proposes the resolution: cause, responsibility, remedy and compensation, if any. An executive approves it next.',
      input: ResolveComplaintInput,
    },
    APPROVE: { description: 'An executive approves the resolution (seed 002): never the supervisor who proposed it, nor whoever filed the complaint.', input: DocumentEventInput },
    REJECT: { description: 'An executive sends the resolution back for further investigation; the reason is required.', input: ReasonEventInput },
    NOTIFY: { description: 'Customer service tells the customer the resolution: how, and what was said.', input: NotifyComplaintInput },
    CONFIRM_SATISFIED: { description: 'The customer is satisfied with the resolution (a portal user of the organisation, or customer service recording it); a return visit follows.', input: DocumentEventInput },
    REPORT_UNSATISFIED: { description: 'The customer is not satisfied: the complaint goes back to the responsible department for investigation; the reason is required.', input: ReasonEventInput },
    CLOSE: { description: 'Customer service records the return visit (回訪) with the customer\'s satisfaction and closes the complaint.', input: CloseComplaintInput },
    ARCHIVE: { description: 'File the closed complaint in the archive (read-only from then on): the records custodian, an automation holding that role, or the scheduled archiving.', system: true, callers: true, input: DocumentEventInput },
  },
};
