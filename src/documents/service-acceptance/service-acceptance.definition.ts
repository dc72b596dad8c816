/**
 * The acceptance as the engine sees it (SPEC §3.4): opened by the system when a task's FINISH announces
 * it (never by a mutation), signed by the customer or recorded by an agent, verified by customer service.
 * Its failure and verification are announced; the task reacts (src/workflow/reactions.ts).
 */
import { Caller, hasRole, isPortalUser, Role } from '../../auth/roles';
import { DocumentDefinition, EffectContext } from '../../workflow/definition';
import { UserErrorCode, UserErrorData } from '../../workflow/errors';
import { lockDocument } from '../../workflow/lookup';
import type { EntityManager } from 'typeorm';
import { ServiceAcceptance } from './service-acceptance.entity';
import { ServiceAcceptanceFacts, serviceAcceptanceEffects, serviceAcceptanceMachine } from './service-acceptance.machine';
import { serviceAcceptancePolicy } from './service-acceptance.policy';
import { FailAcceptanceInput, PassAcceptanceInput, ReasonEventInput } from './service-acceptance.types';

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
    const [task]: Array<{ finished_at: Date | null }> = await manager.query('SELECT finished_at FROM service_task WHERE id = $1', [doc.taskId]);
    if (task?.finished_at && input.signedAt < task.finished_at) problems.push({ code: UserErrorCode.VALIDATION, message: 'signedAt is before the work was finished: nobody signs before the service', field: 'signedAt' });
    if (input.signedAt.getTime() > Date.now() + 60_000) problems.push({ code: UserErrorCode.VALIDATION, message: 'signedAt is in the future', field: 'signedAt' });
  }
  return problems;
}

function sign(doc: ServiceAcceptance, input: Signature, { caller, now }: EffectContext): void {
  doc.signerName = isPortalUser(caller) ? caller.name : input.signerName!.trim();
  doc.signedAt = (!isPortalUser(caller) && input.signedAt) || now;
  doc.signedById = caller.userId;
  doc.comment = input.comment ?? null;
}

const effects: Record<(typeof serviceAcceptanceEffects)[number], (doc: ServiceAcceptance, ctx: EffectContext) => void> = {
  sign: (doc, ctx) => sign(doc, ctx.input as Signature, ctx),
  notePass: (doc, { input }) => {
    const pass = input as PassAcceptanceInput;
    doc.itemsConfirmed = pass.itemsConfirmed;
    doc.qualityScore = pass.qualityScore;
    doc.satisfaction = pass.satisfaction;
  },
  noteIssues: (doc, { input }) => {
    doc.issues = (input as FailAcceptanceInput).issues;
  },
  stampVerified: (doc, { now }) => {
    doc.verifiedAt = now;
  },
  noteQuery: (doc, { input }) => {
    doc.queryReason = (input as ReasonEventInput).reason;
    doc.signedAt = null;
    doc.signedById = null;
  },
};

export const serviceAcceptanceDefinition: DocumentDefinition<ServiceAcceptance, ServiceAcceptanceFacts> = {
  type: 'ServiceAcceptance',
  prefix: 'AC',
  entity: ServiceAcceptance,
  machine: serviceAcceptanceMachine,
  policy: serviceAcceptancePolicy,
  // archived with its task; the score, satisfaction and dates stay
  records: {
    closedStates: ['FAILED', 'VERIFIED'],
    personalFields: ['comment', 'signerName', 'issues', 'queryReason'],
    archivedWithParent: true,
  },
  effects,

  async facts({ docs, caller, manager }) {
    const rows: Array<{ id: string; state: string }> = await manager.query('SELECT id, state FROM service_task WHERE id = ANY($1)', [[...new Set(docs.map((d) => d.taskId))]]);
    const taskState = new Map(rows.map((r) => [r.id, r.state]));
    return docs.map((doc) => ({
      isOwnCustomer: hasRole(caller, Role.CUSTOMER) && caller.customerId === doc.customerId,
      isAgent: hasRole(caller, Role.AGENT),
      taskState: taskState.get(doc.taskId) ?? null,
    }));
  },

  async build(input: { taskId: string }, _caller, manager) {
    const task = await lockDocument<{ id: string; requestId: string; customerId: string; departmentId: string }>(manager, 'ServiceTask', input.taskId);
    if (!task) throw new Error(`an acceptance was opened for task ${input.taskId}, which does not exist`);
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

  events: {
    ARCHIVE: { description: 'System: archived together with the document it belongs to (records control, SPEC §5).', system: true },
    CREATE: { description: 'Opened by the system when the task\'s work is finished: round n + 1 of its acceptance.', system: true },
    PASS: { description: 'Sign the acceptance: items confirmed, quality score 1–5, satisfaction, comment.', input: PassAcceptanceInput, validate: signerCheck },
    FAIL: {
      description: 'Refuse the work with the issues found: this round ends, the task is reopened for rectification, and its next FINISH opens round n + 1.',
      input: FailAcceptanceInput,
      validate: signerCheck,
    },
    VERIFY: { description: 'Customer service\'s final review of a passed acceptance: closes the task, and the request when all its tasks are closed.' },
    QUERY: { description: 'Customer service doubts the sign-off and returns it to the customer; the reason is required.', input: ReasonEventInput },
  },
};
