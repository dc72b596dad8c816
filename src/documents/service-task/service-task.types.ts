import { ArrayMaxSize, IsNumber, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ApprovalTier } from '../../approval/tier';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { SaneDate, Text } from '../../graphql/validation';
import { Complexity, Urgency } from '../../vocabulary';
import { ConsentChannel, ContactChannel, ServiceTaskState } from './service-task.enums';

@ObjectType('ServiceTask', { implements: Node, description: '服務任務單 — a department\'s service task for a request (SPEC §3.2). Portal users see its status and schedule only.' })
export class ServiceTaskType extends Node {
  @Field({ description: 'ST-2026-000123' }) number: string;
  @Field(() => ServiceTaskState) state: ServiceTaskState;
  @Field(() => Int) version: number;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Date, { nullable: true }) plannedStart: Date | null;
  @Field(() => Date, { nullable: true }) plannedEnd: Date | null;
  @Field(() => String, { nullable: true, description: 'Staff only. Tools, materials, helpers needed' })
  resources: string | null;
  @Field(() => Float, { nullable: true, description: 'Staff only. CNY; the amount of the approval tier' })
  estimatedCost: number | null;
  @Field(() => Complexity, { nullable: true, description: 'Staff only' })
  complexity: Complexity | null;
  @Field(() => ApprovalTier, { nullable: true, description: 'Staff only. Computed at SUBMIT and whenever amount, customer or complexity change' })
  tier: ApprovalTier | null;
  @Field(() => Int, { nullable: true, description: 'Staff only. 1 at the first submission, +1 each time it goes back for approval' })
  approvalRound: number | null;
  @Field(() => String, { nullable: true, description: 'Staff only' })
  rejectionReason: string | null;
  @Field(() => String, { nullable: true, description: 'Staff only. Why the assignee disputed the assignment' })
  disputeReason: string | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true }) approvedAt: Date | null;
  @Field(() => Date, { nullable: true }) confirmedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'the actual start' }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
  @Field({ description: 'chargeable to the customer (not under warranty): the quote needs the customer\'s consent before the work starts' }) chargeable: boolean;
  @Field(() => Float, { nullable: true, description: 'CNY the customer pays; shown to the customer once the task is approved' }) quotedPrice: number | null;
  @Field(() => QuoteConsent, { nullable: true, description: 'the customer\'s consent to the quote as it stands now; null when none is needed, none was given, or the price or times changed since' })
  consent: QuoteConsent | null;
  @Field(() => String, { nullable: true, description: 'why the customer declined the quote' }) declineReason: string | null;
  @Field(() => Date, { nullable: true }) declinedAt: Date | null;
  @Field(() => DispatchNotice, { nullable: true, description: 'the dispatch notice (售後服務通知單) customer service issued for the task, once issued' })
  dispatchNotice: DispatchNotice | null;
  @Field(() => CustomerContact, { nullable: true, description: 'the assignee\'s latest recorded contact with the customer (earlier ones are in the history)' })
  customerContact: CustomerContact | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType({ description: 'A customer\'s consent to a quote (SPEC §3.2, seed 004: 征求客戶的同意)' })
export class QuoteConsent {
  @Field(() => Float, { nullable: true }) price: number | null;
  @Field(() => Date, { nullable: true }) plannedStart: Date | null;
  @Field(() => Date, { nullable: true }) plannedEnd: Date | null;
  @Field() at: Date;
  @Field({ description: 'the person who consented' }) signerName: string;
  @Field(() => ConsentChannel) channel: ConsentChannel;
}

@ObjectType({ description: '售後服務通知單 — the dispatch notice of a task (SPEC §3.10): signed by a named agent, with the urgency and region it was dispatched with; returned with the field report (the task\'s FINISH)' })
export class DispatchNotice {
  @Field({ description: 'DN-2026-000123' }) number: string;
  @Field() issuedAt: Date;
  @Field({ description: 'the agent who signed it' }) agentName: string;
  @Field(() => Urgency) urgency: Urgency;
  @Field(() => String, { nullable: true, description: 'the service region\'s code' }) regionCode: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => Date, { nullable: true, description: 'when it came back filled in with the field report (the task was finished)' }) returnedAt: Date | null;
}

@ObjectType({ description: 'The assignee\'s contact with the customer to fix the visit (SPEC §3.10, seed 003: 及時與客戶聯繫,確定維修時間和地點)' })
export class CustomerContact {
  @Field({ description: 'when the customer was contacted' }) contactedAt: Date;
  @Field(() => ContactChannel) channel: ContactChannel;
  @Field(() => String, { nullable: true, description: 'whom the technician spoke to' }) contactPerson: string | null;
  @Field({ description: 'the visit agreed with the customer' }) agreedVisitAt: Date;
  @Field(() => String, { nullable: true, description: 'where; the request\'s address when left out' }) agreedVisitPlace: string | null;
  @Field({ description: 'when the contact was recorded (the field-response deadline is met then)' }) recordedAt: Date;
}

@InputType({ description: 'Customer service issues the dispatch notice of an approved task; urgency and region default to the request\'s.' })
export class DispatchServiceTaskInput {
  @Field(() => ID) id: string;
  @Field(() => Int, { nullable: true }) @Min(1) expectedVersion?: number | null;
  @Field(() => Urgency, { nullable: true, description: 'the request\'s urgency when left out' }) urgency?: Urgency | null;
  @Field(() => String, { nullable: true, description: 'a region code (regions); the request\'s region when left out' }) @Text(40) regionCode?: string | null;
  @Field(() => String, { nullable: true, description: 'what the technician is told' }) @Text(2000) note?: string | null;
  @Field(() => String, { nullable: true }) @Text(2000) comment?: string | null;
}

@InputType({ description: 'The assignee records the contact with the customer: when, how, and the visit agreed.' })
export class RecordContactServiceTaskInput {
  @Field(() => ID) id: string;
  @Field(() => Int, { nullable: true }) @Min(1) expectedVersion?: number | null;
  @Field(() => Date, { nullable: true, description: 'when the customer was contacted; now when left out; never in the future nor before the assignment' }) @SaneDate() contactedAt?: Date | null;
  @Field(() => ContactChannel) channel: ContactChannel;
  @Field(() => String, { nullable: true }) @Text(200) contactPerson?: string | null;
  @Field(() => Date, { description: 'the visit agreed with the customer' }) @SaneDate() agreedVisitAt: Date;
  @Field(() => String, { nullable: true, description: 'the request\'s address when left out' }) @Text(500) agreedVisitPlace?: string | null;
  @Field(() => String, { nullable: true }) @Text(2000) comment?: string | null;
}

@InputType({ description: 'The customer consents to the quote (price and planned times as they are now). Customer service recording consent given by phone or on paper names the person and the channel.' })
export class ConsentServiceTaskInput {
  @Field(() => ID) id: string;
  @Field(() => Int, { nullable: true }) @Min(1) expectedVersion?: number | null;
  @Field(() => String, { nullable: true, description: 'customer service only: who consented' }) @Text(200) signerName?: string | null;
  @Field(() => ConsentChannel, { nullable: true, description: 'customer service only: PHONE or PAPER' }) channel?: ConsentChannel | null;
  @Field(() => String, { nullable: true }) @Text(2000) comment?: string | null;
}

/** What a supervisor plans; shared by create, update and revise. */
@InputType('ServiceTaskDetailsInput')
abstract class TaskDetails {
  @Field(() => String, { nullable: true }) @Text(5000) description?: string | null;
  @Field(() => ID, { nullable: true, description: 'a technician' }) assigneeId?: string | null;
  @Field(() => [ID], { nullable: true, description: 'technicians helping; replaces the list' }) @ArrayMaxSize(20) helperIds?: string[] | null;
  @Field(() => Date, { nullable: true }) @SaneDate() plannedStart?: Date | null;
  @Field(() => Date, { nullable: true }) @SaneDate() plannedEnd?: Date | null;
  @Field(() => String, { nullable: true }) @Text(5000) resources?: string | null;
  @Field(() => Float, { nullable: true, description: 'CNY' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '$property must be a number with at most 2 decimals' })
  @Min(0)
  @Max(999_999_999_999)
  estimatedCost?: number | null;
  @Field(() => Complexity, { nullable: true }) complexity?: Complexity;
  @Field(() => Boolean, { nullable: true, description: 'chargeable to the customer (not under warranty)' }) chargeable?: boolean | null;
  @Field(() => Float, { nullable: true, description: 'CNY the customer pays; a change after consent needs consent again' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '$property must be a number with at most 2 decimals' })
  @Min(0)
  @Max(999_999_999_999)
  quotedPrice?: number | null;
}

@InputType()
export class CreateServiceTaskInput extends TaskDetails {
  @Field(() => ID, { description: 'an ACCEPTED or IN_SERVICE request routed to your department' }) requestId: string;
}

@InputType({ description: 'Changes to a task; omitted fields stay. After approval, a change of cost or complexity sends it back for approval.' })
export class UpdateServiceTaskInput extends TaskDetails {
  @Field(() => ID) id: string;
  @Field(() => Int, { nullable: true }) @Min(1) expectedVersion?: number | null;
  @Field(() => String, { nullable: true }) @Text(2000) comment?: string | null;
}

export { DocumentEventInput, ReasonEventInput };
