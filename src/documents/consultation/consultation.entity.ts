import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Customer, User } from '../../organisation/organisation.entities';
import { Channel } from '../../vocabulary';
import { WorkflowDocument } from '../../workflow/workflow.entities';

/** What CONVERT hands the new service request (kept on the consultation: its history shows what was asked for). */
export interface ConversionDetails {
  category: string;
  serviceType: string;
  description: string;
  contactName: string | null;
  contactPhone: string | null;
  address: string | null;
  /** ISO timestamps */
  expectedFrom: string | null;
  expectedTo: string | null;
  urgency: string;
}

/** 諮詢 (SPEC §3.8). */
@Entity()
@Index('ix_consultation_customer_created', ['customerId', 'createdAt'])
@Index('ix_consultation_state_created', ['state', 'createdAt'])
/** the statistics' indexes (partial, with INCLUDE columns): made by migration Statistics1795800001000, known here so the schema check leaves them */
@Index('ix_consultation_created_kpi', { synchronize: false })
export class Consultation extends WorkflowDocument {
  @ManyToOne(() => Customer, { nullable: false }) @JoinColumn() customer?: Customer;
  @Column('uuid') customerId: string;
  @Column('text') channel: Channel;
  @Column('text', { nullable: true }) topic: string | null;
  @Column('text') question: string;
  @Column('text', { nullable: true }) contactName: string | null;
  @Column('text', { nullable: true }) contactPhone: string | null;
  /** the latest answer (ANSWER on the spot, or REPLY after checking) */
  @Column('text', { nullable: true }) answer: string | null;
  @Column('timestamptz', { nullable: true }) answeredAt: Date | null;
  /** the first reply: an answer on the spot, or the promise to reply (SPEC §8 first response time) */
  @Column('timestamptz', { nullable: true }) firstRepliedAt: Date | null;
  /** DEFER: when the customer was promised a reply, and what will be checked */
  @Column('timestamptz', { nullable: true }) promisedReplyAt: Date | null;
  @Column('text', { nullable: true }) deferralNote: string | null;
  /** REPORT_UNSATISFIED: why the answer did not satisfy */
  @Column('text', { nullable: true }) dissatisfactionReason: string | null;
  /** the agent's internal note; never shown to portal users */
  @Column('text', { nullable: true }) internalNote: string | null;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;
  /** CONVERT: the service request opened from it (its id is chosen here; the request is written by the reaction in the same transaction) */
  @ManyToOne('ServiceRequest', { nullable: true, deferrable: 'INITIALLY DEFERRED' }) @JoinColumn() convertedRequest?: unknown;
  @Column('uuid', { nullable: true }) convertedRequestId: string | null;
  @Column('jsonb', { nullable: true }) conversionDetails: ConversionDetails | null;
  @Column('timestamptz', { nullable: true }) convertedAt: Date | null;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
}
