/**
 * The acceptance as the engine sees it (SPEC §3.4): opened by the task's
 * FINISH (never by a mutation), signed by the customer or recorded by an
 * agent, verified by customer service. FAIL reopens the task (REOPEN);
 * VERIFY closes it (CLOSE), which completes the request when it was the last.
 */
import { Caller, hasRole, isPortalUser, Role, SYSTEM_CALLER } from '../../auth/roles';
import { DocumentDefinition, EffectContext, GuardKind } from '../../workflow/definition';
import { UserErrorCode, UserErrorData } from '../../workflow/errors';
import type { EntityManager } from 'typeorm';
import { serviceTaskDefinition } from '../service-task/service-task.definition';
import { ServiceTask } from '../service-task/service-task.entity';
import { ServiceAcceptance } from './service-acceptance.entity';
import { ServiceAcceptanceFacts, serviceAcceptanceMachine } from './service-acceptance.machine';
import { DocumentEventInput, FailAcceptanceInput, PassAcceptanceInput, ReasonEventInput } from './service-acceptance.types';
import { serviceAcceptanceScope } from './service-acceptance.visibility';

type Signature = PassAcceptanceInput | FailAcceptanceInput;

/**
 * A paper signature recorded by customer service names its signer, and is
 * dated neither before the work was finished (seed 003: never sign before
 * the service) nor in the future.
 */
async function signerCheck(input: Signature, { doc, caller, manager }: { doc: ServiceAcceptance; caller: Caller; manager: EntityManager }): Promise<UserErrorData[]> {
  if (isPortalUser(caller)) return [];
  const problems: UserErrorData[] = [];
  if (!input.signerName?.trim()) problems.push({ code: UserErrorCode.VALIDATION, message: 'customer service recording a paper signature must give the signer\'s name', field: 'signerName' });
  if (input.signedAt) {
    const task = await manager.findOneOrFail(ServiceTask, { where: { id: doc.taskId }, select: { id: true, finishedAt: true } });
    if (task.finishedAt && input.signedAt < task.finishedAt) problems.push({ code: UserErrorCode.VALIDATION, message: 'signedAt is before the work was finished: nobody signs before the service', field: 'signedAt' });
    if (input.signedAt.getTime() > Date.now() + 60_000) problems.push({ code: UserErrorCode.VALIDATION, message: 'signedAt is in the future', field: 'signedAt' });
  }
  return problems;
}

function sign(doc: ServiceAcceptance, input: Signature, { caller, now }: EffectContext<unknown>): void {
  doc.signerName = isPortalUser(caller) ? caller.name : input.signerName!.trim();
  doc.signedAt = (!isPortalUser(caller) && input.signedAt) || now;
  doc.signedById = caller.userId;
  doc.comment = input.comment ?? null;
}

export const serviceAcceptanceDefinition: DocumentDefinition<ServiceAcceptance, ServiceAcceptanceFacts> = {
  type: 'ServiceAcceptance',
  prefix: 'AC',
  entity: ServiceAcceptance,
  machine: serviceAcceptanceMachine,
  scope: serviceAcceptanceScope,
  staffOnlyFields: ['queryReason'],
  ownerDepartment: { sql: '{doc}.department_id', of: (doc) => doc.departmentId },
  staffOnlyEvents: ['QUERY'],

  guards: {
    signer: { kind: GuardKind.PERMISSION, description: 'The acceptance is signed by the request\'s customer, or recorded by customer service with the signer\'s name.', roles: [Role.CUSTOMER, Role.AGENT] },
    agent: { kind: GuardKind.PERMISSION, description: 'Only customer service (AGENT) may do this.', roles: [Role.AGENT] },
    workFinished: { kind: GuardKind.RULE, description: 'No acceptance is signed before the work is finished (the task must be AWAITING_ACCEPTANCE).' },
  },

  async facts({ doc, caller, manager }) {
    const task = await manager.findOneOrFail(ServiceTask, { where: { id: doc.taskId }, select: { id: true, state: true } });
    return {
      isOwnCustomer: hasRole(caller, Role.CUSTOMER) && caller.customerId === doc.customerId,
      isAgent: hasRole(caller, Role.AGENT),
      taskState: task.state,
    };
  },

  create: {
    system: true,
    description: 'Opened by the task\'s FINISH: round n + 1 of its acceptance.',
    input: DocumentEventInput,
    authorize: () => ({ code: UserErrorCode.FORBIDDEN, message: 'An acceptance is opened by the task\'s FINISH.', field: null }),
    async build(input: { taskId: string }, _caller, manager) {
      const task = await manager.findOneByOrFail(ServiceTask, { id: input.taskId });
      const rounds = await manager.countBy(ServiceAcceptance, { taskId: task.id });
      const doc = new ServiceAcceptance();
      doc.taskId = task.id;
      doc.requestId = task.requestId;
      doc.customerId = task.customerId;
      doc.departmentId = task.departmentId;
      doc.round = rounds + 1;
      doc.itemsConfirmed = [];
      return doc;
    },
  },

  events: {
    PASS: {
      description: 'Sign the acceptance: items confirmed, quality score 1–5, satisfaction, comment.',
      input: PassAcceptanceInput,
      validate: signerCheck,
      apply(doc, ctx) {
        const input = ctx.input as PassAcceptanceInput;
        sign(doc, input, ctx);
        doc.itemsConfirmed = input.itemsConfirmed;
        doc.qualityScore = input.qualityScore;
        doc.satisfaction = input.satisfaction;
      },
    },
    FAIL: {
      description: 'Refuse the work with the issues found: this round ends, the task is reopened for rectification, and its next FINISH opens round n + 1.',
      input: FailAcceptanceInput,
      validate: signerCheck,
      apply(doc, ctx) {
        const input = ctx.input as FailAcceptanceInput;
        sign(doc, input, ctx);
        doc.issues = input.issues;
      },
      cascade: (doc, { engine, manager, meta }) => engine.fireSystem(manager, serviceTaskDefinition, SYSTEM_CALLER, doc.taskId, 'REOPEN', meta).then(() => undefined),
    },
    VERIFY: {
      description: 'Customer service\'s final review of a passed acceptance: closes the task, and the request when all its tasks are closed.',
      input: DocumentEventInput,
      apply: (doc, { now }) => {
        doc.verifiedAt = now;
      },
      cascade: (doc, { engine, manager, meta }) => engine.fireSystem(manager, serviceTaskDefinition, SYSTEM_CALLER, doc.taskId, 'CLOSE', meta).then(() => undefined),
    },
    QUERY: {
      description: 'Customer service doubts the sign-off and returns it to the customer; the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input }) => {
        doc.queryReason = (input as ReasonEventInput).reason;
        doc.signedAt = null;
        doc.signedById = null;
      },
    },
  },
};
