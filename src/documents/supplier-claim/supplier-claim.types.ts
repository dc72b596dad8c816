import { IsNumber, Max, Min } from 'class-validator';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { Text } from '../../graphql/validation';
import { SupplierClaimState } from './supplier-claim.enums';

@ObjectType('SupplierClaimLine', { description: 'One old part claimed back from the supplier: the requisition line it replaced' })
export class SupplierClaimLineType {
  @Field({ description: 'the parts requisition, PR-2026-000123' }) requisitionNumber: string;
  @Field(() => Int, { description: 'its line, 1-based' }) line: number;
  @Field() partNumber: string;
  @Field() partName: string;
  @Field(() => Int) quantity: number;
  @Field(() => Float, { description: 'CNY' }) unitCost: number;
  @Field(() => Float, { description: 'quantity × unit cost, CNY' }) amount: number;
  @Field({ description: 'when the store received the old part' }) receivedAt: Date;
}

@ObjectType('SupplierClaim', { implements: Node, description: '二次索賠 — a claim on a supplier for the old parts its warranty covers, drawn up by the monthly processing (SPEC §3.6). Staff only.' })
export class SupplierClaimType extends Node {
  @Field({ description: 'SC-2026-000123' }) number: string;
  @Field(() => SupplierClaimState) state: SupplierClaimState;
  @Field(() => Int) version: number;
  @Field({ description: 'the first day of the month whose old parts it claims' }) periodFrom: string;
  @Field() supplier: string;
  @Field(() => Float, { description: 'Σ quantity × unit cost of its lines, CNY' }) claimedAmount: number;
  @Field(() => Float, { nullable: true, description: 'what the supplier accepted, CNY' }) acceptedAmount: number | null;
  @Field(() => String, { nullable: true, description: 'the supplier\'s reference for the claim' }) supplierReference: string | null;
  @Field(() => String, { nullable: true }) rejectionReason: string | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
  @Field(() => String, { nullable: true, description: 'how the supplier settled (credit note, replacement parts, payment to the company\'s account)' }) settlementNote: string | null;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'when the supplier\'s answer (accepted or rejected) was recorded' }) decidedAt: Date | null;
  @Field(() => Date, { nullable: true }) settledAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType({ description: 'Send the claim to the supplier' })
export class SubmitSupplierClaimInput extends DocumentEventInput {
  @Field(() => String, { nullable: true, description: 'the supplier\'s reference, when it gave one' }) @Text(200) supplierReference?: string | null;
}

@InputType({ description: 'The supplier accepted the claim, for this amount' })
export class AcceptSupplierClaimInput extends DocumentEventInput {
  @Field(() => Float, { description: 'CNY, at most the claimed amount, 2 decimals' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: '$property must be a number with at most 2 decimals' })
  @Min(0)
  @Max(999_999_999_999)
  acceptedAmount: number;
}

@InputType({ description: 'How the supplier settled the accepted claim' })
export class SettleSupplierClaimInput extends DocumentEventInput {
  @Field({ description: 'credit note, replacement parts, payment to the company\'s account — with its reference' }) @Text(2000, { required: true }) settlementNote: string;
}

export { DocumentEventInput, ReasonEventInput };
