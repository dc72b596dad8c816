/**
 * Field service as the seeds run it (SPEC §3.10): service regions, the qualifications (持證上崗) a service
 * type needs, and the technicians' certificates. Organisation data, not documents: read by the service
 * task's facts with SQL, managed by ADMIN or the technician's department supervisor.
 */
import { Check, Column, CreateDateColumn, Entity, Index, Unique, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './organisation.entities';

/** A service region (a code such as EAST); requests, customers' sites and technicians carry one. Seeded by migration. */
@Entity()
export class Region {
  @PrimaryColumn('text') code: string;
  @Column('text') name: string;
}

/** A qualification a technician can be certified for (seed 002: 持證上崗). Seeded by migration. */
@Entity()
export class Qualification {
  @PrimaryColumn('text') code: string;
  @Column('text') name: string;
}

/** The qualification a service type needs (data: a service type absent here needs none). */
@Entity()
export class ServiceTypeQualification {
  /** a ServiceType value (REPAIR, INSTALLATION, …) */
  @PrimaryColumn('text') serviceType: string;
  @ManyToOne(() => Qualification, { nullable: false }) @JoinColumn() qualification?: Qualification;
  @Column('text') qualificationCode: string;
}

/**
 * A technician's certificate: valid from `validFrom` until `expiresAt` (exclusive), unless revoked. Rows are
 * never deleted (the app role may not): who recorded and who revoked, with when, stay on the row.
 */
@Entity()
@Index(['userId', 'qualificationCode'])
@Unique('UQ_technician_certificate_number', ['qualificationCode', 'certificateNumber'])
@Check('CHK_technician_certificate_period', '"expires_at" > "valid_from"')
export class TechnicianCertificate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() user?: User;
  @Column('uuid') userId: string;
  @ManyToOne(() => Qualification, { nullable: false }) @JoinColumn() qualification?: Qualification;
  @Column('text') qualificationCode: string;
  @Column('text') certificateNumber: string;
  @Column('timestamptz') validFrom: Date;
  @Column('timestamptz') expiresAt: Date;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() recordedBy?: User;
  @Column('uuid') recordedById: string;
  @CreateDateColumn({ type: 'timestamptz' }) recordedAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @ManyToOne(() => User, { nullable: true }) @JoinColumn() revokedBy?: User | null;
  @Column('uuid', { nullable: true }) revokedById: string | null;
  @Column('text', { nullable: true }) revokeReason: string | null;
}
