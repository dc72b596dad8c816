import { ArrayMaxSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { Text } from '../../graphql/validation';
import { ServiceReportKind, ServiceReportState } from './service-report.enums';

/** the most plan items one plan carries, and customers one group names */
export const MAX_PLAN_ITEMS = 200;
export const MAX_GROUP_CUSTOMERS = 100;

@ObjectType('PlanItem', { description: 'One item of a plan' })
export class PlanItemType {
  @Field(() => Int, { description: '1, 2, 3 … in the order given' }) item: number;
  @Field() title: string;
  @Field(() => String, { nullable: true }) detail: string | null;
  @Field(() => Int, { nullable: true, description: 'pieces, for a spare-parts line' }) quantity: number | null;
  @Field(() => Int, { nullable: true, description: 'the month of the plan\'s year it is scheduled for' }) month: number | null;
}

@ObjectType('ServiceReport', { implements: Node, description: '售後服務情況報表 / 售後服務計劃 — a periodic service report or an annual plan (SPEC §3.9). Staff only.' })
export class ServiceReportType extends Node {
  @Field({ description: 'SP-2026-000123' }) number: string;
  @Field(() => ServiceReportState) state: ServiceReportState;
  @Field(() => Int) version: number;
  @Field(() => ServiceReportKind) kind: ServiceReportKind;
  @Field(() => Int, { description: 'the year reported on, or planned for' }) year: number;
  @Field(() => Int, { nullable: true, description: 'MONTHLY: 1–12' }) month: number | null;
  @Field(() => Int, { nullable: true, description: 'HALF_YEARLY: 1 (January–June) or 2 (July–December)' }) half: number | null;
  @Field({ description: 'first day of the period (YYYY-MM-DD, business timezone)' }) periodFrom: string;
  @Field({ description: 'last day of the period, inclusive (YYYY-MM-DD)' }) periodTo: string;
  @Field(() => String, { nullable: true, description: 'the customer group\'s name (按用戶分類), when the report is for one' }) customerGroupName: string | null;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => String, { nullable: true, description: 'the department\'s analysis (reports) or the plan\'s aims and measures (plans)' }) summary: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'the statistics of the period, frozen when the report was created and never recomputed; null for plans' })
  figures: Record<string, unknown> | null;
  @Field(() => Date, { nullable: true, description: 'when the figures were taken' }) figuresAsOf: Date | null;
  @Field(() => Int, { description: '0 before the first SUBMIT, +1 at each' }) approvalRound: number;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'reviewed by the department head' }) reviewedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'approved by an executive, and so issued' }) issuedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'why it was last sent back' }) sendBackReason: string | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class PlanItemInput {
  @Field() @Text(200, { required: true }) title: string;
  @Field(() => String, { nullable: true }) @Text(5000) detail?: string | null;
  @Field(() => Int, { nullable: true, description: 'pieces, for a spare-parts line' }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) quantity?: number | null;
  @Field(() => Int, { nullable: true, description: '1–12' }) @IsOptional() @IsInt() @Min(1) @Max(12) month?: number | null;
}

@InputType({ description: 'The period is derived from kind and year (+ month or half); plans are for a year still to come' })
export class CreateServiceReportInput {
  @Field(() => ServiceReportKind) kind: ServiceReportKind;
  @Field(() => ID, { description: 'the owning department; its head reviews the report' }) departmentId: string;
  @Field(() => Int, { description: 'the year reported on, or planned for' }) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field(() => Int, { nullable: true, description: 'MONTHLY only: 1–12' }) @IsOptional() @IsInt() @Min(1) @Max(12) month?: number | null;
  @Field(() => Int, { nullable: true, description: 'HALF_YEARLY only: 1 or 2' }) @IsOptional() @IsInt() @Min(1) @Max(2) half?: number | null;
  @Field(() => [ID], { nullable: true, description: 'a customer group (按用戶分類): the report covers these customers only (reports, not plans)' })
  @ArrayMaxSize(MAX_GROUP_CUSTOMERS)
  customerIds?: string[] | null;
  @Field(() => String, { nullable: true, description: 'the group\'s name; required with customerIds' }) @Text(200) customerGroupName?: string | null;
  @Field(() => String, { nullable: true }) @Text(200) title?: string | null;
  @Field(() => String, { nullable: true }) @Text(20000) summary?: string | null;
  @Field(() => [PlanItemInput], { nullable: true, description: 'plans only' }) @ArrayMaxSize(MAX_PLAN_ITEMS) @ValidateNested({ each: true }) planItems?: PlanItemInput[] | null;
}

@InputType({ description: 'The draft\'s text and plan items; the figures are frozen and cannot be changed' })
export class UpdateServiceReportInput extends DocumentEventInput {
  @Field(() => String, { nullable: true }) @Text(200) title?: string | null;
  @Field(() => String, { nullable: true }) @Text(20000) summary?: string | null;
  @Field(() => [PlanItemInput], { nullable: true, description: 'plans only; replaces the items as a whole' }) @ArrayMaxSize(MAX_PLAN_ITEMS) @ValidateNested({ each: true }) planItems?: PlanItemInput[] | null;
}

export { DocumentEventInput, ReasonEventInput };
