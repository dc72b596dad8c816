import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { WorkflowDocument } from '../../workflow/workflow.entities';
import { Satisfaction } from './service-acceptance.enums';

/** 服務驗收單 (SPEC §3.4): one round of a task's acceptance. Request, customer and department are the task's, copied for scopes. */
@Entity()
@Unique('uq_service_acceptance_task_round', ['taskId', 'round'])
/** the statistics' indexes (partial, with INCLUDE columns): made by migration Statistics1795800001000, known here so the schema check leaves them */
@Index('ix_service_acceptance_signed_kpi', { synchronize: false })
@Index('ix_service_acceptance_failed_request', { synchronize: false })
@Index('ix_service_acceptance_failed_task', { synchronize: false })
/** a department's acceptance rounds of a period: migration KpiSpeed1795800004000 */
@Index('ix_service_acceptance_department_signed_kpi', { synchronize: false })
export class ServiceAcceptance extends WorkflowDocument {
  @ManyToOne('ServiceTask', { nullable: false }) @JoinColumn() task?: unknown;
  @Index() @Column('uuid') taskId: string;
  @Column('uuid') requestId: string;
  @Index() @Column('uuid') customerId: string;
  @Column('uuid') departmentId: string;
  /** 1, 2, …: a failed round and the rectification open the next */
  @Column('int') round: number;
  @Column('text', { array: true, default: '{}' }) itemsConfirmed: string[];
  @Column('smallint', { nullable: true }) qualityScore: number | null;
  @Column('text', { nullable: true }) satisfaction: Satisfaction | null;
  @Column('text', { nullable: true }) comment: string | null;
  /** the person who signed (on paper, when an agent records it) */
  @Column('text', { nullable: true }) signerName: string | null;
  @Column('timestamptz', { nullable: true }) signedAt: Date | null;
  @Column('uuid', { nullable: true }) signedById: string | null;
  /** what failed (FAIL) */
  @Column('text', { nullable: true }) issues: string | null;
  /** why customer service doubts the sign-off (QUERY) */
  @Column('text', { nullable: true }) queryReason: string | null;
  @Column('timestamptz', { nullable: true }) verifiedAt: Date | null;
}
