import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Department, User } from '../../organisation/organisation.entities';
import { WorkflowDocument } from '../../workflow/workflow.entities';

/** One item of a plan (seed 002 §4.4: goals, measures, visits, patrol maintenance, training …; §4.9: parts to stock). */
export interface PlanItemData {
  title: string;
  detail: string | null;
  /** pieces, for a spare-parts line */
  quantity: number | null;
  /** the month of the plan's year it is scheduled for */
  month: number | null;
}

/**
 * 售後服務情況報表 / 售後服務計劃 (SPEC §3.9, seed 002). The period is derived from kind + year (+ month or
 * half) and stored as inclusive dates in the business timezone. `figures` is written once, by CREATE, and
 * never recomputed. One live document per kind, period, department and customer group: the partial unique
 * index below (a cancelled one frees its slot).
 */
@Entity()
@Index('ix_service_report_department_state_created', ['departmentId', 'state', 'createdAt'])
@Index('uq_service_report_period', ['kind', 'periodFrom', 'departmentId', 'customerGroupKey'], { unique: true, where: '"cancelled_at" IS NULL' })
export class ServiceReport extends WorkflowDocument {
  @Column('text') kind: string;
  @Column('int') year: number;
  /** MONTHLY only */
  @Column('int', { nullable: true }) month: number | null;
  /** HALF_YEARLY only: 1 or 2 */
  @Column('int', { nullable: true }) half: number | null;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @ManyToOne(() => Department, { nullable: false }) @JoinColumn() department?: Department;
  @Column('uuid') departmentId: string;
  /** the customer group (按用戶分類): its customers, sorted; empty for the whole department */
  @Column('uuid', { array: true, default: '{}' }) customerIds: string[];
  @Column('text', { nullable: true }) customerGroupName: string | null;
  /** '' or a digest of the sorted customer ids: the group's part of the uniqueness key */
  @Column('text', { default: '' }) customerGroupKey: string;
  @Column('text', { nullable: true }) title: string | null;
  /** the department's analysis (reports) or the plan's aims and measures (plans) */
  @Column('text', { nullable: true }) summary: string | null;
  /** frozen at CREATE from the statistics (reports only); null for plans */
  @Column('jsonb', { nullable: true }) figures: Record<string, unknown> | null;
  @Column('timestamptz', { nullable: true }) figuresAsOf: Date | null;
  @Column('jsonb', { default: [] }) planItems: PlanItemData[];
  /** +1 at each SUBMIT; signatures belong to a round */
  @Column('int', { default: 0 }) approvalRound: number;
  @Column('uuid', { nullable: true }) submittedById: string | null;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('uuid', { nullable: true }) reviewedById: string | null;
  @Column('timestamptz', { nullable: true }) reviewedAt: Date | null;
  @Column('uuid', { nullable: true }) issuedById: string | null;
  @Column('timestamptz', { nullable: true }) issuedAt: Date | null;
  @Column('text', { nullable: true }) sendBackReason: string | null;
  @Column('text', { nullable: true }) cancellationReason: string | null;
  @Column('timestamptz', { nullable: true }) cancelledAt: Date | null;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
}
