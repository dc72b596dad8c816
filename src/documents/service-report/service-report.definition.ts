/**
 * The service report as the engine sees it (SPEC §3.9): the facts its guards read, what each effect does,
 * and each event's input. Its figures come from the statistics (src/statistics/figures.ts), frozen by CREATE.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { approvalEffects, loadApprovalFacts, type ApprovableRef } from '../../approval/approval';
import { ApprovalTier } from '../../approval/tier';
import { hasRole, Role, SYSTEM_CALLER, type Caller } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { Customer, Department } from '../../organisation/organisation.entities';
import { computeFigures } from '../../statistics/figures';
import { businessTimezone } from '../../time/working-days';
import { DocumentDefinition, type EffectContext } from '../../workflow/definition';
import { Refusal, UserErrorCode, type UserErrorData } from '../../workflow/errors';
import { isPlan, ServiceReportKind } from './service-report.enums';
import { PlanItemData, ServiceReport } from './service-report.entity';
import { ServiceReportFacts, serviceReportEffects, serviceReportMachine } from './service-report.machine';
import { periodInstants, periodOf } from './service-report.period';
import { serviceReportPolicy } from './service-report.policy';
import { CreateServiceReportInput, DocumentEventInput, PlanItemInput, ReasonEventInput, UpdateServiceReportInput } from './service-report.types';

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

const planItemsOf = (input: PlanItemInput[] | null | undefined): PlanItemData[] =>
  (input ?? []).map((i) => ({ title: i.title, detail: i.detail ?? null, quantity: i.quantity ?? null, month: i.month ?? null }));

/** '' for the whole department; otherwise a digest of the sorted customer ids (an index key stays short however large the group) */
const groupKey = (customerIds: string[]): string => (customerIds.length ? createHash('sha256').update(customerIds.join(',')).digest('hex') : '');

/** The report as an approvable document: the department head reviews, an executive approves, round by round. */
const approvable = (doc: ServiceReport): ApprovableRef => ({
  documentType: 'ServiceReport',
  documentId: doc.id,
  departmentId: doc.departmentId,
  round: doc.approvalRound,
  // a report is always approved by an executive after the department head's review (seed 002 §4.4, §4.7)
  tier: ApprovalTier.EXECUTIVE,
  involvedUserIds: [doc.createdById, doc.submittedById],
});

const { newApprovalRound, sign } = approvalEffects(approvable);

const effects: Record<(typeof serviceReportEffects)[number], (doc: ServiceReport, ctx: EffectContext<any, ServiceReportFacts>) => void | Promise<void>> = {
  newApprovalRound,
  sign,
  describe: (doc, { input }) => {
    const create = input as CreateServiceReportInput;
    doc.title = create.title ?? null;
    doc.summary = create.summary ?? null;
    doc.planItems = planItemsOf(create.planItems);
  },
  // the statistics of the period, taken once: nothing later recomputes them (SPEC §3.9)
  freezeFigures: async (doc, { manager, caller, now }) => {
    if (isPlan(doc.kind)) return;
    const { from, to } = periodInstants({ from: doc.periodFrom, to: doc.periodTo }, businessTimezone());
    const scope = caller.userId === SYSTEM_CALLER.userId ? 'system' : caller;
    doc.figures = await computeFigures(manager, scope, { from, to, departmentId: doc.departmentId, ...(doc.customerIds.length ? { customerIds: doc.customerIds } : {}) }, { timezone: businessTimezone() });
    doc.figuresAsOf = now;
  },
  update: (doc, { input }) => {
    const update = input as UpdateServiceReportInput;
    if (update.title !== undefined) doc.title = update.title ?? null;
    if (update.summary !== undefined) doc.summary = update.summary ?? null;
    if (update.planItems !== undefined && update.planItems !== null) doc.planItems = planItemsOf(update.planItems);
  },
  stampSubmitted: (doc, { caller, now }) => {
    doc.submittedById = caller.userId;
    doc.submittedAt = now;
  },
  stampReviewed: (doc, { caller, now }) => {
    doc.reviewedById = caller.userId;
    doc.reviewedAt = now;
  },
  stampIssued: (doc, { caller, now }) => {
    doc.issuedById = caller.userId;
    doc.issuedAt = now;
  },
  noteSendBack: (doc, { input }) => {
    doc.sendBackReason = (input as ReasonEventInput).reason;
  },
  noteCancellation: (doc, { input, now }) => {
    doc.cancellationReason = (input as ReasonEventInput).reason;
    doc.cancelledAt = now;
  },
};

/** Which of these new reports already has a live twin (same kind, period, department, customer group): one statement. */
async function duplicates(manager: EntityManager, docs: ServiceReport[]): Promise<boolean[]> {
  const fresh = docs.map((d, i) => [d, i] as const).filter(([d]) => !d.id);
  const result = docs.map(() => false);
  if (!fresh.length) return result;
  const rows: Array<{ n: number }> = await manager.query(
    `SELECT p.n::int AS n FROM unnest($1::text[], $2::date[], $3::uuid[], $4::text[]) WITH ORDINALITY AS p(kind, period_from, department_id, group_key, n)
      WHERE EXISTS (SELECT 1 FROM service_report r WHERE r.kind = p.kind AND r.period_from = p.period_from AND r.department_id = p.department_id AND r.customer_group_key = p.group_key AND r.cancelled_at IS NULL)`,
    [fresh.map(([d]) => d.kind), fresh.map(([d]) => d.periodFrom), fresh.map(([d]) => d.departmentId), fresh.map(([d]) => d.customerGroupKey)],
  );
  for (const { n } of rows) result[fresh[n - 1][1]] = true;
  return result;
}

async function createProblems(input: CreateServiceReportInput, manager: EntityManager): Promise<UserErrorData[]> {
  const problems: UserErrorData[] = [];
  const monthly = input.kind === ServiceReportKind.MONTHLY;
  const halfYearly = input.kind === ServiceReportKind.HALF_YEARLY;
  if (monthly !== (input.month != null)) problems.push(validation('month', monthly ? 'a monthly report names its month (1–12)' : 'only a monthly report names a month'));
  if (halfYearly !== (input.half != null)) problems.push(validation('half', halfYearly ? 'a half-yearly report names its half (1 or 2)' : 'only a half-yearly report names a half'));
  const plan = isPlan(input.kind);
  if (plan && input.customerIds?.length) problems.push(validation('customerIds', 'a plan is the department\'s, not a customer group\'s'));
  if (!plan && input.planItems?.length) problems.push(validation('planItems', 'only a plan has plan items; a report\'s figures come from the statistics'));
  if (input.customerIds?.length) {
    if (!input.customerGroupName?.trim()) problems.push(validation('customerGroupName', 'a customer group report names its group'));
    const ids = input.customerIds.map((id) => idOf(id, 'Customer'));
    const known = ids.every((id) => id) ? await manager.countBy(Customer, ids.map((id) => ({ id: id! }))) : -1;
    if (known !== new Set(ids).size) problems.push(validation('customerIds', 'customerIds must name existing customers'));
  } else if (input.customerGroupName) problems.push(validation('customerGroupName', 'a group name goes with customerIds'));
  return problems;
}

export const serviceReportDefinition: DocumentDefinition<ServiceReport, ServiceReportFacts> = {
  type: 'ServiceReport',
  prefix: 'SP',
  entity: ServiceReport,
  machine: serviceReportMachine,
  policy: serviceReportPolicy,
  // figures are aggregates and kept; the department's own words are the free text a purge removes
  records: {
    closedStates: ['ISSUED', 'CANCELLED'],
    personalFields: ['summary', 'sendBackReason', 'cancellationReason'],
    categoryColumn: 'kind',
  },
  effects,

  async facts({ docs, caller, manager }) {
    const [approvals, duplicate] = await Promise.all([loadApprovalFacts(manager, docs.map(approvable), caller), duplicates(manager, docs)]);
    return docs.map((doc, i) => ({
      isDrafter: (hasRole(caller, Role.SUPERVISOR) && !!caller.departmentId && caller.departmentId === doc.departmentId) || hasRole(caller, Role.AGENT),
      isSystem: caller.userId === SYSTEM_CALLER.userId,
      isDepartmentSupervisor: approvals[i].isDepartmentSupervisor,
      isExecutive: approvals[i].isExecutive,
      isInvolved: approvals[i].isInvolved,
      signedThisRound: approvals[i].signedThisRound,
      isArchivist: hasRole(caller, Role.ARCHIVIST) || caller.userId === SYSTEM_CALLER.userId,
      duplicateExists: duplicate[i],
      isPlan: isPlan(doc.kind),
      planItemCount: doc.planItems?.length ?? 0,
    }));
  },

  async build(input: CreateServiceReportInput, _caller: Caller, manager) {
    const departmentId = idOf(input.departmentId, 'Department');
    if (!departmentId || !(await manager.existsBy(Department, { id: departmentId, active: true }))) throw Refusal.of(UserErrorCode.VALIDATION, 'departmentId must name an active department', 'departmentId');
    const doc = new ServiceReport();
    doc.kind = input.kind;
    doc.year = input.year;
    doc.month = input.kind === ServiceReportKind.MONTHLY ? (input.month ?? null) : null;
    doc.half = input.kind === ServiceReportKind.HALF_YEARLY ? (input.half ?? null) : null;
    const period = periodOf(input.kind, input.year, input.month, input.half);
    doc.periodFrom = period.from;
    doc.periodTo = period.to;
    doc.departmentId = departmentId;
    doc.customerIds = [...new Set((input.customerIds ?? []).map((id) => idOf(id, 'Customer') ?? ''))].sort();
    doc.customerGroupName = input.customerGroupName ?? null;
    doc.customerGroupKey = groupKey(doc.customerIds);
    doc.planItems = [];
    doc.approvalRound = 0;
    // two creations of the same report (two clicks, two generators) take turns here, so the second sees the first
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`ServiceReport:${doc.kind}:${doc.periodFrom}:${doc.departmentId}:${doc.customerGroupKey}`]);
    return doc;
  },

  events: {
    CREATE: {
      description:
        'Draw up a report (MONTHLY, HALF_YEARLY, YEARLY; also for a customer group) or a plan (ANNUAL_PLAN, SPARE_PARTS_PLAN) for a department (DRAFT). A report\'s figures are taken from the statistics now and frozen; one live report per kind, period, department and customer group.',
      input: CreateServiceReportInput,
      validate: (input: CreateServiceReportInput, { manager }) => createProblems(input, manager),
    },
    UPDATE: {
      description: 'Change the draft\'s title, summary or (plans) plan items. The figures stay as they were taken.',
      input: UpdateServiceReportInput,
      validate: (input: UpdateServiceReportInput, { doc }) => (!isPlan(doc.kind) && input.planItems?.length ? [validation('planItems', 'only a plan has plan items')] : []),
    },
    SUBMIT: { description: 'Send the draft to the department head for review (a plan needs at least one item).', input: DocumentEventInput },
    REVIEW: { description: 'The department head reviews the report (經部門領導審核) and passes it to an executive for approval. Never the one who drew it up or submitted it.', input: DocumentEventInput },
    APPROVE: { description: 'An executive approves the reviewed report (報主管領導批准): it is issued. Never the one who drew it up, submitted or reviewed it.', input: DocumentEventInput },
    SEND_BACK: { description: 'Return the report to DRAFT from review (the department head) or approval (an executive); the reason is required.', input: ReasonEventInput },
    CANCEL: { description: 'Withdraw a draft (a supervisor of the department, or customer service); the reason is required. Its kind and period are free again.', input: ReasonEventInput },
    ARCHIVE: { description: 'File the issued or cancelled report in the archive (read-only from then on): the records custodian, an automation holding that role, or the scheduled archiving.', system: true, callers: true },
  },
};
