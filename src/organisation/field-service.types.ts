import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/common.types';
import { SaneDate, Text } from '../graphql/validation';
import { ServiceType } from '../vocabulary';
import { UserType } from './organisation.types';

@ObjectType('Region', { description: 'A service region (SPEC §3.10): requests, customers\' sites and technicians carry one; dispatch takes it into account' })
export class RegionType {
  @Field() code: string;
  @Field() name: string;
}

@ObjectType('Qualification', { description: 'A qualification technicians are certified for (持證上崗, seed 002), and the service types that need it' })
export class QualificationType {
  @Field() code: string;
  @Field() name: string;
  @Field(() => [ServiceType], { description: 'the service types whose tasks need an assignee holding it' }) serviceTypes: ServiceType[];
}

@ObjectType('TechnicianCertificate', { description: 'Staff only. A technician\'s certificate of a qualification, valid from validFrom until expiresAt unless revoked; who recorded and who revoked it stay on it' })
export class TechnicianCertificateType {
  @Field(() => ID) id: string;
  @Field() qualificationCode: string;
  @Field() certificateNumber: string;
  @Field() validFrom: Date;
  @Field() expiresAt: Date;
  @Field({ description: 'valid now: not revoked, begun and not expired' }) valid: boolean;
  @Field(() => UserType, { nullable: true }) technician: unknown;
  @Field(() => UserType, { nullable: true }) recordedBy: unknown;
  @Field() recordedAt: Date;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field(() => UserType, { nullable: true }) revokedBy: unknown;
  @Field(() => String, { nullable: true }) revokeReason: string | null;
}

@ObjectType()
export class TechnicianCertificatePayload {
  @Field(() => TechnicianCertificateType, { nullable: true }) certificate: TechnicianCertificateType | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@InputType({ description: 'ADMIN, or a supervisor of the technician\'s department, records a certificate' })
export class RecordTechnicianCertificateInput {
  @Field(() => ID, { description: 'a technician (User)' }) technicianId: string;
  @Field({ description: 'a qualification code (qualifications)' }) @Text(40, { required: true }) qualificationCode: string;
  @Field() @Text(100, { required: true }) certificateNumber: string;
  @Field() @SaneDate() validFrom: Date;
  @Field({ description: 'exclusive: the certificate no longer counts from this instant' }) @SaneDate() expiresAt: Date;
}

@InputType({ description: 'ADMIN, or a supervisor of the technician\'s department, revokes a certificate; the reason is required' })
export class RevokeTechnicianCertificateInput {
  @Field(() => ID) id: string;
  @Field() @Text(2000, { required: true }) reason: string;
}
