/** GraphQL types of the calendar, deadlines and escalations (src/time). */
import { IsOptional, Matches, MaxLength, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo, UserError } from '../graphql/common.types';
import { CalendarDayKind } from './calendar';
import { DeadlineKind } from './deadline-rules';
import { EscalationLevel } from './escalations';

registerEnumType(CalendarDayKind, {
  name: 'CalendarDayKind',
  description: 'An exception to Monday–Friday in the working-day calendar',
  valuesConfig: {
    WORKDAY: { description: 'a working day (e.g. overriding a holiday)' },
    HOLIDAY: { description: 'a day off' },
    MAKEUP_WORKDAY: { description: '調休: a weekend day worked in exchange for a holiday' },
  },
});
registerEnumType(DeadlineKind, {
  name: 'DeadlineKind',
  description: 'What a deadline is for (SPEC §4)',
  valuesConfig: {
    REQUEST_REVIEW: { description: 'customer service reviews a submitted request' },
    TASK_CREATION: { description: 'the serving department creates a task for an accepted request' },
    TASK_APPROVAL: { description: 'a submitted task is approved' },
    FIELD_ON_SITE: { description: 'the technician is on site (site within the near distance), from the task\'s assignment' },
    FIELD_FIRST_REPLY: { description: 'the technician\'s first reply (site farther, or distance unknown), from the task\'s assignment' },
    RECORD_FILING: { description: 'the service record is filed after the service\'s end' },
    ACCEPTANCE_VERIFICATION: { description: 'customer service verifies a passed acceptance' },
    COMPLAINT_RESOLUTION: { description: 'the complaint\'s resolution is approved, by severity' },
    CONSULTATION_REPLY: { description: 'the reply promised to the customer' },
    RETURN_VISIT: { description: '回訪 after a completed request, met when customer service records it (recordReturnVisitServiceRequest)' },
  },
});
registerEnumType(EscalationLevel, {
  name: 'EscalationLevel',
  valuesConfig: {
    SUPERVISOR: { description: 'to the supervisors of the responsible department' },
    EXECUTIVE: { description: 'to the executives, when still unmet a further period later' },
  },
});

@ObjectType({ description: 'A deadline of the document (SPEC §4)' })
export class Deadline {
  @Field(() => DeadlineKind) kind: DeadlineKind;
  @Field() openedAt: Date;
  @Field() dueAt: Date;
  @Field(() => Date, { nullable: true, description: 'when the event that meets it happened (or the document was cancelled)' }) metAt: Date | null;
  @Field({ description: 'past due and unmet when the breach sweep last ran, or met late' }) breached: boolean;
  @Field(() => EscalationLevel, { nullable: true, description: 'how far its breach was escalated' }) escalationLevel: EscalationLevel | null;
}

@ObjectType({ description: 'A day of the working-day calendar that is not plain Monday–Friday' })
export class CalendarDayType {
  @Field({ description: 'YYYY-MM-DD in the business timezone' }) date: string;
  @Field(() => CalendarDayKind) kind: CalendarDayKind;
  @Field(() => String, { nullable: true }) name: string | null;
}

@ObjectType('CalendarDayPayload')
export class CalendarDayPayload {
  @Field(() => CalendarDayType, { nullable: true, description: 'the day as it now is (null: plain Monday–Friday again)' }) calendarDay: CalendarDayType | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

@InputType()
export class SetCalendarDayInput {
  @Field({ description: 'YYYY-MM-DD in the business timezone' }) @Matches(DATE, { message: 'date must be YYYY-MM-DD' }) date: string;
  @Field(() => CalendarDayKind) kind: CalendarDayKind;
  @Field(() => String, { nullable: true }) @MaxLength(200) name?: string | null;
}

@InputType()
export class ClearCalendarDayInput {
  @Field({ description: 'YYYY-MM-DD: the day follows Monday–Friday again' }) @Matches(DATE, { message: 'date must be YYYY-MM-DD' }) date: string;
}

@ArgsType()
export class CalendarDaysArgs {
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, inclusive; default: January 1 of this year' }) @IsOptional() @Matches(DATE, { message: 'from must be YYYY-MM-DD' }) from?: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, inclusive, at most 400 days after from; default: December 31 of from\'s year' }) @IsOptional() @Matches(DATE, { message: 'to must be YYYY-MM-DD' }) to?: string;
}

@ObjectType('Escalation', { description: 'A breached deadline, raised to those who must act (SPEC §4)' })
export class EscalationType {
  @Field(() => ID) id: string;
  @Field(() => EscalationLevel) level: EscalationLevel;
  @Field(() => DeadlineKind) kind: DeadlineKind;
  @Field({ description: 'the document type, e.g. ServiceRequest' }) documentType: string;
  @Field(() => ID, { description: 'the document (global id)' }) documentId: string;
  @Field(() => ID, { nullable: true, description: 'the department whose supervisors it is addressed to (SUPERVISOR level)' }) departmentId: string | null;
  @Field() dueAt: Date;
  @Field() raisedAt: Date;
  @Field(() => Date, { nullable: true }) acknowledgedAt: Date | null;
  @Field(() => ID, { nullable: true }) acknowledgedById: string | null;
}

@ObjectType('EscalationEdge')
export class EscalationEdge {
  @Field() cursor: string;
  @Field(() => EscalationType) node: EscalationType;
}

@ObjectType('EscalationConnection', { description: 'Escalations addressed to you, newest first' })
export class EscalationConnection {
  @Field(() => [EscalationEdge]) edges: EscalationEdge[];
  @Field(() => [EscalationType]) nodes: EscalationType[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int) totalCount: number;
}

@InputType()
export class EscalationFilter {
  @Field(() => Boolean, { nullable: true }) acknowledged?: boolean;
  @Field(() => [EscalationLevel], { nullable: true }) level?: EscalationLevel[];
}

@ArgsType()
export class EscalationsArgs {
  @Field(() => Int, { nullable: true }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => EscalationFilter, { nullable: true }) filter?: EscalationFilter;
}

@InputType()
export class AcknowledgeEscalationInput {
  @Field(() => ID) id: string;
}

@ObjectType('EscalationPayload')
export class EscalationPayload {
  @Field(() => EscalationType, { nullable: true }) escalation: EscalationType | null;
  @Field(() => [UserError]) userErrors: UserError[];
}
