/**
 * The parts requisition as the engine sees it (SPEC §3.6, seed 003 §3.6–3.7): the facts its guards read
 * (tier facts from src/approval), what each effect does, and each event's input. The task, its customer and
 * its records are other types' tables, read with SQL.
 */
import type { EntityManager } from 'typeorm';
import { approvalEffects, loadApprovalFacts, type ApprovableRef } from '../../approval/approval';
import type { ApprovalStep, SignatureDecision } from '../../approval/approval.entity';
import { ApprovalTier, computeTier } from '../../approval/tier';
import { hasRole, Role, SYSTEM_CALLER } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import type { CustomerTier } from '../../organisation/organisation.entities';
import type { Complexity } from '../../vocabulary';
import { DocumentDefinition, EffectContext } from '../../workflow/definition';
import { notFound, Refusal, UserErrorCode, UserErrorData } from '../../workflow/errors';
import { lockVisibleDocument } from '../../workflow/lookup';
import { OldPartDisposition } from './parts-requisition.enums';
import { PartLineData, PartsRequisition } from './parts-requisition.entity';
import { PartsRequisitionFacts, partsRequisitionEffects, partsRequisitionMachine } from './parts-requisition.machine';
import { partsRequisitionPolicy } from './parts-requisition.policy';
import {
  ConsumePartsRequisitionInput,
  CreatePartsRequisitionInput,
  DocumentEventInput,
  PartLineInput,
  ReasonEventInput,
  ReceiveOldPartsPartsRequisitionInput,
  UpdatePartsRequisitionInput,
} from './parts-requisition.types';

/** numeric(14, 2): the largest total a requisition can carry */
const MAX_TOTAL_CENTS = 99_999_999_999_999;

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

const linesOf = (input: PartLineInput[] | null | undefined): PartLineData[] =>
  (input ?? []).map((l) => ({ partNumber: l.partNumber, partName: l.partName, quantity: l.quantity, unitCost: l.unitCost, underWarranty: l.underWarranty }));

/** Σ quantity × unit cost, in fen (exact: unit costs have at most 2 decimals) */
const totalCents = (lines: PartLineData[]): number => lines.reduce((sum, l) => sum + l.quantity * Math.round(l.unitCost * 100), 0);

function lineProblems(input: { lines?: PartLineInput[] | null }): UserErrorData[] {
  return totalCents(linesOf(input.lines)) > MAX_TOTAL_CENTS ? [validation('lines', 'the total amount must be at most 999999999999.99')] : [];
}

function replaceLines(doc: PartsRequisition, input: PartLineInput[] | null | undefined): void {
  doc.lines = linesOf(input);
  doc.totalAmount = totalCents(doc.lines) / 100;
}

/** CONSUME: every line once, by its 1-based number */
function consumptionProblems(input: ConsumePartsRequisitionInput, doc: PartsRequisition): UserErrorData[] {
  const given = input.lines.map((l) => l.line);
  if (given.some((n) => n > doc.lines.length)) return [validation('lines', `there are ${doc.lines.length} lines: line numbers run from 1 to ${doc.lines.length}`)];
  if (new Set(given).size !== given.length) return [validation('lines', 'each line is accounted for once')];
  if (given.length !== doc.lines.length) return [validation('lines', 'every line says what became of its old part')];
  const unnamed = input.lines.findIndex((l) => l.oldPart === OldPartDisposition.KEPT_BY_CUSTOMER && !l.keptBy?.trim());
  if (unnamed >= 0) return [validation(`lines.${unnamed}.keptBy`, 'an old part the customer keeps is recorded with the name of who keeps it')];
  return [];
}

/** RECEIVE_OLD_PARTS: each line once, a RETURNED line not yet received; a supplier-warranty part names its supplier */
function receiptProblems(input: ReceiveOldPartsPartsRequisitionInput, doc: PartsRequisition): UserErrorData[] {
  if (!input.lines.length) return [validation('lines', 'name at least one line whose old part was received')];
  const given = input.lines.map((l) => l.line);
  if (new Set(given).size !== given.length) return [validation('lines', 'each line is received once')];
  for (const [i, r] of input.lines.entries()) {
    const line = doc.lines[r.line - 1];
    if (!line) return [validation(`lines.${i}.line`, `there are ${doc.lines.length} lines: line numbers run from 1 to ${doc.lines.length}`)];
    if (line.oldPart !== OldPartDisposition.RETURNED) return [validation(`lines.${i}.line`, `line ${r.line}'s old part was not returned (${line.oldPart}): there is nothing to receive`)];
    if (line.oldPartReceivedAt) return [validation(`lines.${i}.line`, `line ${r.line}'s old part was received already`)];
    if (r.supplierWarranty && !r.supplier?.trim()) return [validation(`lines.${i}.supplier`, 'a part the supplier\'s warranty covers names its supplier (the claim goes to them)')];
  }
  return [];
}

/** warranty lines the CONSUME input writes off with the old part neither returned nor kept by the customer */
function warrantyLinesWithoutOldPart(doc: PartsRequisition, input: ConsumePartsRequisitionInput | undefined): number {
  if (!input?.lines) return 0;
  return input.lines.filter((c) => doc.lines[c.line - 1]?.underWarranty && c.oldPart === OldPartDisposition.NOT_RETURNED).length;
}

/** The requisition as an approvable document (SPEC §2): the requester never signs it. */
const approvable = (doc: PartsRequisition): ApprovableRef => ({
  documentType: 'PartsRequisition',
  documentId: doc.id,
  departmentId: doc.departmentId,
  round: doc.approvalRound,
  tier: doc.tier as ApprovalTier | null,
  involvedUserIds: [doc.createdById],
});

const effects: Record<(typeof partsRequisitionEffects)[number], (doc: PartsRequisition, ctx: EffectContext<any, PartsRequisitionFacts>) => void | Promise<void>> = {
  ...approvalEffects(approvable),
  replaceLines: (doc, { input }) => replaceLines(doc, (input as UpdatePartsRequisitionInput).lines),
  stampSubmitted: (doc, { now }) => {
    doc.submittedAt = now;
  },
  stampApproved: (doc, { now }) => {
    doc.approvedAt = now;
  },
  noteRejection: (doc, { input }) => {
    doc.rejectionReason = (input as ReasonEventInput).reason;
  },
  noteCancellation: (doc, { input }) => {
    doc.cancellationReason = (input as ReasonEventInput).reason;
  },
  stampIssued: (doc, { now, caller }) => {
    doc.issuedAt = now;
    doc.issuedById = caller.userId;
  },
  recordConsumption: (doc, { input, now }) => {
    const consume = input as ConsumePartsRequisitionInput;
    doc.consumedInRecordId = idOf(consume.recordId, 'ServiceRecord');
    doc.consumedAt = now;
    doc.lines = doc.lines.map((line, i) => {
      const c = consume.lines.find((l) => l.line === i + 1)!;
      return { ...line, oldPart: c.oldPart, oldPartNote: c.note ?? null, keptBy: c.oldPart === OldPartDisposition.KEPT_BY_CUSTOMER ? c.keptBy!.trim() : null };
    });
  },
  receiveOldParts: (doc, { input, now, caller }) => {
    const receipt = input as ReceiveOldPartsPartsRequisitionInput;
    doc.lines = doc.lines.map((line, i) => {
      const r = receipt.lines.find((l) => l.line === i + 1);
      if (!r) return line;
      return { ...line, oldPartReceivedAt: now.toISOString(), oldPartReceivedById: caller.userId, supplier: r.supplier?.trim() || null, supplierWarranty: r.supplierWarranty };
    });
  },
  approveWriteOff: (doc, { input, now, caller }) => {
    doc.writeOffApprovedAt = now;
    doc.writeOffApprovedById = caller.userId;
    doc.writeOffComment = (input as DocumentEventInput).comment ?? null;
  },
  stampWrittenOff: (doc, { now, caller }) => {
    doc.writtenOffAt = now;
    doc.writtenOffById = caller.userId;
  },
};

interface TaskRow {
  customer_signed: boolean;
  task_state: string | null;
  assignee_id: string | null;
  helper_ids: string[] | null;
  complexity: Complexity | null;
  customer_tier: CustomerTier | null;
}

/**
 * The task, the customer and the consuming record's customer signature (customer_signed_at: the customer-signed
 * report, seed 002 §4.5.5) of a page of requisitions (or one being created): one statement.
 */
function relatedFacts(manager: EntityManager, docs: PartsRequisition[]): Promise<TaskRow[]> {
  return manager.query(
    `SELECT t.state AS task_state, t.assignee_id, t.helper_ids, t.complexity, c.tier AS customer_tier,
            (r.customer_signed_at IS NOT NULL) AS customer_signed
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS p(task_id, customer_id, record_id, n)
       LEFT JOIN service_task t ON t.id = p.task_id
       LEFT JOIN customer c ON c.id = p.customer_id
       LEFT JOIN service_record r ON r.id = p.record_id
      ORDER BY p.n`,
    [docs.map((d) => d.taskId), docs.map((d) => d.customerId), docs.map((d) => d.consumedInRecordId ?? null)],
  );
}

const isWarranty = (l: PartLineData) => l.underWarranty;
/** an old part RETURNED that the store has not received yet */
const awaitingReceipt = (l: PartLineData) => l.oldPart === OldPartDisposition.RETURNED && !l.oldPartReceivedAt;
/** a warranty line's old part accounted for at write-off: received by the store, or kept by the customer with the name recorded */
const oldPartAccounted = (l: PartLineData) => (l.oldPart === OldPartDisposition.RETURNED && !!l.oldPartReceivedAt) || (l.oldPart === OldPartDisposition.KEPT_BY_CUSTOMER && !!l.keptBy);

export const partsRequisitionDefinition: DocumentDefinition<PartsRequisition, PartsRequisitionFacts> = {
  type: 'PartsRequisition',
  prefix: 'PR',
  entity: PartsRequisition,
  machine: partsRequisitionMachine,
  policy: partsRequisitionPolicy,
  // the lines (part numbers, quantities, prices) are figures and stay
  records: {
    closedStates: ['CONSUMED', 'WRITTEN_OFF', 'CANCELLED'],
    // consumed warranty parts wait for their write-off (the machine's noWriteOffPending says the same for ARCHIVE)
    stillOpen: (doc: PartsRequisition) => doc.state === 'CONSUMED' && doc.lines.some(isWarranty),
    personalFields: ['rejectionReason', 'cancellationReason', 'writeOffComment'],
  },
  effects,

  async facts({ docs, caller, input, manager, settings }) {
    const [rows, approvals] = await Promise.all([relatedFacts(manager, docs), loadApprovalFacts(manager, docs.map(approvable), caller)]);
    return docs.map((doc, i) => {
      const task = rows[i];
      const technician = hasRole(caller, Role.TECHNICIAN);
      return {
        ...approvals[i],
        isRequester: !!doc.createdById && doc.createdById === caller.userId,
        worksOnTask: technician && (task.assignee_id === caller.userId || (task.helper_ids ?? []).includes(caller.userId)),
        taskState: task.task_state,
        isStorekeeper: hasRole(caller, Role.STOREKEEPER),
        isArchivist: hasRole(caller, Role.ARCHIVIST) || caller.userId === SYSTEM_CALLER.userId,
        lineCount: doc.lines.length,
        // computed now, from the total, the customer's tier and the task's complexity (SPEC §2)
        proposedTier: computeTier({ amount: doc.totalAmount, customerTier: task.customer_tier, complexity: task.complexity }, settings.executiveThreshold),
        warrantyLinesWithoutOldPart: warrantyLinesWithoutOldPart(doc, input as ConsumePartsRequisitionInput | undefined),
        warrantyLineCount: doc.lines.filter(isWarranty).length,
        oldPartsAwaitingReceipt: doc.lines.filter(awaitingReceipt).length,
        warrantyOldPartsMissing: doc.lines.filter((l) => isWarranty(l) && !oldPartAccounted(l)).length,
        customerSigned: task.customer_signed === true,
        writeOffApproved: !!doc.writeOffApprovedAt,
      };
    });
  },

  async build(input: CreatePartsRequisitionInput, caller, manager) {
    // locked until the requisition is written: the task cannot move on while parts are being asked for it
    const task = await lockVisibleDocument<{ id: string; requestId: string; customerId: string; departmentId: string }>(manager, 'ServiceTask', idOf(input.taskId, 'ServiceTask'), caller);
    if (!task) throw new Refusal([{ ...notFound('service task').errors[0], field: 'taskId' }]);
    const doc = new PartsRequisition();
    doc.taskId = task.id;
    doc.requestId = task.requestId;
    doc.customerId = task.customerId;
    doc.departmentId = task.departmentId;
    doc.approvalRound = 0;
    doc.tier = null;
    replaceLines(doc, input.lines);
    return doc;
  },

  events: {
    CREATE: {
      description: 'Ask for spare parts for a CONFIRMED or IN_PROGRESS task you are assigned to or help on (DRAFT); the total is computed from the lines.',
      input: CreatePartsRequisitionInput,
      validate: (input: CreatePartsRequisitionInput) => lineProblems(input),
    },
    UPDATE: {
      description: 'Replace the lines of a draft requisition (the requester).',
      input: UpdatePartsRequisitionInput,
      validate: (input: UpdatePartsRequisitionInput) => lineProblems(input),
    },
    SUBMIT: { description: 'Send the requisition for approval (at least one line); its tier is computed now from the total amount, the customer\'s tier and the task\'s complexity (SPEC §2).' },
    APPROVE: {
      description: 'Sign the requisition: the department supervisor approves (supervisor tier) or endorses (executive tier); an executive approves an endorsed one. Never the requester.',
      input: DocumentEventInput,
    },
    REJECT: { description: 'Refuse the requisition at your step of its approval; it goes back to DRAFT. The reason is required.', input: ReasonEventInput },
    ISSUE: { description: 'The spare-parts store hands the approved parts out (seed 003 §3.7: 根據備用件領料單發放備用件).' },
    CONSUME: {
      description:
        'The requester writes the issued parts off against a service record of the task, saying for each line what became of the old part: RETURNED (brought back packed, for the store to receive), KEPT_BY_CUSTOMER (with the name of who keeps it) or NOT_RETURNED; a warranty part needs RETURNED or KEPT_BY_CUSTOMER.',
      input: ConsumePartsRequisitionInput,
      async validate(input: ConsumePartsRequisitionInput, { doc, manager }) {
        const recordId = idOf(input.recordId, 'ServiceRecord');
        const [found] = recordId ? await manager.query(`SELECT 1 FROM service_record WHERE id = $1 AND task_id = $2`, [recordId, doc.taskId]) : [];
        if (!found) return [validation('recordId', 'recordId must name a service record of the requisition\'s task')];
        return consumptionProblems(input, doc);
      },
    },
    RECEIVE_OLD_PARTS: {
      description: 'The spare-parts store receives old parts brought back packed (lines whose old part was RETURNED), recording who received them and when, and for each the supplier and whether the supplier\'s warranty covers it (二次索賠, processed monthly).',
      input: ReceiveOldPartsPartsRequisitionInput,
      validate: (input: ReceiveOldPartsPartsRequisitionInput, { doc }) => receiptProblems(input, doc),
    },
    APPROVE_WRITE_OFF: {
      description: 'A leader (a supervisor of the department, or an executive; never the requester) approves writing the warranty parts off (seed 003 §3.6.2: 領導同意).',
      input: DocumentEventInput,
    },
    WRITE_OFF: {
      description:
        'The spare-parts store writes the warranty parts off (銷帳, seed 003 §3.7.4): only with the customer-signed report (the record the parts were consumed in), every warranty part\'s old part received (or kept by the customer, recorded) and a leader\'s approval.',
      input: DocumentEventInput,
    },
    CANCEL: { description: 'Call the requisition off before its parts are issued (the requester, or a supervisor of the department); the reason is required.', input: ReasonEventInput },
    ARCHIVE: {
      description: 'File the consumed or cancelled requisition in the archive (read-only from then on): the records custodian, an automation holding that role, or the scheduled archiving.',
      system: true,
      callers: true,
    },
  },
};
