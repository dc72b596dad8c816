import { IsNumber, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { Text } from '../../graphql/validation';
import { Channel, Satisfaction } from '../../vocabulary';
import { ComplaintCategory, ComplaintResponsibility, ComplaintSeverity, ComplaintState } from './complaint.enums';

@ObjectType('Complaint', { implements: Node, description: '投訴 — a customer\'s complaint (SPEC §3.5). Portal users see its progress and what customer service told them, never the internal judgement.' })
export class ComplaintType extends Node {
  @Field({ description: 'CP-2026-000123' }) number: string;
  @Field(() => ComplaintState) state: ComplaintState;
  @Field(() => Int, { description: 'increments with every event; pass it as expectedVersion' }) version: number;
  @Field(() => Channel, { description: 'how it came in' }) channel: Channel;
  @Field() subject: string;
  @Field() description: string;
  @Field(() => ComplaintCategory, { nullable: true }) category: ComplaintCategory | null;
  @Field(() => ComplaintSeverity, { nullable: true }) severity: ComplaintSeverity | null;
  @Field(() => Date, { nullable: true }) classifiedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Staff only' }) internalNote: string | null;
  @Field(() => Date, { nullable: true }) assignedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'set on ASSIGN: HIGH 1, MEDIUM 3, LOW 5 working days (Monday–Friday) later' }) resolutionDueAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'the first INVESTIGATE' }) investigationStartedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Staff only' }) cause: string | null;
  @Field(() => ComplaintResponsibility, { nullable: true, description: 'Staff only. Only SERVICE_FAULT counts in the complaint rate' }) responsibility: ComplaintResponsibility | null;
  @Field(() => String, { nullable: true, description: 'Staff only. The remedy proposed to the executive; the customer hears the outcome through NOTIFY' }) remedy: string | null;
  @Field(() => Float, { nullable: true, description: 'Staff only. CNY' }) compensationAmount: number | null;
  @Field(() => Date, { nullable: true, description: 'Staff only. The latest RESOLVE' }) resolutionProposedAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'Staff only. 1 at the first RESOLVE, +1 at each later one' }) approvalRound: number | null;
  @Field(() => String, { nullable: true, description: 'Staff only. Why the executive sent the latest resolution back' }) rejectionReason: string | null;
  @Field(() => Date, { nullable: true, description: 'the executive\'s approval of the latest resolution' }) resolvedAt: Date | null;
  @Field(() => Channel, { nullable: true, description: 'how the customer was last told the resolution' }) notifiedVia: Channel | null;
  @Field(() => String, { nullable: true, description: 'what the customer was last told' }) notificationNote: string | null;
  @Field(() => Date, { nullable: true }) notifiedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'the first reply to the customer: the first NOTIFY (SPEC §8 first response time)' }) firstResponseAt: Date | null;
  @Field(() => Date, { nullable: true }) customerConfirmedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'why the customer was not satisfied, the latest time' }) unsatisfiedReason: string | null;
  @Field(() => Int, { description: 'times the customer reported the resolution unsatisfactory' }) reopenCount: number;
  @Field(() => String, { nullable: true, description: 'the return visit (回訪)' }) followUpNote: string | null;
  @Field(() => Satisfaction, { nullable: true, description: 'the satisfaction recorded at the return visit' }) satisfaction: Satisfaction | null;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateComplaintInput {
  @Field(() => ID, { nullable: true, description: 'the customer; portal users may leave it out (their own organisation)' }) customerId?: string | null;
  @Field(() => Channel, { nullable: true, description: 'portal users always complain ONLINE; customer service says how it came in' }) channel?: Channel | null;
  @Field() @Text(200, { required: true }) subject: string;
  @Field() @Text(5000, { required: true }) description: string;
  @Field(() => ID, { nullable: true, description: 'the service request complained about (the same customer\'s, within your scope)' }) requestId?: string | null;
}

@InputType()
export class ClassifyComplaintInput extends DocumentEventInput {
  @Field(() => ComplaintCategory) category: ComplaintCategory;
  @Field(() => ComplaintSeverity, { description: 'sets the resolution deadline at ASSIGN' }) severity: ComplaintSeverity;
  @Field(() => String, { nullable: true, description: 'staff only; replaces the note when given' }) @Text(5000) internalNote?: string | null;
}

@InputType()
export class AssignComplaintInput extends DocumentEventInput {
  @Field(() => ID, { description: 'the responsible department (active)' }) departmentId: string;
  @Field(() => String, { nullable: true, description: 'staff only; replaces the note when given' }) @Text(5000) internalNote?: string | null;
}

@InputType()
export class ResolveComplaintInput extends DocumentEventInput {
  @Field({ description: 'what caused it' }) @Text(5000, { required: true }) cause: string;
  @Field(() => ComplaintResponsibility) responsibility: ComplaintResponsibility;
  @Field({ description: 'what will be done for the customer' }) @Text(5000, { required: true }) remedy: string;
  @Field(() => Float, { nullable: true, description: 'CNY, if any' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '$property must be a number with at most 2 decimals' })
  @Min(0)
  @Max(999_999_999_999)
  compensationAmount?: number | null;
}

@InputType()
export class NotifyComplaintInput extends DocumentEventInput {
  @Field(() => Channel, { description: 'how the customer was told' }) channel: Channel;
  @Field({ description: 'what the customer was told' }) @Text(5000, { required: true }) note: string;
}

@InputType()
export class CloseComplaintInput extends DocumentEventInput {
  @Field({ description: 'the return visit: what the customer said' }) @Text(5000, { required: true }) note: string;
  @Field(() => Satisfaction) satisfaction: Satisfaction;
}

export { DocumentEventInput, ReasonEventInput };
