import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Role, UserKind } from '../auth/roles';

export enum CustomerTier {
  STANDARD = 'STANDARD',
  KEY = 'KEY',
}

@Entity()
export class Department {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** short stable code, e.g. TECH */
  @Index({ unique: true }) @Column('text') code: string;
  @Column('text') name: string;
  @Column('boolean', { default: true }) active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity()
export class Customer {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column('text') code: string;
  @Column('text') name: string;
  @Column('text', { default: CustomerTier.STANDARD }) tier: CustomerTier;
  /** the service region of the customer's site (src/organisation/field-service.entities.ts); a request defaults to it */
  @ManyToOne('Region', { nullable: true }) @JoinColumn() region?: unknown;
  @Column('text', { nullable: true }) regionCode: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Index({ unique: true }) @Column('text') login: string;
  @Column('text', { default: UserKind.HUMAN }) kind: UserKind;
  @Column('text', { array: true, default: '{}' }) roles: Role[];
  @ManyToOne(() => Department, { nullable: true }) @JoinColumn() department?: Department | null;
  @Column('uuid', { nullable: true }) departmentId: string | null;
  @ManyToOne(() => Customer, { nullable: true }) @JoinColumn() customer?: Customer | null;
  @Column('uuid', { nullable: true }) customerId: string | null;
  /** a technician's service region (dispatch by region, SPEC §3.10) */
  @ManyToOne('Region', { nullable: true }) @JoinColumn() region?: unknown;
  @Column('text', { nullable: true }) regionCode: string | null;
  @Column('boolean', { default: true }) active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Bearer tokens are stored as SHA-256 hashes; the token itself is shown once. */
@Entity()
export class ApiToken {
  @PrimaryGeneratedColumn('uuid') id: string;
  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' }) @JoinColumn() user?: User;
  @Index() @Column('uuid') userId: string;
  @Index({ unique: true }) @Column('text') tokenHash: string;
  @Column('text') label: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  /** set when the token was rotated: it keeps working until then (the overlap window), and is refused after */
  @Column('timestamptz', { nullable: true }) expiresAt: Date | null;
  /** who issued it (null: seeded) */
  @Column('uuid', { nullable: true }) issuedById: string | null;
}
