import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A mutation request sent with an Idempotency-Key: claimed before it runs,
 * its response kept for 24 hours so a retry gets the same answer.
 */
@Entity()
export class IdempotencyRecord {
  @PrimaryColumn('uuid') callerId: string;
  @PrimaryColumn('text') key: string;
  /** sha256 of the canonical request (query, variables, operation name) */
  @Column('text') requestHash: string;
  /** RUNNING while the first request runs; DONE with its response after */
  @Column('text') status: 'RUNNING' | 'DONE';
  @Column('int', { nullable: true }) responseStatus: number | null;
  @Column('text', { nullable: true }) responseBody: string | null;
  /** set in the mutation's own transaction (markApplied): present exactly when something it did committed */
  @Column('timestamptz', { nullable: true }) appliedAt: Date | null;
  @Column('timestamptz') createdAt: Date;
  @Index() @Column('timestamptz') expiresAt: Date;
}
