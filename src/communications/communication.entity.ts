import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Customer, Department, User } from '../organisation/organisation.entities';

/** How the customer was reached, or reached us (seed 002 §4.1.2: 服務電話記錄、服務傳真記錄、服務收件/發件記錄). */
export enum CommunicationChannel {
  PHONE = 'PHONE',
  FAX = 'FAX',
  LETTER = 'LETTER',
  EMAIL = 'EMAIL',
  VISIT = 'VISIT',
}

export enum CommunicationDirection {
  /** the customer called, wrote, came (來電、來函) */
  INBOUND = 'INBOUND',
  /** we called, wrote, visited (復電、復函、走訪) */
  OUTBOUND = 'OUTBOUND',
}

/**
 * One call, fax, letter, mail or visit with a customer (SPEC §3.10, seed 003 §3.5 來電來函處理記錄), logged by staff
 * against the customer and, where one exists, the document it was about. Staff only: no portal user reads it on
 * any path. Append-only for the application (no update or delete mutation; the migration grants INSERT, SELECT).
 */
@Entity()
@Index('ix_communication_log_customer_at', ['customerId', 'at', 'id'])
@Index('ix_communication_log_document_at', ['documentId', 'at', 'id'])
@Index('ix_communication_log_department_at', ['departmentId', 'at', 'id'])
export class CommunicationLogEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @ManyToOne(() => Customer, { nullable: false }) @JoinColumn() customer?: Customer;
  @Column('uuid') customerId: string;
  /** the document it was about (any type), or null */
  @Column('text', { nullable: true }) documentType: string | null;
  @Column('uuid', { nullable: true }) documentId: string | null;
  /** whose log it is: the document's owning department, else the department of who logged it (a supervisor reads their department's) */
  @ManyToOne(() => Department, { nullable: true }) @JoinColumn() department?: Department | null;
  @Column('uuid', { nullable: true }) departmentId: string | null;
  @Column('text') channel: CommunicationChannel;
  @Column('text') direction: CommunicationDirection;
  /** when the call, letter or visit took place */
  @Column('timestamptz') at: Date;
  /** who at the customer we spoke or wrote with */
  @Column('text') counterpartName: string;
  @Column('text') summary: string;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() loggedBy?: User;
  @Index() @Column('uuid') loggedById: string;
  @Column('timestamptz') loggedAt: Date;
}
