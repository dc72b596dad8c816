/**
 * The supplier claim as the engine sees it (SPEC §3.6, seed 003 §3.8 二次索賠): created only by the monthly
 * processing (supplier-claim.processing.ts) from the batch's old parts of one department and supplier.
 */
import type { EntityManager } from 'typeorm';
import { hasRole, Role, SYSTEM_CALLER, type Caller } from '../../auth/roles';
import { DocumentDefinition, type EffectContext } from '../../workflow/definition';
import { Refusal, UserErrorCode, type UserErrorData } from '../../workflow/errors';
import { ClaimLineData, OldPartBatchItem, SupplierClaim } from './supplier-claim.entity';
import { SupplierClaimFacts, supplierClaimEffects, supplierClaimMachine } from './supplier-claim.machine';
import { supplierClaimPolicy } from './supplier-claim.policy';
import { AcceptSupplierClaimInput, DocumentEventInput, ReasonEventInput, SettleSupplierClaimInput, SubmitSupplierClaimInput } from './supplier-claim.types';

/** What the monthly processing hands CREATE: the batch, the department and the supplier whose old parts it claims. */
export interface CreateSupplierClaimInput {
  batchId: string;
  periodFrom: string;
  departmentId: string;
  supplier: string;
}

export const supplierKey = (supplier: string): string => supplier.trim().toLowerCase();

const cents = (n: number) => Math.round(n * 100);

const effects: Record<(typeof supplierClaimEffects)[number], (doc: SupplierClaim, ctx: EffectContext<any, SupplierClaimFacts>) => void | Promise<void>> = {
  stampSubmitted: (doc, { input, now, caller }) => {
    doc.submittedAt = now;
    doc.submittedById = caller.userId;
    doc.supplierReference = (input as SubmitSupplierClaimInput).supplierReference?.trim() || null;
  },
  recordAcceptance: (doc, { input, now }) => {
    doc.acceptedAmount = (input as AcceptSupplierClaimInput).acceptedAmount;
    doc.decidedAt = now;
  },
  noteRejection: (doc, { input, now }) => {
    doc.rejectionReason = (input as ReasonEventInput).reason;
    doc.decidedAt = now;
  },
  recordSettlement: (doc, { input, now }) => {
    doc.settlementNote = (input as SettleSupplierClaimInput).settlementNote;
    doc.settledAt = now;
  },
  noteCancellation: (doc, { input }) => {
    doc.cancellationReason = (input as ReasonEventInput).reason;
  },
};

export const supplierClaimDefinition: DocumentDefinition<SupplierClaim, SupplierClaimFacts> = {
  type: 'SupplierClaim',
  prefix: 'SC',
  entity: SupplierClaim,
  machine: supplierClaimMachine,
  policy: supplierClaimPolicy,
  records: {
    closedStates: ['SETTLED', 'REJECTED', 'CANCELLED'],
    personalFields: ['rejectionReason', 'cancellationReason', 'settlementNote'],
  },
  effects,

  facts({ docs, caller }) {
    return docs.map((doc) => ({
      isSystem: caller.userId === SYSTEM_CALLER.userId,
      isClaimHandler: hasRole(caller, Role.STOREKEEPER) || (hasRole(caller, Role.SUPERVISOR) && !!caller.departmentId && caller.departmentId === doc.departmentId),
      isArchivist: hasRole(caller, Role.ARCHIVIST) || caller.userId === SYSTEM_CALLER.userId,
      lineCount: doc.lines.length,
    }));
  },

  /** the batch's old parts of this department and supplier that its warranty covers and no claim holds yet */
  async build(input: CreateSupplierClaimInput, _caller: Caller, manager: EntityManager) {
    if (!input.supplier?.trim()) throw Refusal.of(UserErrorCode.VALIDATION, 'a claim names its supplier', 'supplier');
    const items = await manager
      .createQueryBuilder(OldPartBatchItem, 'i')
      .where('i.batch_id = :batch AND i.department_id = :department AND i.supplier_warranty AND i.claim_id IS NULL AND lower(btrim(i.supplier)) = :supplier', {
        batch: input.batchId,
        department: input.departmentId,
        supplier: supplierKey(input.supplier),
      })
      .orderBy('i.requisition_number')
      .addOrderBy('i.line')
      .getMany();
    const doc = new SupplierClaim();
    doc.batchId = input.batchId;
    doc.periodFrom = input.periodFrom;
    doc.departmentId = input.departmentId;
    doc.supplier = input.supplier.trim();
    doc.supplierKey = supplierKey(input.supplier);
    doc.lines = items.map(
      (i): ClaimLineData => ({
        requisitionId: i.requisitionId,
        requisitionNumber: i.requisitionNumber,
        line: i.line,
        partNumber: i.partNumber,
        partName: i.partName,
        quantity: i.quantity,
        unitCost: i.unitCost,
        receivedAt: i.receivedAt.toISOString(),
      }),
    );
    doc.claimedAmount = doc.lines.reduce((sum, l) => sum + l.quantity * cents(l.unitCost), 0) / 100;
    return doc;
  },

  events: {
    CREATE: { description: 'Drawn up by the monthly processing of the received old parts: one claim per month, department and supplier, for the old parts its warranty covers.', system: true },
    SUBMIT: { description: 'Send the claim to the supplier (the spare-parts store or a supervisor of the department), with the supplier\'s reference if it gave one.', input: SubmitSupplierClaimInput },
    ACCEPT: {
      description: 'Record the supplier\'s acceptance and the amount it accepted (at most the claimed amount).',
      input: AcceptSupplierClaimInput,
      validate: (input: AcceptSupplierClaimInput, { doc }): UserErrorData[] =>
        cents(input.acceptedAmount) > cents(doc.claimedAmount) ? [{ code: UserErrorCode.VALIDATION, message: `acceptedAmount must be at most the claimed ${doc.claimedAmount}`, field: 'acceptedAmount' }] : [],
    },
    REJECT: { description: 'Record the supplier\'s refusal of the claim; the reason is required.', input: ReasonEventInput },
    SETTLE: { description: 'Record how the supplier settled the accepted claim (credit note, replacement parts, payment to the company\'s account). No one collects money through this desk.', input: SettleSupplierClaimInput },
    CANCEL: { description: 'Withdraw a draft claim before it is sent (e.g. the parts turn out to be outside the supplier\'s warranty); the reason is required.', input: ReasonEventInput },
    ARCHIVE: { description: 'File the settled, rejected or cancelled claim in the archive (read-only from then on).', system: true, callers: true },
  },
};

export { DocumentEventInput };
