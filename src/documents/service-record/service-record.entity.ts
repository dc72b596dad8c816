import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../../organisation/organisation.entities';
import { WorkflowDocument } from '../../workflow/workflow.entities';
import { EntryKind, SignOffChannel, SignOffMark, WarrantyCoverage } from './service-record.enums';

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

/** 三包 check of a repair (seed 003 §3.4.2 C: 核對是否屬於三包範圍, 檢查是否被拆過, 記錄運行時間、運行里程): the warranty evidence, staff only */
export interface WarrantyCheckData {
  coverage: WarrantyCoverage;
  /** the faulty part had been taken apart before the visit */
  dismantled: boolean;
  runningHours: number | null;
  mileageKm: number | null;
  checkedById: string;
  checkedAt: string;
}

/** A fault the repair fixed, on one piece of equipment, with its post-repair warranty (seed 004 質保跟踪) */
export interface RepairedFaultData {
  seq: number;
  /** upper-cased, trimmed: the key a later request is matched on, with the equipment serial and the customer */
  faultCode: string;
  description: string;
  equipmentModel: string;
  /** upper-cased, trimmed */
  equipmentSerial: string;
  warrantyDays: number;
  /** the repair's end + warrantyDays, stamped when the customer signs the report (null before: no valid report, no warranty) */
  warrantyUntil: string | null;
}

/** 服務記錄單 (SPEC §3.3): one visit of a task. Request, department and customer are the task's, copied for scopes. */
@Entity()
/** the statistics' indexes (partial, with INCLUDE columns): made by migration Statistics1795800001000, known here so the schema check leaves them */
@Index('ix_service_record_submitted_kpi', { synchronize: false })
/** GIN (jsonb_path_ops) on repaired_faults, for matching a later request's fault: migration FieldReportSignOff1796000100000 */
@Index('ix_service_record_repaired_faults', { synchronize: false })
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
  /** the technician's return to the company (seed 002 §4.5.6): the filing deadline runs from it */
  @Column('timestamptz', { nullable: true }) returnedAt: Date | null;
  /** the customer's sign-off (SPEC §3.3): when the customer signed; read by SQL elsewhere (write-off of warranty parts) */
  @Column('timestamptz', { nullable: true }) customerSignedAt: Date | null;
  @Column('text', { nullable: true }) customerSignerName: string | null;
  @Column('text', { nullable: true }) customerSignChannel: SignOffChannel | null;
  @Column('text', { nullable: true }) customerSignMark: SignOffMark | null;
  /** the signature or the seal's impression (the scan of the signed page, or the portal's image) */
  @Column('jsonb', { nullable: true }) customerSignature: AttachmentData | null;
  /** who put the sign-off on the record: the portal user, or the agent who recorded the paper */
  @Column('uuid', { nullable: true }) customerSignRecordedById: string | null;
  @Column('timestamptz', { nullable: true }) customerSignRecordedAt: Date | null;
  /** a repair's 三包 check (staff only) */
  @Column('jsonb', { nullable: true }) warrantyCheck: WarrantyCheckData | null;
  /** a repair's repaired faults, each with its post-repair warranty */
  @Column('jsonb', { default: [] }) repairedFaults: RepairedFaultData[];
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
