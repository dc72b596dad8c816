import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Department, User } from '../../organisation/organisation.entities';
import { numericTransformer } from '../../vocabulary';
import { WorkflowDocument } from '../../workflow/workflow.entities';

/** One old part claimed back: a snapshot of the requisition line it came from, taken when the claim was drawn up. */
export interface ClaimLineData {
  requisitionId: string;
  requisitionNumber: string;
  /** the requisition's line, 1-based */
  line: number;
  partNumber: string;
  partName: string;
  quantity: number;
  /** CNY */
  unitCost: number;
  /** when the store received the old part (ISO instant) */
  receivedAt: string;
}

/** One month's processing of the received old parts (seed 003 §3.7.5: 每月及時處理更換後的舊件): made once per month. */
@Entity()
@Unique('ux_old_part_batch_period', ['periodFrom'])
export class OldPartBatch {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** the first day of the month processed */
  @Column('date') periodFrom: string;
  @Column('timestamptz') processedAt: Date;
  @Column('int') itemCount: number;
  @Column('int') claimCount: number;
}

/** One received old part in a batch; an old part is processed once (unique requisition and line). */
@Entity()
@Unique('ux_old_part_batch_item_line', ['requisitionId', 'line'])
export class OldPartBatchItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @ManyToOne(() => OldPartBatch, { nullable: false }) @JoinColumn() batch?: OldPartBatch;
  @Index() @Column('uuid') batchId: string;
  @Column('uuid') requisitionId: string;
  @Column('text') requisitionNumber: string;
  @Column('int') line: number;
  @Index() @Column('uuid') departmentId: string;
  @Column('text') partNumber: string;
  @Column('text') partName: string;
  @Column('int') quantity: number;
  @Column('numeric', { precision: 14, scale: 2, transformer: numericTransformer }) unitCost: number;
  @Column('boolean') underWarranty: boolean;
  @Column('timestamptz') receivedAt: Date;
  @Column('text', { nullable: true }) supplier: string | null;
  @Column('boolean') supplierWarranty: boolean;
  /** the claim it went into (supplier warranty), or null: the part is scrapped or kept by the store */
  @Column('uuid', { nullable: true }) claimId: string | null;
}

/**
 * 二次索賠 — a claim on a supplier for the old parts its warranty covers (SPEC §3.6, seed 003 §3.8), drawn up by
 * the monthly processing of returned old parts: one per month, department and supplier. The lines are a
 * snapshot of the processed old parts; the amounts are what the company asks back and what the supplier accepts.
 */
@Entity()
@Index('ux_supplier_claim_period_department_supplier', ['periodFrom', 'departmentId', 'supplierKey'], { unique: true })
export class SupplierClaim extends WorkflowDocument {
  /** the processing batch that drew it up */
  @ManyToOne(() => OldPartBatch, { nullable: false }) @JoinColumn() batch?: OldPartBatch;
  @Column('uuid') batchId: string;
  /** the first day of the month processed */
  @Column('date') periodFrom: string;
  @ManyToOne(() => Department, { nullable: false }) @JoinColumn() department?: Department;
  @Index() @Column('uuid') departmentId: string;
  @Column('text') supplier: string;
  /** the supplier's name as the uniqueness key (trimmed, lower case) */
  @Column('text') supplierKey: string;
  @Column('jsonb', { default: [] }) lines: ClaimLineData[];
  /** Σ quantity × unit cost, CNY */
  @Column('numeric', { precision: 14, scale: 2, default: 0, transformer: numericTransformer }) claimedAmount: number;
  /** what the supplier accepted (ACCEPT), at most the claimed amount */
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: numericTransformer }) acceptedAmount: number | null;
  /** the supplier's reference for the claim (given at SUBMIT) */
  @Column('text', { nullable: true }) supplierReference: string | null;
  @Column('text', { nullable: true }) rejectionReason: string | null;
  @Column('text', { nullable: true }) cancellationReason: string | null;
  /** how the supplier settled: credit note, replacement parts, payment to the company's account */
  @Column('text', { nullable: true }) settlementNote: string | null;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('uuid', { nullable: true }) submittedById: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('timestamptz', { nullable: true }) settledAt: Date | null;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
}
