/**
 * The service task as the engine sees it (SPEC §3.2): the facts its guards read (tier facts from
 * src/approval), what each effect does, and each event's input. What the task causes elsewhere (the
 * request starts and completes, an acceptance round opens) is announced by its machine and routed by
 * src/workflow/reactions.ts.
 */
import type { EntityManager } from 'typeorm';
import { approvalEffects, loadApprovalFacts, type ApprovableRef } from '../../approval/approval';
import type { ApprovalStep, SignatureDecision } from '../../approval/approval.entity';
import { ApprovalTier, changesTierInputs, computeTier } from '../../approval/tier';
import { hasRole, isPortalUser, Role, UserKind } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { CustomerTier, User } from '../../organisation/organisation.entities';
import { Complexity } from '../../vocabulary';
import { DocumentDefinition, EffectContext } from '../../workflow/definition';
import { notFound, Refusal, UserErrorCode, UserErrorData } from '../../workflow/errors';
import { lockVisibleDocument } from '../../workflow/lookup';
import { nextDocumentNumber } from '../../workflow/numbering';
import { ServiceTask } from './service-task.entity';
import { ServiceTaskFacts, serviceTaskEffects, serviceTaskMachine } from './service-task.machine';
import { serviceTaskPolicy } from './service-task.policy';
import { ConsentChannel } from './service-task.enums';
import { ConsentServiceTaskInput, CreateServiceTaskInput, DispatchServiceTaskInput, DocumentEventInput, ReasonEventInput, RecordContactServiceTaskInput, UpdateServiceTaskInput } from './service-task.types';
import { QUALIFICATION_SQL, qualificationProblem, type QualificationRow } from './service-task.qualification';

type Details = Omit<UpdateServiceTaskInput, 'id' | 'expectedVersion' | 'comment'>;

const REQUIRED_FOR_SUBMIT: Array<keyof ServiceTask> = ['description', 'assigneeId', 'plannedStart', 'plannedEnd', 'estimatedCost'];
const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

/** the technicians named by global ids, or the problems with them */
async function technicianProblems(input: Details, manager: EntityManager): Promise<UserErrorData[]> {
  const problems: UserErrorData[] = [];
  const named: Array<[string, string]> = [];
  if (input.assigneeId) named.push(['assigneeId', input.assigneeId]);
  for (const h of input.helperIds ?? []) named.push(['helperIds', h]);
  const ids = named.map(([, g]) => idOf(g, 'User'));
  const users = ids.some((id) => id) ? await manager.findBy(User, ids.filter((id): id is string => !!id).map((id) => ({ id }))) : [];
  named.forEach(([field], i) => {
    const user = users.find((u) => u.id === ids[i]);
    if (!user || !user.active || !user.roles.includes(Role.TECHNICIAN)) problems.push(validation(field, `${field} must name active technicians`));
  });
  if (input.assigneeId && input.helperIds?.includes(input.assigneeId)) problems.push(validation('helperIds', 'the assignee is not also a helper'));
  return problems;
}

async function detailProblems(input: Details, manager: EntityManager, current: Partial<ServiceTask> = {}): Promise<UserErrorData[]> {
  const problems = await technicianProblems(input, manager);
  const start = input.plannedStart !== undefined ? input.plannedStart : current.plannedStart;
  const end = input.plannedEnd !== undefined ? input.plannedEnd : current.plannedEnd;
  if (start && end && end < start) problems.push(validation('plannedEnd', 'plannedEnd must not be before plannedStart'));
  // a task past its draft has been submitted with its terms: made chargeable, it needs the price the leader approves (SUBMIT checks drafts)
  const chargeable = input.chargeable ?? current.chargeable;
  const price = input.quotedPrice !== undefined ? input.quotedPrice : current.quotedPrice;
  if (chargeable && price == null && current.state && current.state !== 'DRAFT') problems.push(validation('quotedPrice', 'a chargeable task needs its quoted price'));
  return problems;
}

function applyDetails(doc: ServiceTask, input: Details | undefined): void {
  if (!input) return;
  if (input.description !== undefined) doc.description = input.description ?? null;
  if (input.assigneeId !== undefined) doc.assigneeId = input.assigneeId ? idOf(input.assigneeId, 'User') : null;
  if (input.helperIds !== undefined) doc.helperIds = (input.helperIds ?? []).map((h) => idOf(h, 'User')!);
  if (input.plannedStart !== undefined) doc.plannedStart = input.plannedStart ?? null;
  if (input.plannedEnd !== undefined) doc.plannedEnd = input.plannedEnd ?? null;
  if (input.resources !== undefined) doc.resources = input.resources ?? null;
  if (input.estimatedCost !== undefined) doc.estimatedCost = input.estimatedCost ?? null;
  if (input.complexity !== undefined && input.complexity !== null) doc.complexity = input.complexity;
  if (input.chargeable !== undefined && input.chargeable !== null) doc.chargeable = input.chargeable;
  if (input.quotedPrice !== undefined) doc.quotedPrice = input.quotedPrice ?? null;
}

const regionExists = async (manager: EntityManager, code: string): Promise<boolean> => (await manager.query(`SELECT 1 FROM region WHERE code = $1`, [code])).length > 0;

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** The customer's consent covers the quote as it stands now: the same price and the same planned times (SPEC §3.2). */
export function consentCurrent(doc: ServiceTask): boolean {
  return !!doc.consentedAt && doc.consentedPrice === doc.quotedPrice && sameTime(doc.consentedStart, doc.plannedStart) && sameTime(doc.consentedEnd, doc.plannedEnd);
}

/** The task as an approvable document (SPEC §2). */
const approvable = (doc: ServiceTask): ApprovableRef => ({
  documentType: 'ServiceTask',
  documentId: doc.id,
  departmentId: doc.departmentId,
  round: doc.approvalRound,
  tier: doc.tier as ApprovalTier | null,
  involvedUserIds: [doc.createdById, doc.assigneeId, ...doc.helperIds],
});

const effects: Record<(typeof serviceTaskEffects)[number], (doc: ServiceTask, ctx: EffectContext<any, ServiceTaskFacts>) => void | Promise<void>> = {
  ...approvalEffects(approvable),
  applyDetails: (doc, { input }) => applyDetails(doc, input as Details),
  stampSubmitted: (doc, { now }) => {
    doc.submittedAt = now;
  },
  // a new assignee has not confirmed anything yet (SPEC §3.2: CONFIRM and DISPUTE are the assignee's)
  clearConfirmation: (doc) => {
    doc.confirmedAt = null;
  },
  stampApproved: (doc, { now }) => {
    doc.approvedAt = now;
  },
  noteRejection: (doc, { input }) => {
    doc.rejectionReason = (input as ReasonEventInput).reason;
  },
  stampConfirmed: (doc, { now }) => {
    doc.confirmedAt = now;
  },
  noteDispute: (doc, { input }) => {
    doc.disputeReason = (input as ReasonEventInput).reason;
  },
  stampStarted: (doc, { now }) => {
    doc.startedAt = doc.startedAt ?? now;
  },
  stampFinished: (doc, { now }) => {
    doc.finishedAt = now;
    // the dispatch notice comes back filled in with the field report (seed 002 §4.5.6)
    if (doc.dispatchNumber && !doc.dispatchReturnedAt) doc.dispatchReturnedAt = now;
  },
  stampCompleted: (doc, { now }) => {
    doc.completedAt = now;
  },
  noteCancellation: (doc, { input }) => {
    doc.cancellationReason = (input as ReasonEventInput).reason;
  },
  // a snapshot of the terms consented to: a later change of price or times no longer matches it
  recordConsent: (doc, { input, caller, now }) => {
    const consent = input as ConsentServiceTaskInput;
    const portal = isPortalUser(caller);
    doc.consentedPrice = doc.quotedPrice;
    doc.consentedStart = doc.plannedStart;
    doc.consentedEnd = doc.plannedEnd;
    doc.consentedAt = now;
    doc.consentSignerName = portal ? caller.name : consent.signerName!.trim();
    doc.consentChannel = portal ? ConsentChannel.PORTAL : consent.channel!;
    doc.consentRecordedById = caller.userId;
    doc.declineReason = null;
    doc.declinedAt = null;
  },
  // 售後服務通知單 (SPEC §3.10): its own number; the urgency and region it is dispatched with default to the request's
  issueDispatchNotice: async (doc, { input, caller, now, manager }) => {
    const notice = input as DispatchServiceTaskInput;
    const [request] = await manager.query(`SELECT urgency, region_code FROM service_request WHERE id = $1`, [doc.requestId]);
    doc.dispatchNumber = await nextDocumentNumber(manager, DISPATCH_PREFIX, now);
    doc.dispatchedAt = now;
    doc.dispatchedById = caller.userId;
    doc.dispatchAgentName = caller.name;
    doc.dispatchUrgency = notice.urgency ?? request?.urgency ?? null;
    doc.dispatchRegionCode = notice.regionCode ?? request?.region_code ?? null;
    doc.dispatchNote = notice.note ?? null;
    doc.dispatchReturnedAt = null;
  },
  // the latest contact stays on the task; each one is in the history with its fields
  recordCustomerContact: async (doc, { input, now, manager }) => {
    const contact = input as RecordContactServiceTaskInput;
    const place = contact.agreedVisitPlace?.trim() || (await manager.query(`SELECT address FROM service_request WHERE id = $1`, [doc.requestId]))[0]?.address || null;
    doc.customerContactedAt = contact.contactedAt ?? now;
    doc.customerContactChannel = contact.channel;
    doc.customerContactPerson = contact.contactPerson?.trim() || null;
    doc.agreedVisitAt = contact.agreedVisitAt;
    doc.agreedVisitPlace = place;
    doc.contactRecordedAt = now;
  },
  recordDecline: (doc, { input, now }) => {
    doc.declineReason = (input as ReasonEventInput).reason;
    doc.declinedAt = now;
    doc.consentedAt = null;
    doc.consentedPrice = null;
    doc.consentedStart = null;
    doc.consentedEnd = null;
  },
};

interface TaskRow extends QualificationRow {
  records: number;
  unfinished: number;
  latest_acceptance: string | null;
  customer_tier: CustomerTier | null;
  request_state: string | null;
  request_free_repeat: boolean | null;
}

/**
 * What the guards read from other tables, for a page of tasks (or one being created): one statement. `merged` are the
 * tasks as the event would leave them (the assignee and planned end the qualification is checked against).
 */
async function relatedFacts(manager: EntityManager, docs: ServiceTask[], merged: ServiceTask[], now: Date): Promise<TaskRow[]> {
  const q = QUALIFICATION_SQL('$6::timestamptz');
  return manager.query(
    `SELECT (SELECT count(*) FROM service_record r WHERE r.task_id = t.id)::int AS records,
            (SELECT count(*) FROM service_record r WHERE r.task_id = t.id AND r.state NOT IN ('SUBMITTED', 'REVIEWED'))::int AS unfinished,
            (SELECT a.state FROM service_acceptance a WHERE a.task_id = t.id ORDER BY a.round DESC LIMIT 1) AS latest_acceptance,
            (SELECT c.tier FROM customer c WHERE c.id = t.customer_id) AS customer_tier,
            q_.state AS request_state, q_.free_repeat_repair AS request_free_repeat,
            ${q.columns}
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[]) WITH ORDINALITY AS t(id, customer_id, request_id, assignee_id, planned_end, n)
       ${q.joins}
      ORDER BY t.n`,
    [docs.map((d) => d.id ?? null), docs.map((d) => d.customerId), docs.map((d) => d.requestId), merged.map((d) => d.assigneeId ?? null), merged.map((d) => d.plannedEnd ?? null), now],
  );
}

/** the dispatch notice's own numbers: DN-2026-000123 */
export const DISPATCH_PREFIX = 'DN';

export const serviceTaskDefinition: DocumentDefinition<ServiceTask, ServiceTaskFacts> = {
  type: 'ServiceTask',
  prefix: 'ST',
  entity: ServiceTask,
  machine: serviceTaskMachine,
  policy: serviceTaskPolicy,
  // archived with its request (src/workflow/reactions.ts)
  records: {
    closedStates: ['COMPLETED', 'CANCELLED'],
    personalFields: ['description', 'resources', 'rejectionReason', 'disputeReason', 'cancellationReason', 'consentSignerName', 'declineReason', 'dispatchNote', 'customerContactPerson', 'agreedVisitPlace'],
    archivedWithParent: true,
  },
  effects,

  async facts({ docs, caller, input, manager, settings, now }) {
    const details = input as Details | undefined;
    // the task as this event would leave it: the assignee and planned end a qualification is checked against
    const mergedDocs = docs.map((doc) => {
      const merged = { ...doc } as ServiceTask;
      applyDetails(merged, details);
      return merged;
    });
    const [rows, approvals] = await Promise.all([relatedFacts(manager, docs, mergedDocs, now), loadApprovalFacts(manager, docs.map(approvable), caller)]);
    return docs.map((doc, i) => {
      const merged = mergedDocs[i];
      const row = rows[i];
      return {
        ...approvals[i],
        isCreator: doc.createdById === caller.userId,
        isAssignee: !!doc.assigneeId && doc.assigneeId === caller.userId,
        requestState: row.request_state,
        missingForSubmit: [...REQUIRED_FOR_SUBMIT, ...(merged.chargeable ? (['quotedPrice'] as const) : [])].filter(
          (f) => merged[f] === null || merged[f] === undefined || (typeof merged[f] === 'string' && !(merged[f] as string).trim()),
        ),
        // the task's customer is its request's, fixed once the request is accepted: amount and complexity can change
        // …and a task approved free of charge (warranty) made chargeable: the paid service was never approved (seed 003 §3.3.4)
        changesApprovedTerms:
          !!details &&
          (changesTierInputs({ amount: doc.estimatedCost, customerTier: null, complexity: doc.complexity }, { amount: details.estimatedCost, complexity: details.complexity }) ||
            (details.chargeable === true && !doc.chargeable)),
        changesAssignee: !!details && details.assigneeId !== undefined && (details.assigneeId ? idOf(details.assigneeId, 'User') : null) !== doc.assigneeId,
        recordCount: row.records,
        unfinishedRecords: row.unfinished,
        latestAcceptance: row.latest_acceptance,
        proposedTier: computeTier({ amount: merged.estimatedCost, customerTier: row.customer_tier, complexity: merged.complexity }, settings.executiveThreshold),
        isOwnCustomer: hasRole(caller, Role.CUSTOMER) && !!caller.customerId && caller.customerId === doc.customerId,
        isAgent: hasRole(caller, Role.AGENT),
        chargeable: doc.chargeable,
        consentCurrent: consentCurrent(doc),
        qualificationProblem: qualificationProblem(row, merged, now),
        chargedFreeRepeat: !!merged.chargeable && row.request_free_repeat === true,
        isNamedAgent: hasRole(caller, Role.AGENT) && caller.kind === UserKind.HUMAN,
        dispatched: !!doc.dispatchNumber,
      };
    });
  },

  async build(input: CreateServiceTaskInput, caller, manager) {
    // locked until the task is written: a request cannot complete or be cancelled while a task is being added to it
    const request = await lockVisibleDocument<{ id: string; customerId: string; targetDepartmentId: string | null }>(manager, 'ServiceRequest', idOf(input.requestId, 'ServiceRequest'), caller);
    if (!request) throw new Refusal([{ ...notFound('service request').errors[0], field: 'requestId' }]);
    const doc = new ServiceTask();
    doc.requestId = request.id;
    doc.customerId = request.customerId;
    // a request not yet accepted has no department: nobody supervises a task for it
    doc.departmentId = request.targetDepartmentId as string;
    doc.helperIds = [];
    doc.complexity = Complexity.STANDARD;
    doc.approvalRound = 0;
    applyDetails(doc, input);
    return doc;
  },

  events: {
    ARCHIVE: { description: 'System: archived together with the document it belongs to (records control, SPEC §5).', system: true },
    CREATE: {
      description: 'Plan a task for an ACCEPTED or IN_SERVICE request routed to your department (DRAFT).',
      input: CreateServiceTaskInput,
      validate: (input: CreateServiceTaskInput, { manager }) => detailProblems(input, manager),
    },
    UPDATE: {
      description: 'Change the task. Before approval the tier is recomputed; after approval a change of cost or complexity sends it back for approval.',
      input: UpdateServiceTaskInput,
      validate: (input: UpdateServiceTaskInput, { doc, manager }) => detailProblems(input, manager, doc),
    },
    SUBMIT: { description: 'Send the task for approval; its tier is computed now (SPEC §2).' },
    APPROVE: {
      description: 'Sign the task: the supervisor approves (supervisor tier) or endorses (executive tier); an executive approves an endorsed task.',
      input: DocumentEventInput,
    },
    REJECT: { description: 'Refuse the task at your step of its approval; it goes back to DRAFT. The reason is required.', input: ReasonEventInput },
    CONFIRM: { description: 'The assignee takes the task on.' },
    DISPUTE: { description: 'The assignee objects to the assignment; the reason is required.', input: ReasonEventInput },
    REVISE: {
      description: 'The supervisor adjusts a disputed task (assignee, times, resources); it goes back to DRAFT.',
      input: UpdateServiceTaskInput,
      validate: (input: UpdateServiceTaskInput, { doc, manager }) => detailProblems(input, manager, doc),
    },
    START: { description: 'The assignee starts the work; records the actual start.' },
    FINISH: { description: 'The assignee finishes the work (every service record submitted); opens the next acceptance round for the customer.' },
    REOPEN: { description: 'System: the acceptance failed; the task is reopened for rectification (整改).', system: true },
    CLOSE: { description: 'System: the acceptance was verified; the task is completed.', system: true },
    CANCEL: { description: 'The supervisor cancels a task that has not started; the reason is required.', input: ReasonEventInput },
    CONSENT: {
      description: 'The customer consents to the quote of an approved chargeable task (price and planned times as they are now); customer service records consent given by phone or on paper with the person\'s name.',
      input: ConsentServiceTaskInput,
      validate(input: ConsentServiceTaskInput, { caller }) {
        if (isPortalUser(caller)) return input.channel && input.channel !== ConsentChannel.PORTAL ? [validation('channel', 'a customer consenting in the portal gives no other channel')] : [];
        const problems: UserErrorData[] = [];
        if (!input.signerName?.trim()) problems.push(validation('signerName', 'customer service recording a consent must name the person who gave it'));
        if (input.channel !== ConsentChannel.PHONE && input.channel !== ConsentChannel.PAPER) problems.push(validation('channel', 'customer service records consent given by PHONE or on PAPER'));
        return problems;
      },
    },
    DISPATCH: {
      description: 'Customer service issues the dispatch notice (售後服務通知單) of an approved task, signed by the agent, with its urgency and service region (the request\'s when left out); it comes back with the field report when the task is finished.',
      input: DispatchServiceTaskInput,
      async validate(input: DispatchServiceTaskInput, { manager }) {
        if (input.regionCode && !(await regionExists(manager, input.regionCode))) return [validation('regionCode', 'regionCode must name a region (see regions)')];
        return [];
      },
    },
    RECORD_CONTACT: {
      description: 'The assignee records the contact with the customer that fixed the visit: when, how, whom, and the visit agreed (time and place). It is the first reply of the field response.',
      input: RecordContactServiceTaskInput,
      validate(input: RecordContactServiceTaskInput, { doc, now }) {
        const contactedAt = input.contactedAt ?? now;
        const problems: UserErrorData[] = [];
        if (contactedAt > now) problems.push(validation('contactedAt', 'contactedAt must not be in the future'));
        else if (doc.approvedAt && contactedAt < doc.approvedAt) problems.push(validation('contactedAt', 'contactedAt must not be before the task was assigned'));
        if (input.agreedVisitAt < contactedAt) problems.push(validation('agreedVisitAt', 'agreedVisitAt must not be before the contact'));
        return problems;
      },
    },
    DECLINE: { description: 'The customer declines the quote; the task goes back to its supervisor to revise or cancel. The reason is required.', input: ReasonEventInput },
  },
};
