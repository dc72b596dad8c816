/** GraphQL types of the statistics (src/statistics/figures.ts computes them; README "Statistics and KPIs" defines each). */
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../graphql/common.types';
import { DeadlineKind } from '../time/deadline-rules';
import { PeriodBucket } from './figures';

registerEnumType(PeriodBucket, { name: 'PeriodBucket', description: 'Buckets of requests by period, cut in the company time zone; weeks are ISO weeks (Monday to Sunday)' });

@InputType({ description: 'What the figures cover. The period is [from, to): from included, to excluded; by default the current month in the company time zone.' })
export class StatisticsFilter {
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
  @Field(() => ID, { nullable: true, description: 'the serving department (requests), the task\'s, the acceptance\'s, the complaint\'s responsible department' }) departmentId?: string | null;
  @Field(() => String, { nullable: true, description: 'a ServiceType value (INSTALLATION, REPAIR, …); figures of other documents follow their request' })
  @IsOptional()
  @MaxLength(40)
  serviceType?: string | null;
  @Field(() => [ID], { nullable: true, description: 'customers (a portal user sees its own organisation whatever is given)' }) customerIds?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'the assignee (負責人) of the tasks' }) technicianId?: string | null;
}

@ArgsType()
export class StatisticsArgs {
  @Field(() => StatisticsFilter, { nullable: true }) filter?: StatisticsFilter | null;
  @Field(() => PeriodBucket, { nullable: true, description: 'buckets of requests.byPeriod (MONTH by default)' }) bucket?: PeriodBucket | null;
}

@ObjectType()
export class StatisticsPeriod {
  @Field() from: string;
  @Field() to: string;
  @Field() timezone: string;
}

@ObjectType()
export class StatisticsFilterEcho {
  @Field(() => ID, { nullable: true }) departmentId: string | null;
  @Field(() => String, { nullable: true }) serviceType: string | null;
  @Field(() => [ID]) customerIds: string[];
  @Field(() => ID, { nullable: true }) technicianId: string | null;
}

@ObjectType({ description: 'Requests received in one bucket of the period' })
export class PeriodCount {
  @Field({ description: '2026-03-05, 2026-W10, 2026-03, 2026-Q1, 2026-H1, 2026' }) label: string;
  @Field({ description: 'the bucket\'s first instant (local midnight in the company time zone)' }) start: string;
  @Field(() => Int) count: number;
}

@ObjectType()
export class DimensionCount {
  @Field(() => String, { nullable: true, description: 'the value (a department\'s global id); null: not set yet (a request not yet routed)' }) key: string | null;
  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Requests received (submitted) in the period' })
export class RequestCounts {
  @Field(() => Int) received: number;
  @Field(() => PeriodBucket) bucket: PeriodBucket;
  @Field(() => [PeriodCount], { description: 'every bucket of the period, empty ones as 0' }) byPeriod: PeriodCount[];
  @Field(() => [DimensionCount]) byCategory: DimensionCount[];
  @Field(() => [DimensionCount]) byServiceType: DimensionCount[];
  @Field(() => [DimensionCount]) byChannel: DimensionCount[];
  @Field(() => [DimensionCount]) byDepartment: DimensionCount[];
}

@ObjectType({ description: 'Submission → completion of the services completed in the period, in clock hours' })
export class Turnaround {
  @Field(() => Int) completed: number;
  @Field({ description: 'HOURS (clock hours)' }) unit: string;
  @Field(() => Float, { nullable: true }) averageHours: number | null;
  @Field(() => Float, { nullable: true }) minHours: number | null;
  @Field(() => Float, { nullable: true }) maxHours: number | null;
  @Field(() => Float, { nullable: true }) medianHours: number | null;
  @Field(() => Float, { nullable: true }) p90Hours: number | null;
}

@ObjectType({ description: 'Receipt → first reply of what was received in the period, in clock hours' })
export class ResponseTime {
  @Field(() => Int) received: number;
  @Field(() => Int, { description: 'of those, answered so far' }) responded: number;
  @Field(() => Float, { nullable: true }) averageHours: number | null;
  @Field(() => Float, { nullable: true }) maxHours: number | null;
  @Field(() => Float, { nullable: true }) medianHours: number | null;
  @Field(() => Float, { nullable: true }) p90Hours: number | null;
}

@ObjectType()
export class FirstResponse {
  @Field(() => ResponseTime, { nullable: true, description: 'null outside your scope, or with a department, service-type or technician filter (a consultation has none)' })
  consultations: ResponseTime | null;
  @Field(() => ResponseTime, { nullable: true }) complaints: ResponseTime | null;
}

@ObjectType({ description: 'Acceptance rounds decided (signed) in the period' })
export class AcceptanceFigures {
  @Field(() => Int) decided: number;
  @Field(() => Int) passed: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) firstRoundDecided: number;
  @Field(() => Int) firstRoundPassed: number;
  @Field(() => Float, { nullable: true, description: 'firstRoundPassed / firstRoundDecided' }) firstPassRate: number | null;
  @Field(() => Int, { description: 'rounds decided after a rectification (round > 1)' }) rectificationRounds: number;
}

@ObjectType()
export class SatisfactionFigures {
  @Field(() => Int, { description: 'return visits (回訪, the satisfaction survey) recorded in the period' }) responses: number;
  @Field(() => Int, { description: 'of those, VERY_SATISFIED or SATISFIED' }) satisfied: number;
  @Field(() => Float, { nullable: true, description: 'satisfied / responses: the satisfaction rate the target is judged on' }) rate: number | null;
  @Field(() => Int, { description: 'acceptance sign-offs in the period that gave a satisfaction' }) acceptanceResponses: number;
  @Field(() => Int) acceptanceSatisfied: number;
  @Field(() => Float, { nullable: true }) acceptanceRate: number | null;
}

@ObjectType({ description: 'Services (service requests) completed in the period' })
export class ServiceFigures {
  @Field(() => Int) completed: number;
  @Field(() => Int) withFailedAcceptance: number;
  @Field(() => Float, { nullable: true, description: 'withFailedAcceptance / completed' }) errorRate: number | null;
  @Field(() => Int) acceptedFirstRound: number;
  @Field(() => Float, { nullable: true, description: 'acceptedFirstRound / completed' }) firstTimeSuccessRate: number | null;
  @Field(() => Int, { description: 'failed acceptance rounds of these services (each one a rectification)' }) rectificationRounds: number;
  @Field(() => Int) returnVisits: number;
  @Field(() => Float, { nullable: true, description: 'returnVisits / completed' }) returnVisitRate: number | null;
}

@ObjectType()
export class ComplaintFigures {
  @Field(() => Int, { description: 'received in the period' }) received: number;
  @Field(() => Int, { description: 'of those, resolved (resolution approved) by the period\'s end' }) resolved: number;
  @Field(() => Float, { nullable: true }) resolutionRate: number | null;
  @Field(() => Int, { nullable: true, description: 'resolutions approved in the period with responsibility SERVICE_FAULT (staff only)' }) serviceFault: number | null;
  @Field(() => Float, { nullable: true, description: 'serviceFault / services completed in the period (staff only)' }) complaintRate: number | null;
}

@ObjectType()
export class OnTimeRate {
  @Field(() => Int, { description: 'deadlines met in the period by doing the thing (not by a cancellation)' }) done: number;
  @Field(() => Int, { description: 'of those, met at or before due' }) onTime: number;
  @Field(() => Float, { nullable: true }) rate: number | null;
}

@ObjectType()
export class KindOnTimeRate extends OnTimeRate {
  @Field(() => DeadlineKind) kind: DeadlineKind;
}

@ObjectType()
export class OnTimeFigures {
  @Field(() => OnTimeRate, { nullable: true, description: 'REQUEST_REVIEW and ACCEPTANCE_VERIFICATION (staff only)' }) reviews: OnTimeRate | null;
  @Field(() => OnTimeRate, { nullable: true, description: 'TASK_APPROVAL (staff only)' }) approvals: OnTimeRate | null;
  @Field(() => [KindOnTimeRate]) byKind: KindOnTimeRate[];
}

@ObjectType({ description: 'Field responses (FIELD_ON_SITE, FIELD_FIRST_REPLY) made in the period' })
export class TimelinessFigures {
  @Field(() => Int) responses: number;
  @Field(() => Int) withinDeadline: number;
  @Field(() => Float, { nullable: true }) rate: number | null;
}

@ObjectType({ description: 'Service records submitted in the period; complete = start and end, a progress entry, a customer-feedback entry, a solution for every problem' })
export class RecordFigures {
  @Field(() => Int) records: number;
  @Field(() => Int) complete: number;
  @Field(() => Float, { nullable: true }) completenessRate: number | null;
}

@ObjectType()
export class TargetResult {
  @Field(() => Float) target: number;
  @Field(() => Float, { nullable: true }) actual: number | null;
  @Field(() => Boolean, { nullable: true, description: 'null when there is no data' }) met: boolean | null;
}

@ObjectType({ description: 'SPEC §8 targets: timeliness ≥ 90 %, satisfaction ≥ 85 %, complaint rate < 3 %' })
export class Targets {
  @Field(() => TargetResult) timeliness: TargetResult;
  @Field(() => TargetResult) satisfaction: TargetResult;
  @Field(() => TargetResult, { nullable: true, description: 'staff only' }) complaintRate: TargetResult | null;
}

@ObjectType({ description: 'The KPIs of SPEC §8 over your scope. A section is null when it is outside your scope (or staff-only); rates are fractions 0…1, null when nothing to divide by.' })
export class Statistics {
  @Field(() => StatisticsPeriod) period: StatisticsPeriod;
  @Field(() => StatisticsFilterEcho) filter: StatisticsFilterEcho;
  @Field(() => RequestCounts, { nullable: true }) requests: RequestCounts | null;
  @Field(() => Turnaround, { nullable: true }) turnaround: Turnaround | null;
  @Field(() => FirstResponse) firstResponse: FirstResponse;
  @Field(() => AcceptanceFigures, { nullable: true }) acceptance: AcceptanceFigures | null;
  @Field(() => SatisfactionFigures, { nullable: true }) satisfaction: SatisfactionFigures | null;
  @Field(() => ServiceFigures, { nullable: true }) services: ServiceFigures | null;
  @Field(() => ComplaintFigures, { nullable: true }) complaints: ComplaintFigures | null;
  @Field(() => OnTimeFigures, { nullable: true }) onTime: OnTimeFigures | null;
  @Field(() => TimelinessFigures, { nullable: true }) timeliness: TimelinessFigures | null;
  @Field(() => RecordFigures, { nullable: true, description: 'staff only' }) records: RecordFigures | null;
  @Field(() => Targets) targets: Targets;
}

// ── the technician scorecard ─────────────────────────────────────────────────────────────────────────

@ArgsType()
export class ScorecardArgs {
  @Field(() => String, { nullable: true, description: 'YYYY-MM (the current month by default)' }) month?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-Qn: the quarter\'s figures and the average of its monthly ratings' }) quarter?: string | null;
  @Field(() => ID, { nullable: true }) departmentId?: string | null;
  @Field(() => ID, { nullable: true }) technicianId?: string | null;
}

@ObjectType()
export class ScorecardWeights {
  @Field(() => Float) work: number;
  @Field(() => Float) attitude: number;
  @Field(() => Float) ability: number;
}

@ObjectType({ description: 'A technician\'s weighted score for a month or quarter (SPEC §8, seed 003)' })
export class TechnicianScorecard {
  @Field(() => ID) technicianId: string;
  @Field() technicianName: string;
  @Field(() => ID, { nullable: true }) departmentId: string | null;
  @Field({ description: 'YYYY-MM or YYYY-Qn' }) period: string;
  @Field() periodKind: string;
  @Field() from: string;
  @Field() to: string;
  @Field(() => Int) fieldResponses: number;
  @Field(() => Int) fieldResponsesOnTime: number;
  @Field(() => Float, { nullable: true }) timelinessRate: number | null;
  @Field(() => Int) satisfactionResponses: number;
  @Field(() => Int) satisfied: number;
  @Field(() => Float, { nullable: true }) satisfactionRate: number | null;
  @Field(() => Int) tasksCompleted: number;
  @Field(() => Int) tasksFirstTime: number;
  @Field(() => Float, { nullable: true }) firstTimeSuccessRate: number | null;
  @Field(() => Float, { nullable: true, description: '5 × the mean of the available rates above' }) workResults: number | null;
  @Field(() => Float, { nullable: true }) attitude: number | null;
  @Field(() => Float, { nullable: true }) ability: number | null;
  @Field(() => Int) monthsRated: number;
  @Field(() => ScorecardWeights) weights: ScorecardWeights;
  @Field(() => Float, { nullable: true, description: 'weighted, rounded to one decimal; null until work results and a rating exist' }) score: number | null;
  @Field(() => String, { nullable: true, description: 'A (5.0), B (4.0–4.9), C (3.0–3.9), D (below 3.0)' }) grade: string | null;
}

@InputType()
export class RateTechnicianInput {
  @Field(() => ID) technicianId: string;
  @Field({ description: 'YYYY-MM; not a future month' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month: string;
  @Field(() => Int, { description: '工作態度 1–5' }) @IsInt() @Min(1) @Max(5) attitude: number;
  @Field(() => Int, { description: '工作能力 1–5' }) @IsInt() @Min(1) @Max(5) ability: number;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) comment?: string | null;
}

@ObjectType({ description: 'A supervisor\'s monthly rating of a technician (final once given)' })
export class TechnicianRating {
  @Field(() => ID) id: string;
  @Field(() => ID) technicianId: string;
  @Field() month: string;
  @Field(() => Int) attitude: number;
  @Field(() => Int) ability: number;
  @Field(() => String, { nullable: true }) comment: string | null;
  @Field(() => ID) ratedById: string;
  @Field() ratedByName: string;
  @Field() ratedAt: Date;
}

@ObjectType()
export class RateTechnicianPayload {
  @Field(() => TechnicianRating, { nullable: true }) rating: TechnicianRating | null;
  @Field(() => [UserError]) userErrors: UserError[];
}
