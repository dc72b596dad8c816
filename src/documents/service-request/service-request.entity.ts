import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { WorkflowDocument } from '../../workflow/workflow.entities';
import { numericTransformer } from '../../vocabulary';
import { Channel, Complexity, ServiceCategory, ServiceType, Urgency } from './service-request.enums';


@Entity()
@Index('ix_service_request_customer_created', ['customerId', 'createdAt'])
@Index('ix_service_request_state_created', ['state', 'createdAt'])
/** filtered lists and statistics: department, state and period together (SPEC §8) */
@Index('ix_service_request_department_state_created', ['targetDepartmentId', 'state', 'createdAt'])
/** the statistics' indexes (partial, with INCLUDE columns): made by migration Statistics1795800001000, known here so the schema check leaves them */
@Index('ix_service_request_submitted_kpi', { synchronize: false })
@Index('ix_service_request_closed_kpi', { synchronize: false })
@Index('ix_service_request_return_visit_kpi', { synchronize: false })
/** the service-type filter's semi-join and a department's periods: migration KpiSpeed1795800004000 */
@Index('ix_service_request_type_kpi', { synchronize: false })
@Index('ix_service_request_department_submitted_kpi', { synchronize: false })
@Index('ix_service_request_department_closed_kpi', { synchronize: false })
@Index('ix_service_request_department_return_visit_kpi', { synchronize: false })
export class ServiceRequest extends WorkflowDocument {
  @ManyToOne(() => Customer, { nullable: false }) @JoinColumn() customer?: Customer;
  @Column('uuid') customerId: string;
  @Column('text', { nullable: true }) contactName: string | null;
  @Column('text', { nullable: true }) contactPhone: string | null;
  @Column('text', { nullable: true }) address: string | null;
  @Column('text') channel: Channel;
  @Column('text') category: ServiceCategory;
  @Column('text') serviceType: ServiceType;
  @Column('text', { nullable: true }) description: string | null;
  @Column('timestamptz', { nullable: true }) expectedFrom: Date | null;
  @Column('timestamptz', { nullable: true }) expectedTo: Date | null;
  @Column('text', { default: Urgency.NORMAL }) urgency: Urgency;
  /** 2 for CRITICAL, 1 for URGENT, 0 for NORMAL: sorts review queues */
  @Column('smallint', { default: 0 }) urgencyRank: number;
  @Column('text', { nullable: true }) specialRequirements: string | null;
  @Column('numeric', { precision: 8, scale: 1, nullable: true, transformer: numericTransformer }) siteDistanceKm: number | null;
  /** the service region (SPEC §3.10): given, or the customer's site region */
  @ManyToOne('Region', { nullable: true }) @JoinColumn() region?: unknown;
  @Column('text', { nullable: true }) regionCode: string | null;
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: numericTransformer }) estimatedAmount: number | null;
  @Column('text', { default: Complexity.STANDARD }) complexity: Complexity;
  @ManyToOne(() => Department, { nullable: true }) @JoinColumn() targetDepartment?: Department | null;
  @Index() @Column('uuid', { nullable: true }) targetDepartmentId: string | null;
  /** the agent's internal assessment; never shown to portal users */
  @Column('text', { nullable: true }) internalNote: string | null;
  /** what the customer must add or fix (RETURN) */
  @Column('text', { nullable: true }) returnReason: string | null;
  @Column('text', { nullable: true }) rejectionReason: string | null;
  @Column('text', { nullable: true }) cancellationReason: string | null;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;
  /** 回訪 (SPEC §4): the agent's return visit after completion, and the customer's satisfaction then */
  @Column('timestamptz', { nullable: true }) returnVisitAt: Date | null;
  @Column('text', { nullable: true }) returnVisitSatisfaction: string | null;
  @Column('text', { nullable: true }) returnVisitNote: string | null;
  /** what the follow-up of a low satisfaction did */
  @Column('text', { nullable: true }) followUpNote: string | null;
  @Column('timestamptz', { nullable: true }) followUpClosedAt: Date | null;
  /** the equipment and fault the request is about (SPEC §3.10): serial and fault code trimmed and upper-cased */
  @Column('text', { nullable: true }) equipmentModel: string | null;
  @Column('text', { nullable: true }) equipmentSerial: string | null;
  @Column('text', { nullable: true }) faultCode: string | null;
  /**
   * The same fault on the same equipment of the same customer, repaired with a customer-signed report whose
   * post-repair warranty still ran when this request was submitted: repaired free (seed 004 質保期內相同故障免費維修)
   */
  @Column('boolean', { default: false }) freeRepeatRepair: boolean;
  @ManyToOne('ServiceRequest', { nullable: true }) @JoinColumn() repeatOfRequest?: unknown;
  @Column('uuid', { nullable: true }) repeatOfRequestId: string | null;
  @ManyToOne('ServiceRecord', { nullable: true }) @JoinColumn() repeatOfRecord?: unknown;
  @Column('uuid', { nullable: true }) repeatOfRecordId: string | null;
  @ManyToOne(() => User, { nullable: false }) @JoinColumn() createdBy?: User;
  /** the consultation it was converted from (SPEC §3.8); the request is then created by the system */
  @ManyToOne('Consultation', { nullable: true }) @JoinColumn() consultation?: unknown;
  @Column('uuid', { nullable: true }) consultationId: string | null;
}
