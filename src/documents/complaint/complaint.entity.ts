import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { Channel, numericTransformer, Satisfaction } from '../../vocabulary';
import { WorkflowDocument } from '../../workflow/workflow.entities';
import { ComplaintCategory, ComplaintResponsibility, ComplaintSeverity } from './complaint.enums';

/**
 * 投訴 (SPEC §3.5). The times of each step are stamped for the statistics of SPEC §8: receipt (createdAt),
 * classification, assignment, first response (the first NOTIFY), resolution (the executive's approval),
 * close.
 */
@Entity()
@Index('ix_complaint_customer_created', ['customerId', 'createdAt'])
@Index('ix_complaint_state_created', ['state', 'createdAt'])
@Index('ix_complaint_department_state_created', ['departmentId', 'state', 'createdAt'])
/** the statistics' indexes (partial, with INCLUDE columns): made by migration Statistics1795800001000, known here so the schema check leaves them */
@Index('ix_complaint_created_kpi', { synchronize: false })
@Index('ix_complaint_resolved_kpi', { synchronize: false })
export class Complaint extends WorkflowDocument {
  @ManyToOne(() => Customer, { nullable: false }) @JoinColumn() customer?: Customer;
  @Column('uuid') customerId: string;
  /** how the complaint came in: ONLINE from the portal, any channel through customer service */
  @Column('text') channel: Channel;
  @Column('text') subject: string;
  @Column('text') description: string;
  /** the service request complained about, if any (same customer) */
  @ManyToOne('ServiceRequest', { nullable: true }) @JoinColumn() request?: unknown;
  @Index() @Column('uuid', { nullable: true }) requestId: string | null;

  // CLASSIFY
  @Column('text', { nullable: true }) category: ComplaintCategory | null;
  @Column('text', { nullable: true }) severity: ComplaintSeverity | null;
  @Column('timestamptz', { nullable: true }) classifiedAt: Date | null;
  /** customer service's internal notes; never shown to portal users */
  @Column('text', { nullable: true }) internalNote: string | null;

  // ASSIGN: the responsible department and its deadline (SPEC §4)
  @ManyToOne(() => Department, { nullable: true }) @JoinColumn() department?: Department | null;
  @Column('uuid', { nullable: true }) departmentId: string | null;
  @Column('timestamptz', { nullable: true }) assignedAt: Date | null;
  @Column('timestamptz', { nullable: true }) resolutionDueAt: Date | null;

  // INVESTIGATE, RESOLVE (the supervisor's proposal), APPROVE / REJECT (the executive)
  @Column('timestamptz', { nullable: true }) investigationStartedAt: Date | null;
  @Column('text', { nullable: true }) cause: string | null;
  @Column('text', { nullable: true }) responsibility: ComplaintResponsibility | null;
  @Column('text', { nullable: true }) remedy: string | null;
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: numericTransformer }) compensationAmount: number | null;
  @ManyToOne(() => User, { nullable: true }) @JoinColumn() resolvedBy?: User | null;
  @Column('uuid', { nullable: true }) resolvedById: string | null;
  @Column('timestamptz', { nullable: true }) resolutionProposedAt: Date | null;
  /** +1 at each RESOLVE; the executive's signatures belong to a round */
  @Column('int', { default: 0 }) approvalRound: number;
  @Column('text', { nullable: true }) rejectionReason: string | null;
  /** the latest approved resolution */
  @Column('timestamptz', { nullable: true }) resolvedAt: Date | null;

  // NOTIFY, the customer's answer
  @Column('text', { nullable: true }) notifiedVia: Channel | null;
  @Column('text', { nullable: true }) notificationNote: string | null;
  @Column('timestamptz', { nullable: true }) notifiedAt: Date | null;
  /** the first reply to the customer (SPEC §8 first response time): the first NOTIFY */
  @Column('timestamptz', { nullable: true }) firstResponseAt: Date | null;
  @Column('timestamptz', { nullable: true }) customerConfirmedAt: Date | null;
  @Column('text', { nullable: true }) unsatisfiedReason: string | null;
  /** how many times the customer reported the resolution unsatisfactory */
  @Column('int', { default: 0 }) reopenCount: number;

  // CLOSE: the return visit (回訪)
  @Column('text', { nullable: true }) followUpNote: string | null;
  @Column('text', { nullable: true }) satisfaction: Satisfaction | null;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;

  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
}
