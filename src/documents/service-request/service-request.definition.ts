/**
 * The service request as the engine sees it: the facts its guards read, what each effect does to the
 * fields, and each event's input (SPEC §3.1). The rules themselves are in the machine.
 */
import type { EntityManager } from 'typeorm';
import { hasRole, isPortalUser, Role, SYSTEM_CALLER } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { Customer, Department } from '../../organisation/organisation.entities';
import { DocumentDefinition, type EffectContext } from '../../workflow/definition';
import { Refusal, UserErrorCode, UserErrorData } from '../../workflow/errors';
import { Channel, ServiceRequestState, URGENCY_RANK, Urgency } from './service-request.enums';
import { ServiceRequest } from './service-request.entity';
import { ServiceRequestFacts, serviceRequestEffects, serviceRequestMachine } from './service-request.machine';
import { serviceRequestPolicy } from './service-request.policy';
import { AcceptServiceRequestInput, CloseFollowUpInput, CreateServiceRequestInput, ReasonEventInput, ReturnVisitInput, UpdateServiceRequestInput } from './service-request.types';
import { Satisfaction } from '../../vocabulary';

/** the answers of a return visit that open a follow-up */
const LOW_SATISFACTION: Satisfaction[] = [Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED];

/** what SUBMIT needs (SPEC §3.1) */
const REQUIRED_FOR_SUBMIT: Array<keyof ServiceRequest> = ['contactName', 'contactPhone', 'address', 'description', 'expectedFrom', 'expectedTo'];
/** details that always have a value: they may be changed, not cleared */
const NOT_CLEARABLE = ['category', 'serviceType', 'urgency', 'complexity'] as const;
const DETAIL_FIELDS = ['contactName', 'contactPhone', 'address', 'category', 'serviceType', 'description', 'expectedFrom', 'expectedTo', 'urgency', 'specialRequirements', 'siteDistanceKm', 'regionCode', 'estimatedAmount', 'complexity', 'internalNote', 'equipmentModel', 'equipmentSerial', 'faultCode'] as const;
/** matched case-blind, as the service record stores its repaired faults: trimmed and upper-cased */
const MATCH_KEYS = ['equipmentSerial', 'faultCode'] as const;
const matchKey = (value: string | null | undefined): string | null => (value == null || value.trim() === '' ? null : value.trim().toUpperCase());

/**
 * The repair this request repeats (SPEC §3.10, seed 004 質保期內相同故障免費維修): a repaired fault with the same fault
 * code, on equipment with the same serial, of the same customer, on a field report the customer signed (the report
 * is valid only then, and the warranty runs from it), whose post-repair warranty still ran at `at` — the moment the
 * request was submitted, when the customer reported the fault. The latest such report if several.
 */
async function repeatedRepair(manager: EntityManager, doc: ServiceRequest, at: Date): Promise<{ record_id: string; request_id: string } | null> {
  if (!doc.equipmentSerial || !doc.faultCode) return null;
  const [row] = await manager.query(
    `SELECT r.id AS record_id, r.request_id
       FROM service_record r
      WHERE r.customer_id = $1 AND r.customer_signed_at IS NOT NULL AND ($4::uuid IS NULL OR r.request_id <> $4::uuid)
        AND r.repaired_faults @> jsonb_build_array(jsonb_build_object('equipmentSerial', $2::text, 'faultCode', $3::text))
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(r.repaired_faults) f
                     WHERE f->>'equipmentSerial' = $2 AND f->>'faultCode' = $3 AND (f->>'warrantyUntil')::timestamptz >= $5)
      ORDER BY r.customer_signed_at DESC, r.id
      LIMIT 1`,
    [doc.customerId, doc.equipmentSerial, doc.faultCode, doc.id ?? null, at],
  );
  return row ?? null;
}

/** What the system adds when it opens a request from a converted consultation (never a caller's input). */
interface ConvertedConsultation {
  id: string;
  consultationId: string;
}

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

/** Checks shared by create, update and resubmit. */
function detailProblems(input: Partial<Record<(typeof DETAIL_FIELDS)[number], unknown>>, merged: { expectedFrom: Date | null; expectedTo: Date | null }): UserErrorData[] {
  const problems: UserErrorData[] = NOT_CLEARABLE.filter((f) => input[f] === null).map((f) => validation(f, `${f} cannot be cleared; give a value or leave it out`));
  if (merged.expectedFrom && merged.expectedTo && merged.expectedTo < merged.expectedFrom) {
    problems.push(validation('expectedTo', 'expectedTo must not be before expectedFrom'));
  }
  return problems;
}

/** Copies the given (non-undefined) detail fields onto the document. */
function applyDetails(doc: ServiceRequest, input: Partial<Record<(typeof DETAIL_FIELDS)[number], unknown>>): void {
  for (const f of DETAIL_FIELDS) if (input[f] !== undefined) (doc as any)[f] = input[f];
  for (const f of MATCH_KEYS) if (input[f] !== undefined) doc[f] = matchKey(input[f] as string | null);
  if (input.urgency !== undefined && input.urgency !== null) doc.urgencyRank = URGENCY_RANK[doc.urgency];
}

/** a region named in the input exists (SPEC §3.10) */
async function regionProblems(input: { regionCode?: string | null }, manager: EntityManager): Promise<UserErrorData[]> {
  if (!input.regionCode) return [];
  const rows = await manager.query(`SELECT 1 FROM region WHERE code = $1`, [input.regionCode]);
  return rows.length ? [] : [validation('regionCode', 'regionCode must name a region (see regions)')];
}

const detailsCheck = async (input: UpdateServiceRequestInput, { doc, manager }: { doc: ServiceRequest; manager: EntityManager }) => [
  ...detailProblems(input, { expectedFrom: input.expectedFrom ?? doc.expectedFrom, expectedTo: input.expectedTo ?? doc.expectedTo }),
  ...(await regionProblems(input, manager)),
];

/** START, COMPLETE and CANCEL read a request's tasks: one query for a page of requests. */
async function taskProgress(manager: EntityManager, ids: string[]): Promise<Map<string, { approved: number; completed: number; open: number }>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ request_id: string; approved: number; completed: number; open: number }> = await manager.query(
    `SELECT request_id,
            count(*) FILTER (WHERE state IN ('ASSIGNED', 'CONFIRMED', 'DISPUTED', 'IN_PROGRESS', 'AWAITING_ACCEPTANCE', 'COMPLETED'))::int AS approved,
            count(*) FILTER (WHERE state = 'COMPLETED')::int AS completed,
            count(*) FILTER (WHERE state NOT IN ('COMPLETED', 'CANCELLED'))::int AS open
       FROM service_task WHERE request_id = ANY($1) GROUP BY request_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.request_id, r]));
}

const effects: Record<(typeof serviceRequestEffects)[number], (doc: ServiceRequest, ctx: EffectContext) => void | Promise<void>> = {
  applyDetails: (doc, { input }) => applyDetails(doc, input as UpdateServiceRequestInput),
  stampSubmitted: (doc, { now }) => {
    doc.submittedAt = now;
  },
  matchRepeatRepair: async (doc, { manager }) => {
    const earlier = await repeatedRepair(manager, doc, doc.submittedAt!);
    doc.freeRepeatRepair = !!earlier;
    doc.repeatOfRequestId = earlier?.request_id ?? null;
    doc.repeatOfRecordId = earlier?.record_id ?? null;
  },
  acceptInto: (doc, { input, now }) => {
    const accept = input as AcceptServiceRequestInput;
    if (accept.equipmentModel !== undefined) doc.equipmentModel = accept.equipmentModel ?? null;
    for (const f of MATCH_KEYS) if (accept[f] !== undefined) doc[f] = matchKey(accept[f]);
    doc.targetDepartmentId = idOf(accept.targetDepartmentId, 'Department');
    if (accept.urgency) {
      doc.urgency = accept.urgency;
      doc.urgencyRank = URGENCY_RANK[accept.urgency];
    }
    if (accept.internalNote !== undefined) doc.internalNote = accept.internalNote ?? null;
    doc.acceptedAt = now;
  },
  noteReturn: (doc, { input }) => {
    doc.returnReason = (input as ReasonEventInput).reason;
  },
  noteRejection: (doc, { input }) => {
    doc.rejectionReason = (input as ReasonEventInput).reason;
  },
  noteCancellation: (doc, { input }) => {
    doc.cancellationReason = (input as ReasonEventInput).reason;
  },
  stampClosed: (doc, { now }) => {
    doc.closedAt = now;
  },
  recordReturnVisit: (doc, { input, now }) => {
    const visit = input as ReturnVisitInput;
    doc.returnVisitAt = now;
    doc.returnVisitSatisfaction = visit.satisfaction;
    doc.returnVisitNote = visit.note;
  },
  closeFollowUp: (doc, { input, now }) => {
    doc.followUpNote = (input as CloseFollowUpInput).note;
    doc.followUpClosedAt = now;
  },
};

export const serviceRequestDefinition: DocumentDefinition<ServiceRequest, ServiceRequestFacts> = {
  type: 'ServiceRequest',
  prefix: 'SR',
  entity: ServiceRequest,
  machine: serviceRequestMachine,
  policy: serviceRequestPolicy,
  // records control (SPEC §5): retention runs from completion, rejection or cancellation
  records: {
    closedStates: ['COMPLETED', 'REJECTED', 'CANCELLED'],
    personalFields: ['contactName', 'contactPhone', 'address', 'description', 'specialRequirements', 'internalNote', 'returnReason', 'rejectionReason', 'cancellationReason', 'returnVisitNote', 'followUpNote'],
    categoryColumn: 'category',
  },
  effects,

  async facts({ docs, caller, input, manager }) {
    // only a request in service can have tasks
    const progress = await taskProgress(manager, docs.filter((d) => d.state === ServiceRequestState.ACCEPTED || d.state === ServiceRequestState.IN_SERVICE).map((d) => d.id));
    return docs.map((doc) => {
      // RESUBMIT carries amended fields: the guard judges the request as it would be
      const amended = { ...doc } as ServiceRequest;
      if (input) applyDetails(amended, input as UpdateServiceRequestInput);
      const tasks = progress.get(doc.id) ?? { approved: 0, completed: 0, open: 0 };
      return {
        isAgent: hasRole(caller, Role.AGENT),
        isCreator: doc.createdById === caller.userId,
        isOwnCustomer: hasRole(caller, Role.CUSTOMER) && !!caller.customerId && doc.customerId === caller.customerId,
        isArchivist: hasRole(caller, Role.ARCHIVIST) || caller.userId === SYSTEM_CALLER.userId,
        isSystem: caller.userId === SYSTEM_CALLER.userId,
        fromConsultation: !!doc.consultationId,
        missingFields: REQUIRED_FOR_SUBMIT.filter((f) => amended[f] === null || amended[f] === undefined || (typeof amended[f] === 'string' && (amended[f] as string).trim() === '')),
        anyTaskApproved: tasks.approved > 0,
        allTasksCompleted: tasks.completed > 0 && tasks.open === 0,
        openTasks: tasks.open,
        lowSatisfaction: LOW_SATISFACTION.includes((input as Partial<ReturnVisitInput> | undefined)?.satisfaction as Satisfaction),
      };
    });
  },

  async build(input: CreateServiceRequestInput & Partial<ConvertedConsultation>, caller, manager) {
    const doc = new ServiceRequest();
    applyDetails(doc, input);
    if (caller.userId === SYSTEM_CALLER.userId) {
      // a converted consultation (src/workflow/reactions.ts): the id it already names, its customer and channel
      doc.id = input.id!;
      doc.consultationId = input.consultationId!;
      doc.customerId = input.customerId!;
      doc.channel = input.channel!;
    } else if (isPortalUser(caller)) {
      // a portal user files for their own organisation; naming another is the guard's to refuse
      doc.customerId = input.customerId ? (idOf(input.customerId, 'Customer') ?? '') : caller.customerId!;
      doc.channel = Channel.ONLINE;
    } else if (hasRole(caller, Role.AGENT)) {
      const customerId = idOf(input.customerId, 'Customer');
      if (!customerId || !(await manager.existsBy(Customer, { id: customerId }))) throw Refusal.of(UserErrorCode.VALIDATION, 'customerId must name an existing customer', 'customerId');
      if (!input.channel) throw Refusal.of(UserErrorCode.VALIDATION, 'customer service must say how the request came in (channel)', 'channel');
      doc.customerId = customerId;
      doc.channel = input.channel;
    }
    doc.urgency = input.urgency ?? Urgency.NORMAL;
    doc.urgencyRank = URGENCY_RANK[doc.urgency];
    // the service region: given, or the customer's site region (SPEC §3.10)
    if (!doc.regionCode && /^[0-9a-f-]{36}$/i.test(doc.customerId ?? '')) doc.regionCode = (await manager.query(`SELECT region_code FROM customer WHERE id = $1`, [doc.customerId]))[0]?.region_code ?? null;
    return doc;
  },

  events: {
    CREATE: {
      description: 'File a service request (DRAFT). Portal users file for their own organisation; customer service for any customer, by any channel.',
      input: CreateServiceRequestInput,
      validate: async (input: CreateServiceRequestInput, { manager }) => [
        ...detailProblems(input, { expectedFrom: input.expectedFrom ?? null, expectedTo: input.expectedTo ?? null }),
        ...(await regionProblems(input, manager)),
      ],
    },
    UPDATE: { description: 'Change a draft or returned request (recorded in its history).', input: UpdateServiceRequestInput, validate: detailsCheck },
    SUBMIT: { description: 'Send the request to customer service for review.' },
    ACCEPT: {
      description: 'Customer service accepts the request: sets the serving department and the assessed urgency.',
      input: AcceptServiceRequestInput,
      async validate(input: AcceptServiceRequestInput, { manager }) {
        const id = idOf(input.targetDepartmentId, 'Department');
        const department = id ? await manager.findOneBy(Department, { id }) : null;
        if (!department || !department.active) return [validation('targetDepartmentId', 'targetDepartmentId must name an active department (within business scope)')];
        return [];
      },
    },
    RETURN: { description: 'Send the request back to the customer: the reason says what to add or fix.', input: ReasonEventInput },
    RESUBMIT: { description: 'Submit a returned request again, with the amended fields.', input: UpdateServiceRequestInput, validate: detailsCheck },
    REJECT: { description: 'Refuse the request for good (outside business scope); the reason is required.', input: ReasonEventInput },
    CANCEL: { description: 'Withdraw the request; the reason is required.', input: ReasonEventInput },
    START: { description: 'System: the first task of the request was approved.', system: true },
    COMPLETE: { description: 'System: all tasks of the request are completed.', system: true },
    RECORD_RETURN_VISIT: { description: 'Customer service records the return visit (回訪) after completion, with the customer\'s satisfaction; a dissatisfied customer opens a follow-up.', input: ReturnVisitInput },
    CLOSE_FOLLOW_UP: { description: 'Customer service closes the follow-up of a dissatisfied return visit, saying what was done.', input: CloseFollowUpInput },
    ARCHIVE: { description: 'File the closed request in the archive (read-only from then on): the records custodian, an automation holding that role, or the scheduled archiving.', system: true, callers: true },
  },
};
