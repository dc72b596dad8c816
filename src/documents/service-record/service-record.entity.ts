import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../../organisation/organisation.entities';
import { WorkflowDocument } from '../../workflow/workflow.entities';
import { EntryKind } from './service-record.enums';

/** a file kept elsewhere: the record holds its description and checksum */
export interface AttachmentData {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  location: string;
  addedById: string;
  addedAt: string;
}

/** 服務記錄單 (SPEC §3.3): one visit of a task. Request, department and customer are the task's, copied for scopes. */
@Entity()
/** the statistics' indexes (partial, with INCLUDE columns): made by migration Statistics1795800001000, known here so the schema check leaves them */
@Index('ix_service_record_submitted_kpi', { synchronize: false })
export class ServiceRecord extends WorkflowDocument {
  @ManyToOne('ServiceTask', { nullable: false }) @JoinColumn() task?: unknown;
  @Index() @Column('uuid') taskId: string;
  @Column('uuid') requestId: string;
  @Index() @Column('uuid') departmentId: string;
  @Column('uuid') customerId: string;
  /** minute precision */
  @Column('timestamptz', { nullable: true }) actualStart: Date | null;
  @Column('timestamptz', { nullable: true }) actualEnd: Date | null;
  @Column('jsonb', { default: [] }) attachments: AttachmentData[];
  @Column('text', { nullable: true }) sendBackReason: string | null;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { nullable: true }) reviewedAt: Date | null;
  @Column('uuid', { nullable: true }) reviewedById: string | null;
  /** the customer's sign-off on the report (H1 adds the sign-off; the parts write-off reads this column) */
  @Column('timestamptz', { nullable: true }) customerSignedAt: Date | null;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
}

/** An appended entry. Its text lives in revisions: never edited in place. */
@Entity()
@Unique('uq_service_record_entry_seq', ['recordId', 'seq'])
export class ServiceRecordEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @ManyToOne(() => ServiceRecord, { nullable: false }) @JoinColumn() record?: ServiceRecord;
  @Index() @Column('uuid') recordId: string;
  @Column('int') seq: number;
  @Column('text') kind: EntryKind;
  @Column('uuid') authorId: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Revision 1 is the entry as written; each correction adds one, signed with who, when and why. */
@Entity()
@Unique('uq_service_record_entry_revision', ['entryId', 'revision'])
export class ServiceRecordEntryRevision {
  @PrimaryGeneratedColumn('uuid') id: string;
  @ManyToOne(() => ServiceRecordEntry, { nullable: false }) @JoinColumn() entry?: ServiceRecordEntry;
  @Index() @Column('uuid') entryId: string;
  @Column('int') revision: number;
  @Column('text') text: string;
  /** the author for revision 1, the corrector after */
  @Column('uuid') authorId: string;
  @Column('text') authorName: string;
  @Column('timestamptz') at: Date;
  /** why it was corrected (null for revision 1) */
  @Column('text', { nullable: true }) reason: string | null;
}
