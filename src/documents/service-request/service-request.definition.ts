/**
 * The service request as the engine sees it: who may send which event, the
 * facts its guards read, and what each event does to the fields.
 */
import { Caller, hasRole, isPortalUser, Role } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { Customer, Department } from '../../organisation/organisation.entities';
import { DocumentDefinition, GuardKind } from '../../workflow/definition';
import { UserErrorCode, UserErrorData } from '../../workflow/errors';
import { Channel, ServiceRequestState, URGENCY_RANK, Urgency } from './service-request.enums';
import { ServiceRequest } from './service-request.entity';
import { ServiceRequestFacts, serviceRequestMachine } from './service-request.machine';
import { AcceptServiceRequestInput, CreateServiceRequestInput, ReasonEventInput, UpdateServiceRequestInput } from './service-request.types';
import { serviceRequestScope } from './service-request.visibility';
import { NO_TASKS, requestTaskProgress } from '../service-task/service-task.progress';

/** what SUBMIT needs (SPEC §3.1) */
const REQUIRED_FOR_SUBMIT: Array<keyof ServiceRequest> = ['contactName', 'contactPhone', 'address', 'description', 'expectedFrom', 'expectedTo'];
/** what only customer service may set */
const STAFF_ONLY_INPUTS = ['estimatedAmount', 'complexity', 'internalNote'] as const;
/** details that always have a value: they may be changed, not cleared */
const NOT_CLEARABLE = ['category', 'serviceType', 'urgency', 'complexity'] as const;
const DETAIL_FIELDS = ['contactName', 'contactPhone', 'address', 'category', 'serviceType', 'description', 'expectedFrom', 'expectedTo', 'urgency', 'specialRequirements', 'siteDistanceKm', 'estimatedAmount', 'complexity', 'internalNote'] as const;

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

/** Checks shared by create, update and resubmit. */
function detailProblems(input: Partial<Record<(typeof DETAIL_FIELDS)[number], unknown>>, caller: Caller, merged: { expectedFrom: Date | null; expectedTo: Date | null }): UserErrorData[] {
  const problems: UserErrorData[] = NOT_CLEARABLE.filter((f) => input[f] === null).map((f) => validation(f, `${f} cannot be cleared; give a value or leave it out`));
  if (isPortalUser(caller)) {
    for (const f of STAFF_ONLY_INPUTS) {
      if (input[f] !== undefined && input[f] !== null) problems.push({ code: UserErrorCode.FORBIDDEN, message: `${f} is set by customer service only`, field: f });
    }
  }
  if (merged.expectedFrom && merged.expectedTo && merged.expectedTo < merged.expectedFrom) {
    problems.push(validation('expectedTo', 'expectedTo must not be before expectedFrom'));
  }
  return problems;
}

/** Copies the given (non-undefined) detail fields onto the document. */
function applyDetails(doc: ServiceRequest, input: Partial<Record<(typeof DETAIL_FIELDS)[number], unknown>>): void {
  for (const f of DETAIL_FIELDS) if (input[f] !== undefined) (doc as any)[f] = input[f];
  if (input.urgency !== undefined && input.urgency !== null) doc.urgencyRank = URGENCY_RANK[doc.urgency];
}

const detailsCheck = (input: UpdateServiceRequestInput, { doc, caller }: { doc: ServiceRequest; caller: Caller }) =>
  detailProblems(input, caller, { expectedFrom: input.expectedFrom ?? doc.expectedFrom, expectedTo: input.expectedTo ?? doc.expectedTo });

export const serviceRequestDefinition: DocumentDefinition<ServiceRequest, ServiceRequestFacts> = {
  type: 'ServiceRequest',
  prefix: 'SR',
  entity: ServiceRequest,
  machine: serviceRequestMachine,
  scope: serviceRequestScope,
  staffOnlyFields: ['estimatedAmount', 'complexity', 'internalNote'],
  ownerDepartment: { sql: '{doc}.target_department_id', of: (doc) => doc.targetDepartmentId },

  guards: {
    creatorOrAgent: { kind: GuardKind.PERMISSION, description: 'Only the request\'s creator or customer service may do this.', roles: [Role.CUSTOMER, Role.AGENT] },
    agent: { kind: GuardKind.PERMISSION, description: 'Only customer service (AGENT) may do this.', roles: [Role.AGENT] },
    archivist: { kind: GuardKind.PERMISSION, description: 'Only the records custodian (ARCHIVIST) may archive.', roles: [Role.ARCHIVIST] },
    requiredFieldsComplete: { kind: GuardKind.RULE, description: 'A request needs contact name and phone, address, description and the expected service window before it is submitted.' },
    aTaskIsApproved: { kind: GuardKind.RULE, description: 'Service starts when the request\'s first task is approved.' },
    allTasksCompleted: { kind: GuardKind.RULE, description: 'The request completes when all its tasks are completed.' },
    noOpenTasks: { kind: GuardKind.RULE, description: 'A request with open tasks cannot be cancelled: cancel or complete its tasks first.' },
  },

  facts: async ({ doc, caller, input, manager }) => {
    // RESUBMIT carries amended fields: the guard judges the request as it would be
    const amended = { ...doc } as ServiceRequest;
    if (input) applyDetails(amended, input as UpdateServiceRequestInput);
    const hasTasks = doc.state === ServiceRequestState.ACCEPTED || doc.state === ServiceRequestState.IN_SERVICE;
    return {
      isAgent: hasRole(caller, Role.AGENT),
      isCreator: doc.createdById === caller.userId,
      isArchivist: hasRole(caller, Role.ARCHIVIST),
      missingFields: REQUIRED_FOR_SUBMIT.filter((f) => amended[f] === null || amended[f] === undefined || (typeof amended[f] === 'string' && (amended[f] as string).trim() === '')),
      // START, COMPLETE and CANCEL read the request's tasks (only a request in service can have any)
      ...(hasTasks ? await requestTaskProgress(manager, doc.id) : NO_TASKS),
    };
  },

  create: {
    description: 'File a service request (DRAFT). Portal users file for their own organisation; customer service for any customer, by any channel.',
    input: CreateServiceRequestInput,
    authorize(caller, input: CreateServiceRequestInput) {
      if (hasRole(caller, Role.AGENT)) return null;
      if (hasRole(caller, Role.CUSTOMER) && caller.customerId) {
        const requested = input.customerId ? idOf(input.customerId, 'Customer') : caller.customerId;
        return requested === caller.customerId ? null : { code: UserErrorCode.FORBIDDEN, message: 'Portal users file requests for their own organisation only.', field: 'customerId' };
      }
      return { code: UserErrorCode.FORBIDDEN, message: 'Only customers and customer service file service requests.', field: null };
    },
    async validate(input: CreateServiceRequestInput, caller, manager) {
      const problems = detailProblems(input, caller, { expectedFrom: input.expectedFrom ?? null, expectedTo: input.expectedTo ?? null });
      if (!isPortalUser(caller)) {
        const customerId = idOf(input.customerId, 'Customer');
        if (!customerId || !(await manager.existsBy(Customer, { id: customerId }))) problems.push(validation('customerId', 'customerId must name an existing customer'));
        if (!input.channel) problems.push(validation('channel', 'customer service must say how the request came in (channel)'));
      }
      return problems;
    },
    build(input: CreateServiceRequestInput, caller) {
      const doc = new ServiceRequest();
      applyDetails(doc, input);
      doc.customerId = isPortalUser(caller) ? caller.customerId! : idOf(input.customerId, 'Customer')!;
      doc.channel = isPortalUser(caller) ? Channel.ONLINE : input.channel!;
      doc.urgency = input.urgency ?? Urgency.NORMAL;
      doc.urgencyRank = URGENCY_RANK[doc.urgency];
      return doc;
    },
  },

  events: {
    UPDATE: {
      description: 'Change a draft or returned request (recorded in its history).',
      input: UpdateServiceRequestInput,
      validate: detailsCheck,
      apply: (doc, { input }) => applyDetails(doc, input as UpdateServiceRequestInput),
    },
    SUBMIT: {
      description: 'Send the request to customer service for review.',
      apply: (doc, { now }) => {
        doc.submittedAt = now;
      },
    },
    ACCEPT: {
      description: 'Customer service accepts the request: sets the serving department and the assessed urgency.',
      input: AcceptServiceRequestInput,
      async validate(input: AcceptServiceRequestInput, { manager }) {
        const id = idOf(input.targetDepartmentId, 'Department');
        const department = id ? await manager.findOneBy(Department, { id }) : null;
        if (!department || !department.active) return [validation('targetDepartmentId', 'targetDepartmentId must name an active department (within business scope)')];
        return [];
      },
      apply: (doc, { input, now }) => {
        const accept = input as AcceptServiceRequestInput;
        doc.targetDepartmentId = idOf(accept.targetDepartmentId, 'Department');
        if (accept.urgency) {
          doc.urgency = accept.urgency;
          doc.urgencyRank = URGENCY_RANK[accept.urgency];
        }
        if (accept.internalNote !== undefined) doc.internalNote = accept.internalNote ?? null;
        doc.acceptedAt = now;
      },
    },
    RETURN: {
      description: 'Send the request back to the customer: the reason says what to add or fix.',
      input: ReasonEventInput,
      apply: (doc, { input }) => {
        doc.returnReason = (input as ReasonEventInput).reason;
      },
    },
    RESUBMIT: {
      description: 'Submit a returned request again, with the amended fields.',
      input: UpdateServiceRequestInput,
      validate: detailsCheck,
      apply: (doc, { input, now }) => {
        applyDetails(doc, input as UpdateServiceRequestInput);
        doc.submittedAt = now;
      },
    },
    REJECT: {
      description: 'Refuse the request for good (outside business scope); the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input, now }) => {
        doc.rejectionReason = (input as ReasonEventInput).reason;
        doc.closedAt = now;
      },
    },
    CANCEL: {
      description: 'Withdraw the request; the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input, now }) => {
        doc.cancellationReason = (input as ReasonEventInput).reason;
        doc.closedAt = now;
      },
    },
    START: { description: 'System: the first task of the request was approved.', system: true },
    COMPLETE: {
      description: 'System: all tasks of the request are completed.',
      system: true,
      apply: (doc, { now }) => {
        doc.closedAt = now;
      },
    },
    ARCHIVE: { description: 'File the closed request in the archive (read-only from then on).', system: true },
  },
};
