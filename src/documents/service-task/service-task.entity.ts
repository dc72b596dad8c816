import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { WorkflowDocument } from '../../workflow/workflow.entities';
import { Complexity, numericTransformer } from '../../vocabulary';

/** 服務任務單 (SPEC §3.2). The customer and department are the request's, copied so scopes are one-table conditions. */
@Entity()
/** the statistics' indexes (partial, with INCLUDE columns): made by migration Statistics1795800001000, known here so the schema check leaves them */
@Index('ix_service_task_assignee_completed', { synchronize: false })
/** a technician's tasks as helper (GIN, `helper_ids @> ARRAY[worker]`): migration KpiSpeed1795800004000 */
@Index('ix_service_task_helpers', { synchronize: false })
@Index('ix_service_task_id_assignee', { synchronize: false })
export class ServiceTask extends WorkflowDocument {
  // the relation names its target by entity name: a document folder imports no other document's folder
  @ManyToOne('ServiceRequest', { nullable: false }) @JoinColumn() request?: unknown;
  @Index() @Column('uuid') requestId: string;
  @ManyToOne(() => Customer, { nullable: false }) @JoinColumn() customer?: Customer;
  @Index() @Column('uuid') customerId: string;
  @ManyToOne(() => Department, { nullable: false }) @JoinColumn() department?: Department;
  @Index() @Column('uuid') departmentId: string;
  @Column('text', { nullable: true }) description: string | null;
  @ManyToOne(() => User, { nullable: true }) @JoinColumn() assignee?: User | null;
  @Index() @Column('uuid', { nullable: true }) assigneeId: string | null;
  @Column('uuid', { array: true, default: '{}' }) helperIds: string[];
  @Column('timestamptz', { nullable: true }) plannedStart: Date | null;
  @Column('timestamptz', { nullable: true }) plannedEnd: Date | null;
  /** tools, materials, helpers needed */
  @Column('text', { nullable: true }) resources: string | null;
  /** the task's amount for the approval tier */
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: numericTransformer }) estimatedCost: number | null;
  @Column('text', { default: Complexity.STANDARD }) complexity: Complexity;
  /** computed at SUBMIT, recomputed when amount, customer or complexity change (SPEC §2) */
  @Column('text', { nullable: true }) tier: string | null;
  /** +1 each time the task goes (back) for approval; signatures belong to a round */
  @Column('int', { default: 0 }) approvalRound: number;
  @Column('text', { nullable: true }) rejectionReason: string | null;
  @Column('text', { nullable: true }) disputeReason: string | null;
  @Column('text', { nullable: true }) cancellationReason: string | null;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { nullable: true }) approvedAt: Date | null;
  @Column('timestamptz', { nullable: true }) confirmedAt: Date | null;
  /** the actual start (START) */
  @Column('timestamptz', { nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  @Column('timestamptz', { nullable: true }) completedAt: Date | null;
  /**
   * The customer's consent to the quote (SPEC §3.2, seed 004): a chargeable task (not under warranty) has a
   * quoted price — what the customer pays, distinct from the staff-only estimated cost — and starts only
   * with the customer's consent to the price and times as they are now. The consent is a snapshot of those
   * terms: a later change of the price or times leaves it standing for the old terms only, so START asks again.
   */
  @Column('boolean', { default: false }) chargeable: boolean;
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: numericTransformer }) quotedPrice: number | null;
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: numericTransformer }) consentedPrice: number | null;
  @Column('timestamptz', { nullable: true }) consentedStart: Date | null;
  @Column('timestamptz', { nullable: true }) consentedEnd: Date | null;
  @Column('timestamptz', { nullable: true }) consentedAt: Date | null;
  /** who consented: the portal user, or the person an agent names for consent given by phone or on paper */
  @Column('text', { nullable: true }) consentSignerName: string | null;
  @Column('text', { nullable: true }) consentChannel: string | null;
  @Column('uuid', { nullable: true }) consentRecordedById: string | null;
  @Column('text', { nullable: true }) declineReason: string | null;
  @Column('timestamptz', { nullable: true }) declinedAt: Date | null;
  /**
   * The dispatch notice (售後服務通知單, SPEC §3.10): issued by a named agent for an approved task, with its own
   * number (DN-2026-000123), the urgency and the region it was dispatched with; returned when the field report
   * comes back filled in (the task's FINISH).
   */
  @Index({ unique: true, where: 'dispatch_number IS NOT NULL' }) @Column('text', { nullable: true }) dispatchNumber: string | null;
  @Column('timestamptz', { nullable: true }) dispatchedAt: Date | null;
  @Column('uuid', { nullable: true }) dispatchedById: string | null;
  @Column('text', { nullable: true }) dispatchAgentName: string | null;
  @Column('text', { nullable: true }) dispatchUrgency: string | null;
  @ManyToOne('Region', { nullable: true }) @JoinColumn() dispatchRegion?: unknown;
  @Column('text', { nullable: true }) dispatchRegionCode: string | null;
  @Column('text', { nullable: true }) dispatchNote: string | null;
  @Column('timestamptz', { nullable: true }) dispatchReturnedAt: Date | null;
  /** the assignee's latest recorded contact with the customer (SPEC §3.10): when, how, and the visit agreed */
  @Column('timestamptz', { nullable: true }) customerContactedAt: Date | null;
  @Column('text', { nullable: true }) customerContactChannel: string | null;
  @Column('text', { nullable: true }) customerContactPerson: string | null;
  @Column('timestamptz', { nullable: true }) agreedVisitAt: Date | null;
  @Column('text', { nullable: true }) agreedVisitPlace: string | null;
  @Column('timestamptz', { nullable: true }) contactRecordedAt: Date | null;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
}
