import { IsNumber, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { SaneDate, Text } from '../../graphql/validation';
import { Channel, Complexity, ServiceCategory, ServiceRequestState, ServiceType, Urgency } from './service-request.enums';
import { Satisfaction } from '../../vocabulary';

@ObjectType('ServiceRequest', { implements: Node, description: '服務申請單 — a customer\'s service request (SPEC §3.1)' })
export class ServiceRequestType extends Node {
  @Field({ description: 'SR-2026-000123' }) number: string;
  @Field(() => ServiceRequestState) state: ServiceRequestState;
  @Field(() => Int, { description: 'increments with every event; pass it as expectedVersion' }) version: number;
  @Field(() => String, { nullable: true }) contactName: string | null;
  @Field(() => String, { nullable: true }) contactPhone: string | null;
  @Field(() => String, { nullable: true }) address: string | null;
  @Field(() => Channel) channel: Channel;
  @Field(() => ServiceCategory) category: ServiceCategory;
  @Field(() => ServiceType) serviceType: ServiceType;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Date, { nullable: true }) expectedFrom: Date | null;
  @Field(() => Date, { nullable: true }) expectedTo: Date | null;
  @Field(() => Urgency) urgency: Urgency;
  @Field(() => String, { nullable: true }) specialRequirements: string | null;
  @Field(() => Float, { nullable: true }) siteDistanceKm: number | null;
  @Field(() => String, { nullable: true, description: 'the service region\'s code (regions): given, or the customer\'s site region' }) regionCode: string | null;
  @Field(() => Float, { nullable: true, description: 'Staff only (null for portal users). CNY' })
  estimatedAmount: number | null;
  @Field(() => Complexity, { nullable: true, description: 'Staff only (null for portal users)' })
  complexity: Complexity | null;
  @Field(() => String, { nullable: true, description: 'Staff only (null for portal users)' })
  internalNote: string | null;
  @Field(() => String, { nullable: true, description: 'what the customer must add or fix' }) returnReason: string | null;
  @Field(() => String, { nullable: true }) rejectionReason: string | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true }) acceptedAt: Date | null;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
  @Field(() => Date, { nullable: true, description: '回訪: when customer service visited or called back after completion' }) returnVisitAt: Date | null;
  @Field(() => Satisfaction, { nullable: true, description: 'the customer\'s satisfaction at the return visit' }) returnVisitSatisfaction: Satisfaction | null;
  @Field(() => String, { nullable: true }) returnVisitNote: string | null;
  @Field(() => String, { nullable: true, description: 'what the follow-up of a low satisfaction did' }) followUpNote: string | null;
  @Field(() => Date, { nullable: true }) followUpClosedAt: Date | null;
  @Field(() => String, { nullable: true }) equipmentModel: string | null;
  @Field(() => String, { nullable: true, description: 'upper-cased' }) equipmentSerial: string | null;
  @Field(() => String, { nullable: true, description: 'upper-cased' }) faultCode: string | null;
  @Field({ description: 'the same fault on the same equipment was repaired for this customer and its post-repair warranty still ran when this request was submitted: the repair is free (repeatOf, repeatOfRecord)' })
  freeRepeatRepair: boolean;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

/** The fields a customer or agent describes; shared by create, update and resubmit. */
@InputType('ServiceRequestDetailsInput')
abstract class RequestDetails {
  @Field(() => String, { nullable: true }) @Text(100) contactName?: string | null;
  @Field(() => String, { nullable: true }) @Text(40) contactPhone?: string | null;
  @Field(() => String, { nullable: true }) @Text(500) address?: string | null;
  @Field(() => ServiceCategory, { nullable: true }) category?: ServiceCategory;
  @Field(() => ServiceType, { nullable: true }) serviceType?: ServiceType;
  @Field(() => String, { nullable: true }) @Text(5000) description?: string | null;
  @Field(() => Date, { nullable: true }) @SaneDate() expectedFrom?: Date | null;
  @Field(() => Date, { nullable: true }) @SaneDate() expectedTo?: Date | null;
  @Field(() => Urgency, { nullable: true }) urgency?: Urgency;
  @Field(() => String, { nullable: true }) @Text(2000) specialRequirements?: string | null;
  @Field(() => Float, { nullable: true }) @IsNumber({ maxDecimalPlaces: 1 }, { message: '$property must be a number with at most 1 decimal' }) @Min(0) @Max(100_000) siteDistanceKm?: number | null;
  @Field(() => String, { nullable: true, description: 'the service region\'s code (regions); the customer\'s site region when left out at creation' }) @Text(40) regionCode?: string | null;
  @Field(() => Float, { nullable: true, description: 'staff only' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '$property must be a number with at most 2 decimals' })
  @Min(0)
  @Max(999_999_999_999)
  estimatedAmount?: number | null;
  @Field(() => Complexity, { nullable: true, description: 'staff only' }) complexity?: Complexity;
  @Field(() => String, { nullable: true, description: 'staff only' }) @Text(5000) internalNote?: string | null;
  @Field(() => String, { nullable: true, description: 'the equipment\'s model' }) @Text(200) equipmentModel?: string | null;
  @Field(() => String, { nullable: true, description: 'the equipment\'s serial number: with the fault code, a repeat of a repair under warranty is recognised' })
  @Text(100)
  equipmentSerial?: string | null;
  @Field(() => String, { nullable: true, description: 'the fault code, when known' }) @Text(50) faultCode?: string | null;
}

@InputType()
export class CreateServiceRequestInput extends RequestDetails {
  @Field(() => ID, { nullable: true, description: 'the customer; portal users may leave it out (their own organisation)' })
  customerId?: string | null;
  @Field(() => Channel, { nullable: true, description: 'portal users always file ONLINE; staff say how the request came in' })
  channel?: Channel;
  @Field(() => ServiceCategory) category: ServiceCategory;
  @Field(() => ServiceType) serviceType: ServiceType;
}

@InputType({ description: 'Changes to a draft or returned request; omitted fields stay as they are' })
export class UpdateServiceRequestInput extends RequestDetails {
  @Field(() => ID) id: string;
  @Field(() => Int, { nullable: true }) @Min(1) expectedVersion?: number | null;
  @Field(() => String, { nullable: true }) @Text(2000) comment?: string | null;
}

@InputType()
export class AcceptServiceRequestInput extends DocumentEventInput {
  @Field(() => ID, { description: 'the department that will serve it' }) targetDepartmentId: string;
  @Field(() => Urgency, { nullable: true, description: 'the assessed urgency; keeps the requested one when left out' }) urgency?: Urgency;
  @Field(() => String, { nullable: true, description: 'staff only' }) @Text(5000) internalNote?: string | null;
  @Field(() => String, { nullable: true, description: 'customer service\'s assessment of the equipment (kept when left out)' }) @Text(200) equipmentModel?: string | null;
  @Field(() => String, { nullable: true, description: 'kept when left out' }) @Text(100) equipmentSerial?: string | null;
  @Field(() => String, { nullable: true, description: 'the fault code customer service assessed (kept when left out); a repeat of a repair under warranty is looked for again' })
  @Text(50)
  faultCode?: string | null;
}

@InputType({ description: 'The return visit (回訪) customer service made after the request was completed' })
export class ReturnVisitInput extends DocumentEventInput {
  @Field(() => Satisfaction, { description: 'DISSATISFIED or VERY_DISSATISFIED opens a follow-up' }) satisfaction: Satisfaction;
  @Field({ description: 'what the customer said' }) @Text(5000, { required: true }) note: string;
}

@InputType({ description: 'What the follow-up of a low satisfaction did' })
export class CloseFollowUpInput extends DocumentEventInput {
  @Field() @Text(5000, { required: true }) note: string;
}

export { ReasonEventInput };
