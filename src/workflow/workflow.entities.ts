import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/**
 * What every workflow document has. `state` is written only by the engine,
 * after the document's machine allowed the event; `version` counts events.
 */
export abstract class WorkflowDocument {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** human-readable, unique per type and year: SR-2026-000123 */
  @Column('text', { unique: true }) number: string;
  @Column('text') state: string;
  @Column('int') version: number;
  @Column('uuid') createdById: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * What every hash-chained trail records of one change (src/workflow/audit.ts seals and verifies it): who, when,
 * why, what changed, and the chain — the documents' audit trail and the admin trail (src/admin) both.
 */
export abstract class ChainedEvent {
  @Column('uuid') actorId: string;
  @Column('text') actorName: string;
  @Column('text', { array: true }) actorRoles: string[];
  @Column('timestamptz') at: Date;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('jsonb', { default: {} }) changes: Record<string, { from: unknown; to: unknown }>;
  @Column('text', { nullable: true }) requestId: string | null;
  @Column('text', { nullable: true }) prevHash: string | null;
  @Column('text') hash: string;
  /** v2: { field: sha256(salt + canonical value) }, the reason under `$reason`; covered by the hash */
  @Column('jsonb', { nullable: true }) digests: Record<string, string> | null;
  /** v2: the random salt of each digest; a purge removes the salts of the values it removes (not hashed) */
  @Column('jsonb', { nullable: true }) salts: Record<string, string> | null;
}

/**
 * The audit trail (SPEC §6): append-only, hash-chained per document. `hash`
 * covers the canonical content and `prevHash`, so altering any event breaks
 * every later link.
 */
@Entity()
@Unique('uq_audit_event_document_seq', ['documentId', 'seq'])
export class AuditEvent extends ChainedEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text') documentType: string;
  @Index() @Column('uuid') documentId: string;
  /** 1, 2, 3 … per document, no gaps */
  @Column('int') seq: number;
  @Column('text') event: string;
  @Column('text', { nullable: true }) fromState: string | null;
  @Column('text') toState: string;
  /** the document's version after the event */
  @Column('int') version: number;
  @Column('text', { nullable: true }) idempotencyKey: string | null;
  /**
   * 1: `hash` covers `reason` and `changes` as they are (events written before records control).
   * 2: `hash` covers `digests` instead — one salted digest per changed field and one for the reason — so a
   * purge can remove the personal values (and their salts) and the chain still verifies (src/workflow/audit.ts).
   */
  @Column('smallint', { default: 1 }) hashVersion: number;
  /** the seq of the PURGE event that removed personal values from this event (not hashed: set by the redaction) */
  @Column('int', { nullable: true }) redactedBySeq: number | null;
}

/** The last number given out per prefix and year. */
@Entity()
export class DocumentCounter {
  @PrimaryColumn('text') prefix: string;
  @PrimaryColumn('int') year: number;
  @Column('int') last: number;
}
