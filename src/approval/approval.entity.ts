import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a signature says. ENDORSE is the supervisor's step on an executive-tier document. */
export enum SignatureDecision {
  APPROVE = 'APPROVE',
  ENDORSE = 'ENDORSE',
  REJECT = 'REJECT',
}

/** The step of an approval a signature belongs to. */
export enum ApprovalStep {
  SUPERVISOR = 'SUPERVISOR',
  EXECUTIVE = 'EXECUTIVE',
}

/**
 * Every signature on every approvable document (SPEC §2): who, in which role,
 * when, with what comment, in which approval round. Append-only, written in
 * the same transaction as the event that carries it.
 */
@Entity()
@Index('ix_approval_signature_document_round', ['documentId', 'round'])
export class ApprovalSignature {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') documentType: string;
  @Column('uuid') documentId: string;
  /** 1 for the first submission, +1 each time the document goes (back) for approval */
  @Column('int') round: number;
  @Column('text') step: ApprovalStep;
  @Column('text') decision: SignatureDecision;
  /** the tier the document had when signed */
  @Column('text') tier: string;
  @Column('uuid') signerId: string;
  @Column('text') signerName: string;
  /** the role the signer signed in (SUPERVISOR or EXECUTIVE) */
  @Column('text') signerRole: string;
  @Column('timestamptz') at: Date;
  @Column('text', { nullable: true }) comment: string | null;
}
