import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One export of documents or figures (SPEC §7 confidentiality): who, what (the export, its parameters,
 * how many rows), why (the purpose the caller gave), when, and the request it came in on. Written before
 * the first byte of the export leaves the server; append-only (the app role may INSERT and SELECT only).
 */
@Entity()
@Index('ix_export_log_at', ['at', 'id'])
export class ExportLogEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** when the export was given out (the API's clock) */
  @Column('timestamptz') at: Date;
  @Column('uuid') userId: string;
  /** the caller's name and roles at the time (a user renamed later is still recognisable) */
  @Column('text') userName: string;
  @Column('text', { array: true }) roles: string[];
  /** e.g. service-requests, statistics */
  @Column('text') exportName: string;
  /** the document type of a document list; null for other exports */
  @Column('text', { nullable: true }) documentType: string | null;
  /** the filters as the caller gave them (URL parameters other than purpose) */
  @Column('jsonb', { default: {} }) parameters: Record<string, unknown>;
  @Column('text') purpose: string;
  /** rows in the export, counted in the same snapshot the rows are read from */
  @Column('integer') rowCount: number;
  @Column('text', { nullable: true }) requestId: string | null;
}
