import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { numericTransformer } from '../../vocabulary';
import { WorkflowDocument } from '../../workflow/workflow.entities';
import type { OldPartDisposition } from './parts-requisition.enums';

/** One line of a requisition; CONSUME adds what became of the replaced part. */
export interface PartLineData {
  partNumber: string;
  partName: string;
  /** a whole number of pieces, at least 1 */
  quantity: number;
  /** CNY, 2 decimals */
  unitCost: number;
  underWarranty: boolean;
  /** set by CONSUME (seed 003 §3.6) */
  oldPart?: OldPartDisposition | null;
  oldPartNote?: string | null;
  /** KEPT_BY_CUSTOMER: the name of the customer's person who keeps the old part */
  keptBy?: string | null;
  /** RETURNED: when the store received the packed old part (ISO instant) and who received it (RECEIVE_OLD_PARTS) */
  oldPartReceivedAt?: string | null;
  oldPartReceivedById?: string | null;
  /** recorded at receipt: the part's supplier, and whether the supplier's warranty covers it (二次索賠) */
  supplier?: string | null;
  supplierWarranty?: boolean | null;
}

/**
 * 備件領料單 (SPEC §3.6). Request, customer and department are the task's, copied so scopes are
 * one-table conditions; the lines (and their consumption) are one jsonb value, replaced as a whole.
 */
@Entity()
@Index('ix_parts_requisition_department_state_created', ['departmentId', 'state', 'createdAt'])
export class PartsRequisition extends WorkflowDocument {
  // relations name their target by entity name: a document folder imports no other document's folder
  @ManyToOne('ServiceTask', { nullable: false }) @JoinColumn() task?: unknown;
  @Index() @Column('uuid') taskId: string;
  @Column('uuid') requestId: string;
  @ManyToOne(() => Customer, { nullable: false }) @JoinColumn() customer?: Customer;
  @Column('uuid') customerId: string;
  @ManyToOne(() => Department, { nullable: false }) @JoinColumn() department?: Department;
  @Column('uuid') departmentId: string;
  @Column('jsonb', { default: [] }) lines: PartLineData[];
  /** Σ quantity × unit cost, computed whenever the lines change: the amount of the approval tier */
  @Column('numeric', { precision: 14, scale: 2, default: 0, transformer: numericTransformer }) totalAmount: number;
  /** computed at SUBMIT (SPEC §2) */
  @Column('text', { nullable: true }) tier: string | null;
  /** +1 at each SUBMIT; signatures belong to a round */
  @Column('int', { default: 0 }) approvalRound: number;
  @Column('text', { nullable: true }) rejectionReason: string | null;
  @Column('text', { nullable: true }) cancellationReason: string | null;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { nullable: true }) approvedAt: Date | null;
  @Column('timestamptz', { nullable: true }) issuedAt: Date | null;
  @ManyToOne(() => User, { nullable: true }) @JoinColumn() issuedBy?: User | null;
  @Column('uuid', { nullable: true }) issuedById: string | null;
  /** the service record the parts were written off against (a record of the same task) */
  @ManyToOne('ServiceRecord', { nullable: true }) @JoinColumn() consumedInRecord?: unknown;
  @Column('uuid', { nullable: true }) consumedInRecordId: string | null;
  @Column('timestamptz', { nullable: true }) consumedAt: Date | null;
  /** a leader's approval of the warranty parts' write-off (APPROVE_WRITE_OFF): who, when, with what comment */
  @Column('timestamptz', { nullable: true }) writeOffApprovedAt: Date | null;
  @Column('uuid', { nullable: true }) writeOffApprovedById: string | null;
  @Column('text', { nullable: true }) writeOffComment: string | null;
  /** the store's write-off (WRITE_OFF, 銷帳) */
  @Column('timestamptz', { nullable: true }) writtenOffAt: Date | null;
  @Column('uuid', { nullable: true }) writtenOffById: string | null;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
}
