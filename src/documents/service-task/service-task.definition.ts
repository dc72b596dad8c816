/**
 * The service task as the engine sees it (SPEC §3.2): permissions, the tier
 * facts (src/approval), and the effects on the request (START, COMPLETE) and
 * on acceptances (FINISH opens the next round).
 */
import type { EntityManager } from 'typeorm';
import { approvalGuardSpecs, loadApprovalFacts, recordSignature, signatureOf, type ApprovableRef } from '../../approval/approval';
import { ApprovalTier, changesTierInputs, computeTier } from '../../approval/tier';
import { Caller, hasRole, Role, SYSTEM_CALLER } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { CustomerTier, User } from '../../organisation/organisation.entities';
import { DocumentDefinition, EffectContext, GuardKind } from '../../workflow/definition';
import { UserErrorCode, UserErrorData } from '../../workflow/errors';
import { applyScope } from '../../workflow/scope';
import { serviceAcceptanceDefinition } from '../service-acceptance/service-acceptance.definition';
import { serviceRequestDefinition } from '../service-request/service-request.definition';
import { ServiceRequest } from '../service-request/service-request.entity';
import { Complexity, ServiceRequestState } from '../service-request/service-request.enums';
import { ServiceTaskState } from './service-task.enums';
import { ServiceTask } from './service-task.entity';
import { ServiceTaskFacts, serviceTaskMachine } from './service-task.machine';
import { requestTaskProgress } from './service-task.progress';
import { CreateServiceTaskInput, DocumentEventInput, ReasonEventInput, UpdateServiceTaskInput } from './service-task.types';
import { serviceTaskScope } from './service-task.visibility';

export interface ServiceTaskFactsWithTier extends ServiceTaskFacts {
  /** the tier the task has with this event's changes applied */
  proposedTier: ApprovalTier;
}

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

/**
 * The task's request, row-locked: tasks of one request finishing or being
 * approved at the same moment queue here, so each sees the others' committed
 * states (no request left IN_SERVICE with all its tasks done, no START twice).
 */
async function lockRequest(manager: EntityManager, id: string): Promise<ServiceRequest> {
  return manager.createQueryBuilder(ServiceRequest, 'r').where('r.id = :id', { id }).setLock('pessimistic_write').getOneOrFail();
}

/** START the request when this is its first approved task and it waits for one. */
async function startRequestIfWaiting(doc: ServiceTask, { manager, engine, caller, meta }: EffectContext<unknown>): Promise<void> {
  const request = await lockRequest(manager, doc.requestId);
  if (request.state !== ServiceRequestState.ACCEPTED) return;
  await engine.fireSystem(manager, serviceRequestDefinition, SYSTEM_CALLER, doc.requestId, 'START', meta);
}

/** COMPLETE the request when its last open task is completed. */
async function completeRequestIfDone(doc: ServiceTask, { manager, engine, caller, meta }: EffectContext<unknown>): Promise<void> {
  const request = await lockRequest(manager, doc.requestId);
  if (request.state !== ServiceRequestState.IN_SERVICE) return;
  if (!(await requestTaskProgress(manager, doc.requestId)).allTasksCompleted) return;
  await engine.fireSystem(manager, serviceRequestDefinition, SYSTEM_CALLER, doc.requestId, 'COMPLETE', meta);
}

export const serviceTaskDefinition: DocumentDefinition<ServiceTask, ServiceTaskFactsWithTier> = {
  type: 'ServiceTask',
  prefix: 'ST',
  entity: ServiceTask,
  machine: serviceTaskMachine,
  scope: serviceTaskScope,
  ownerDepartment: { sql: '{doc}.department_id', of: (doc) => doc.departmentId },
  staffOnlyFields: ['estimatedCost', 'complexity', 'tier', 'approvalRound', 'resources', 'rejectionReason', 'disputeReason', 'helperIds'],
  staffOnlyEvents: ['UPDATE', 'SUBMIT', 'APPROVE', 'REJECT', 'DISPUTE', 'REVISE'],

  guards: {
    ...approvalGuardSpecs,
    departmentSupervisor: { kind: GuardKind.PERMISSION, description: 'Only a supervisor of the task\'s department may do this.', roles: [Role.SUPERVISOR] },
    creator: { kind: GuardKind.PERMISSION, description: 'Only the supervisor who created the task submits it.', roles: [Role.SUPERVISOR] },
    assignee: { kind: GuardKind.PERMISSION, description: 'Only the task\'s assignee may do this.', roles: [Role.TECHNICIAN] },
    readyForApproval: { kind: GuardKind.RULE, description: 'A task needs a description, an assignee, the planned start and end, and the estimated cost before it goes for approval.' },
    changesApprovedTerms: { kind: GuardKind.RULE, description: 'A change of cost, customer or complexity after approval sends the task back for approval.' },
    changesAssignee: { kind: GuardKind.RULE, description: 'A confirmed task given to another assignee waits for the new assignee to confirm it.' },
    recordsReady: { kind: GuardKind.RULE, description: 'A task is finished with at least one service record, and every record SUBMITTED or REVIEWED.' },
    acceptanceFailed: { kind: GuardKind.RULE, description: 'The task reopens for rectification when its acceptance failed.' },
    acceptanceVerified: { kind: GuardKind.RULE, description: 'The task completes when its acceptance is verified.' },
  },

  async facts({ doc, caller, input, manager, settings }) {
    const merged = { ...doc } as ServiceTask;
    applyDetails(merged, input as Details | undefined);
    const [row] = await manager.query(
      `SELECT (SELECT count(*) FROM service_record r WHERE r.task_id = $1)::int AS records,
              (SELECT count(*) FROM service_record r WHERE r.task_id = $1 AND r.state NOT IN ('SUBMITTED', 'REVIEWED'))::int AS unfinished,
              (SELECT a.state FROM service_acceptance a WHERE a.task_id = $1 ORDER BY a.round DESC LIMIT 1) AS latest_acceptance,
              (SELECT c.tier FROM customer c WHERE c.id = $2) AS customer_tier`,
      [doc.id, doc.customerId],
    );
    const details = input as Details | undefined;
    return {
      ...(await loadApprovalFacts(manager, approvable(doc), caller)),
      isCreator: doc.createdById === caller.userId,
      isAssignee: !!doc.assigneeId && doc.assigneeId === caller.userId,
      missingForSubmit: REQUIRED_FOR_SUBMIT.filter((f) => merged[f] === null || merged[f] === undefined || (typeof merged[f] === 'string' && !(merged[f] as string).trim())),
      // the task's customer is its request's, fixed once the request is accepted: amount and complexity can change
      changesApprovedTerms:
        !!details &&
        changesTierInputs(
          { amount: doc.estimatedCost, customerTier: null, complexity: doc.complexity },
          { amount: details.estimatedCost, complexity: details.complexity },
        ),
      changesAssignee: !!details && details.assigneeId !== undefined && (details.assigneeId ? idOf(details.assigneeId, 'User') : null) !== doc.assigneeId,
      recordCount: row.records,
      unfinishedRecords: row.unfinished,
      latestAcceptance: row.latest_acceptance,
      proposedTier: computeTier({ amount: merged.estimatedCost, customerTier: row.customer_tier as CustomerTier, complexity: merged.complexity }, settings.executiveThreshold),
    };
  },

  create: {
    description: 'Plan a task for an ACCEPTED or IN_SERVICE request routed to your department (DRAFT).',
    input: CreateServiceTaskInput,
    authorize: (caller) => (hasRole(caller, Role.SUPERVISOR) ? null : { code: UserErrorCode.FORBIDDEN, message: 'Only a department supervisor creates service tasks.', field: null }),
    async validate(input: CreateServiceTaskInput, caller, manager) {
      const requestId = idOf(input.requestId, 'ServiceRequest');
      const request = requestId
        ? // locked until the task is written: a request cannot complete or be cancelled while a task is being added to it
          await applyScope(manager.createQueryBuilder(ServiceRequest, 'd').where('d.id = :requestId', { requestId }), serviceRequestDefinition.scope(caller)).setLock('pessimistic_write').getOne()
        : null;
      if (!request) return [{ code: UserErrorCode.NOT_FOUND, message: 'No service request with this id.', field: 'requestId' }];
      if (request.targetDepartmentId !== caller.departmentId) return [{ code: UserErrorCode.FORBIDDEN, message: 'Tasks are planned by the department the request is routed to.', field: 'requestId' }];
      if (request.state !== ServiceRequestState.ACCEPTED && request.state !== ServiceRequestState.IN_SERVICE) {
        return [{ code: UserErrorCode.GUARD_FAILED, message: `A task is made from an ACCEPTED or IN_SERVICE request; this one is ${request.state}.`, field: 'requestId' }];
      }
      return detailProblems(input, manager);
    },
    async build(input: CreateServiceTaskInput, _caller: Caller, manager) {
      const request = await manager.findOneByOrFail(ServiceRequest, { id: idOf(input.requestId, 'ServiceRequest')! });
      const doc = new ServiceTask();
      doc.requestId = request.id;
      doc.customerId = request.customerId;
      doc.departmentId = request.targetDepartmentId!;
      doc.helperIds = [];
      doc.complexity = Complexity.STANDARD;
      doc.approvalRound = 0;
      applyDetails(doc, input);
      return doc;
    },
  },

  events: {
    UPDATE: {
      description: 'Change the task. Before approval the tier is recomputed; after approval a change of cost or complexity sends it back for approval.',
      input: UpdateServiceTaskInput,
      validate: (input: UpdateServiceTaskInput, { doc, manager }) => detailProblems(input, manager, doc),
      apply(doc, { input, facts, to }) {
        const from = doc.state;
        applyDetails(doc, input as Details);
        if (from === ServiceTaskState.DRAFT) return;
        // a new assignee has not confirmed anything yet (SPEC §3.2: CONFIRM and DISPUTE are the assignee's)
        if (to === ServiceTaskState.ASSIGNED) doc.confirmedAt = null;
        doc.tier = (facts as ServiceTaskFactsWithTier).proposedTier;
        // back for approval: a new round, earlier signatures no longer count
        if (to === ServiceTaskState.PENDING_APPROVAL && from !== ServiceTaskState.PENDING_APPROVAL) doc.approvalRound += 1;
      },
    },
    SUBMIT: {
      description: 'Send the task for approval; its tier is computed now (SPEC §2).',
      apply(doc, { facts, now }) {
        doc.tier = (facts as ServiceTaskFactsWithTier).proposedTier;
        doc.approvalRound += 1;
        doc.submittedAt = now;
      },
    },
    APPROVE: {
      description: 'Sign the task: the supervisor approves (supervisor tier) or endorses (executive tier); an executive approves an endorsed task.',
      input: DocumentEventInput,
      async apply(doc, { input, to, manager, caller, now }) {
        await recordSignature(manager, approvable(doc), signatureOf('APPROVE', doc.state, to, ServiceTaskState.PENDING_EXECUTIVE), caller, now, (input as DocumentEventInput).comment ?? null);
        if (to === ServiceTaskState.ASSIGNED) doc.approvedAt = now;
      },
      async cascade(doc, ctx) {
        if (ctx.to === ServiceTaskState.ASSIGNED) await startRequestIfWaiting(doc, ctx);
      },
    },
    REJECT: {
      description: 'Refuse the task at your step of its approval; it goes back to DRAFT. The reason is required.',
      input: ReasonEventInput,
      async apply(doc, { input, to, manager, caller, now }) {
        const reason = (input as ReasonEventInput).reason;
        await recordSignature(manager, approvable(doc), signatureOf('REJECT', doc.state, to, ServiceTaskState.PENDING_EXECUTIVE), caller, now, reason);
        doc.rejectionReason = reason;
      },
    },
    CONFIRM: {
      description: 'The assignee takes the task on.',
      apply: (doc, { now }) => {
        doc.confirmedAt = now;
      },
    },
    DISPUTE: {
      description: 'The assignee objects to the assignment; the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input }) => {
        doc.disputeReason = (input as ReasonEventInput).reason;
      },
    },
    REVISE: {
      description: 'The supervisor adjusts a disputed task (assignee, times, resources); it goes back to DRAFT.',
      input: UpdateServiceTaskInput,
      validate: (input: UpdateServiceTaskInput, { doc, manager }) => detailProblems(input, manager, doc),
      apply: (doc, { input }) => applyDetails(doc, input as Details),
    },
    START: {
      description: 'The assignee starts the work; records the actual start.',
      apply: (doc, { now }) => {
        doc.startedAt = doc.startedAt ?? now;
      },
    },
    FINISH: {
      description: 'The assignee finishes the work (every service record submitted); opens the next acceptance round for the customer.',
      apply: (doc, { now }) => {
        doc.finishedAt = now;
      },
      async cascade(doc, { manager, engine, caller, meta }) {
        await engine.createSystem(manager, serviceAcceptanceDefinition, caller, { taskId: doc.id }, meta);
      },
    },
    REOPEN: { description: 'System: the acceptance failed; the task is reopened for rectification (整改).', system: true },
    CLOSE: {
      description: 'System: the acceptance was verified; the task is completed.',
      system: true,
      apply: (doc, { now }) => {
        doc.completedAt = now;
      },
      cascade: (doc, ctx) => completeRequestIfDone(doc, ctx),
    },
    CANCEL: {
      description: 'The supervisor cancels a task that has not started; the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input }) => {
        doc.cancellationReason = (input as ReasonEventInput).reason;
      },
      cascade: (doc, ctx) => completeRequestIfDone(doc, ctx),
    },
  },
};
