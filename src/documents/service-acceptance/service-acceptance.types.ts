import { ArrayMaxSize, IsInt, Max, Min } from 'class-validator';
import { Field, Int, InputType, ObjectType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { SaneDate, Text } from '../../graphql/validation';
import { Satisfaction, ServiceAcceptanceState } from './service-acceptance.enums';

@ObjectType('ServiceAcceptance', { implements: Node, description: '服務驗收單 — one round of a task\'s acceptance (SPEC §3.4)' })
export class ServiceAcceptanceType extends Node {
  @Field({ description: 'AC-2026-000123' }) number: string;
  @Field(() => ServiceAcceptanceState) state: ServiceAcceptanceState;
  @Field(() => Int) version: number;
  @Field(() => Int, { description: '1, 2, …: a failed round and the rectification open the next' }) round: number;
  @Field(() => [String]) itemsConfirmed: string[];
  @Field(() => Int, { nullable: true, description: '1–5' }) qualityScore: number | null;
  @Field(() => Satisfaction, { nullable: true }) satisfaction: Satisfaction | null;
  @Field(() => String, { nullable: true }) comment: string | null;
  @Field(() => String, { nullable: true }) signerName: string | null;
  @Field(() => Date, { nullable: true }) signedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'what failed' }) issues: string | null;
  @Field(() => String, { nullable: true, description: 'Staff only. Why customer service doubted the sign-off' })
  queryReason: string | null;
  @Field(() => Date, { nullable: true }) verifiedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

/** What a signature on the acceptance carries; an agent recording a paper signature names the signer. */
@InputType('AcceptanceSignatureInput')
abstract class SignatureFields extends DocumentEventInput {
  @Field(() => String, { nullable: true, description: 'required when customer service records a paper signature; a portal user signs as themself' })
  @Text(200)
  signerName?: string | null;
  @Field(() => Date, { nullable: true, description: 'when signed on paper; now when left out' }) @SaneDate() signedAt?: Date | null;
}

@InputType()
export class PassAcceptanceInput extends SignatureFields {
  @Field(() => [String], { description: 'the items confirmed' }) @ArrayMaxSize(200) @Text(500, { each: true, required: true }) itemsConfirmed: string[];
  @Field(() => Int, { description: '1–5' }) @IsInt() @Min(1) @Max(5) qualityScore: number;
  @Field(() => Satisfaction) satisfaction: Satisfaction;
}

@InputType()
export class FailAcceptanceInput extends SignatureFields {
  @Field({ description: 'the issues found; the task is reopened to rectify them' }) @Text(5000, { required: true }) issues: string;
}

export { DocumentEventInput, ReasonEventInput };
