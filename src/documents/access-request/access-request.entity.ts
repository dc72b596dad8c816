import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Department } from '../../organisation/organisation.entities';
import { WorkflowDocument } from '../../workflow/workflow.entities';

export enum AccessTargetKind {
  DOCUMENT = 'DOCUMENT',
  DEPARTMENT = 'DEPARTMENT',
}

@Entity()
@Index('ix_access_request_active_grants', ['createdById', 'state', 'grantedUntil'])
export class AccessRequest extends WorkflowDocument {
  @Column('text') targetKind: AccessTargetKind;
  /** for a DOCUMENT target: its type and id */
  @Column('text', { nullable: true }) documentType: string | null;
  @Column('uuid', { nullable: true }) documentId: string | null;
  /** for a DEPARTMENT target: every document of that department */
  @ManyToOne(() => Department, { nullable: true }) @JoinColumn() department?: Department | null;
  @Column('uuid', { nullable: true }) departmentId: string | null;
  /** whose supervisors decide: the target department, or the document's department */
  @Index() @Column('uuid', { nullable: true }) owningDepartmentId: string | null;
  @Column('text') purpose: string;
  @Column('int') requestedDays: number;
  @Column('timestamptz', { nullable: true }) grantedUntil: Date | null;
  @Column('text', { nullable: true }) decisionReason: string | null;
  @Column('uuid', { nullable: true }) decidedById: string | null;
}

/** One read made through a grant (SPEC §3.7: every read through a grant is logged). Append-only. */
@Entity()
export class AccessLogEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Index() @Column('uuid') accessRequestId: string;
  @Column('uuid') readerId: string;
  @Column('text') documentType: string;
  @Index() @Column('uuid') documentId: string;
  @Column('timestamptz') at: Date;
  @Column('text', { nullable: true }) requestId: string | null;
}
