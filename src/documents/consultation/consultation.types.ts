import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { SaneDate, Text } from '../../graphql/validation';
import { Channel, ServiceCategory, ServiceType, Urgency } from '../../vocabulary';

export enum ConsultationState {
  LOGGED = 'LOGGED',
  PENDING_REPLY = 'PENDING_REPLY',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
  CONVERTED = 'CONVERTED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(ConsultationState, { name: 'ConsultationState' });

@ObjectType('Consultation', { implements: Node, description: '諮詢 — a customer\'s question to customer service (SPEC §3.8)' })
export class ConsultationType extends Node {
  @Field({ description: 'CN-2026-000123' }) number: string;
  @Field(() => ConsultationState) state: ConsultationState;
  @Field(() => Int, { description: 'increments with every event; pass it as expectedVersion' }) version: number;
  @Field(() => Channel) channel: Channel;
  @Field(() => String, { nullable: true }) topic: string | null;
  @Field() question: string;
  @Field(() => String, { nullable: true }) contactName: string | null;
  @Field(() => String, { nullable: true }) contactPhone: string | null;
  @Field(() => String, { nullable: true, description: 'the latest answer' }) answer: string | null;
  @Field(() => Date, { nullable: true }) answeredAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'the first reply: an answer on the spot, or the promise to reply after checking' }) firstRepliedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'when a reply was promised (DEFER)' }) promisedReplyAt: Date | null;
  @Field(() => String, { nullable: true, description: 'what customer service is checking (DEFER)' }) deferralNote: string | null;
  @Field(() => String, { nullable: true, description: 'why the customer was not satisfied (REPORT_UNSATISFIED)' }) dissatisfactionReason: string | null;
  @Field(() => String, { nullable: true, description: 'Staff only (null for portal users)' }) internalNote: string | null;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
  @Field(() => Date, { nullable: true }) convertedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateConsultationInput {
  @Field(() => ID, { nullable: true, description: 'the customer; portal users may leave it out (their own organisation)' }) customerId?: string | null;
  @Field(() => Channel, { nullable: true, description: 'portal users always ask ONLINE; customer service says how the question came in' }) channel?: Channel;
  @Field(() => String, { nullable: true }) @Text(200) topic?: string | null;
  @Field({ description: 'the question, as the customer put it' }) @Text(5000, { required: true }) question: string;
  @Field(() => String, { nullable: true }) @Text(100) contactName?: string | null;
  @Field(() => String, { nullable: true }) @Text(40) contactPhone?: string | null;
  @Field(() => String, { nullable: true, description: 'staff only' }) @Text(5000) internalNote?: string | null;
}

@InputType({ description: 'An answer to the customer (on the spot, or after checking)' })
export class ConsultationAnswerInput extends DocumentEventInput {
  @Field() @Text(5000, { required: true }) answer: string;
}

@InputType()
export class DeferConsultationInput extends DocumentEventInput {
  @Field({ description: 'when the customer will have the reply; in the future' }) @SaneDate() promisedReplyAt: Date;
  @Field({ description: 'what customer service will check' }) @Text(2000, { required: true }) note: string;
  @Field(() => String, { nullable: true, description: 'staff only' }) @Text(5000) internalNote?: string | null;
}

@InputType({ description: 'The service request the question turns into (DRAFT, for the consultation\'s customer)' })
export class ConvertConsultationInput extends DocumentEventInput {
  @Field(() => ServiceCategory) category: ServiceCategory;
  @Field(() => ServiceType) serviceType: ServiceType;
  @Field(() => String, { nullable: true, description: 'the question when left out' }) @Text(5000) description?: string | null;
  @Field(() => String, { nullable: true, description: 'the consultation\'s contact when left out' }) @Text(100) contactName?: string | null;
  @Field(() => String, { nullable: true, description: 'the consultation\'s contact phone when left out' }) @Text(40) contactPhone?: string | null;
  @Field(() => String, { nullable: true }) @Text(500) address?: string | null;
  @Field(() => Date, { nullable: true }) @SaneDate() expectedFrom?: Date | null;
  @Field(() => Date, { nullable: true }) @SaneDate() expectedTo?: Date | null;
  @Field(() => Urgency, { nullable: true, description: 'NORMAL when left out' }) urgency?: Urgency | null;
}

export { DocumentEventInput, ReasonEventInput };
