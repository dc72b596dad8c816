import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ChainedEvent } from '../workflow/workflow.entities';

/**
 * A policy setting as versioned data (issue #14): the executive threshold, the deadline lengths, retention, the
 * scorecard's weights. The environment gives only the first value (src/config/settings.ts writes it on an empty
 * table); from then on ADMIN changes it with `changeSetting`, each change a new version with who, when and why.
 */
@Entity()
export class Setting {
  @PrimaryColumn('text') key: string;
  @Column('jsonb') value: unknown;
  /** 1 for the environment's initial value, +1 per change */
  @Column('int') version: number;
  /** null: the initial value, from the environment */
  @Column('uuid', { nullable: true }) changedById: string | null;
  @Column('text', { nullable: true }) changedByName: string | null;
  @Column('timestamptz') changedAt: Date;
  @Column('text', { nullable: true }) reason: string | null;
}

/**
 * The administration's audit trail (SPEC §6 for admin changes): append-only (the app role may only INSERT and
 * SELECT), one hash chain over every admin change, sealed and verified by the documents' chain code
 * (src/workflow/audit.ts) — an admin change is hashed as an event of the subject it changed.
 */
@Entity()
@Unique('uq_admin_audit_event_seq', ['seq'])
export class AdminAuditEvent extends ChainedEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  /** 1, 2, 3 … over the whole trail, no gaps */
  @Column('int') seq: number;
  /** what was changed: User, Department, Customer, ApiToken, Setting, or a document type whose tier was recomputed */
  @Column('text') subjectType: string;
  /** its id (a setting's key) */
  @Column('text') subjectId: string;
  /** e.g. CREATE_USER, CHANGE_SETTING, RECOMPUTE_TIER */
  @Column('text') event: string;
  /** the chain code's hash version (src/workflow/audit.ts) */
  @Column('smallint') hashVersion: number;
}
