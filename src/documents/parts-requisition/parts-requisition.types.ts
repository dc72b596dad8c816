import { ArrayMaxSize, IsInt, IsNumber, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ApprovalTier } from '../../approval/tier';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { Text } from '../../graphql/validation';
import { OldPartDisposition, PartsRequisitionState } from './parts-requisition.enums';

/** the most lines one requisition carries */
export const MAX_LINES = 100;

@ObjectType('PartLine', { description: 'One line of a parts requisition; what became of the replaced part once consumed' })
export class PartLineType {
  @Field(() => Int, { description: '1, 2, 3 … in the order given' }) line: number;
  @Field() partNumber: string;
  @Field() partName: string;
  @Field(() => Int) quantity: number;
  @Field(() => Float, { description: 'CNY' }) unitCost: number;
  @Field(() => Float, { description: 'quantity × unit cost, CNY' }) amount: number;
  @Field({ description: '三包: a warranty part is written off only with its old part returned or kept by the customer' }) underWarranty: boolean;
  @Field(() => OldPartDisposition, { nullable: true, description: 'set when the parts are consumed' }) oldPart: OldPartDisposition | null;
  @Field(() => String, { nullable: true }) oldPartNote: string | null;
  @Field(() => String, { nullable: true, description: 'KEPT_BY_CUSTOMER: the name of the customer\'s person who keeps the old part' }) keptBy: string | null;
  @Field(() => Date, { nullable: true, description: 'RETURNED: when the store received the packed old part' }) oldPartReceivedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'the old part\'s supplier, recorded by the store at receipt' }) supplier: string | null;
  @Field(() => Boolean, { nullable: true, description: 'recorded at receipt: the supplier\'s warranty covers the old part (it goes into the month\'s supplier claim, 二次索賠)' }) supplierWarranty: boolean | null;
  /** the storekeeper who received the old part (resolved by PartLineResolver) */
  oldPartReceivedById: string | null;
}

@ObjectType('PartsRequisition', { implements: Node, description: '備件領料單 — a technician\'s spare-parts requisition for a task (SPEC §3.6). Staff only.' })
export class PartsRequisitionType extends Node {
  @Field({ description: 'PR-2026-000123' }) number: string;
  @Field(() => PartsRequisitionState) state: PartsRequisitionState;
  @Field(() => Int) version: number;
  @Field(() => Float, { description: 'Σ quantity × unit cost, CNY: the amount of the approval tier' }) totalAmount: number;
  @Field(() => ApprovalTier, { nullable: true, description: 'computed at SUBMIT from the total, the customer\'s tier and the task\'s complexity' }) tier: ApprovalTier | null;
  @Field(() => Int, { description: '0 before the first SUBMIT, +1 at each' }) approvalRound: number;
  @Field(() => String, { nullable: true }) rejectionReason: string | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true }) approvedAt: Date | null;
  @Field(() => Date, { nullable: true }) issuedAt: Date | null;
  @Field(() => Date, { nullable: true }) consumedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'when a leader approved the write-off of the warranty parts' }) writeOffApprovedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'the leader\'s comment on the write-off' }) writeOffComment: string | null;
  @Field(() => Date, { nullable: true, description: 'when the store wrote the warranty parts off (銷帳)' }) writtenOffAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class PartLineInput {
  @Field() @Text(100, { required: true }) partNumber: string;
  @Field() @Text(200, { required: true }) partName: string;
  @Field(() => Int, { description: 'whole pieces, at least 1' }) @IsInt() @Min(1) @Max(1_000_000) quantity: number;
  @Field(() => Float, { description: 'CNY, at most 2 decimals' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: '$property must be a number with at most 2 decimals' })
  @Min(0)
  @Max(999_999_999_999)
  unitCost: number;
  @Field({ description: '三包 (under warranty)' }) underWarranty: boolean;
}

@InputType()
export class CreatePartsRequisitionInput {
  @Field(() => ID, { description: 'a CONFIRMED or IN_PROGRESS task you are assigned to or help on' }) taskId: string;
  @Field(() => [PartLineInput], { nullable: true, description: 'the parts; the total is computed' })
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  lines?: PartLineInput[] | null;
}

@InputType({ description: 'The requisition\'s lines, replaced as a whole' })
export class UpdatePartsRequisitionInput extends DocumentEventInput {
  @Field(() => [PartLineInput]) @ArrayMaxSize(MAX_LINES) @ValidateNested({ each: true }) lines: PartLineInput[];
}

@InputType({ description: 'What became of the part one line replaced' })
export class LineConsumptionInput {
  @Field(() => Int, { description: 'the line, 1-based' }) @IsInt() @Min(1) @Max(MAX_LINES) line: number;
  @Field(() => OldPartDisposition) oldPart: OldPartDisposition;
  @Field(() => String, { nullable: true, description: 'e.g. why it was not brought back' }) @Text(500) note?: string | null;
  @Field(() => String, { nullable: true, description: 'KEPT_BY_CUSTOMER (required then): the name of the customer\'s person who keeps the old part' }) @Text(200) keptBy?: string | null;
}

@InputType({ description: 'Write the issued parts off against a service record of the task; every line says what became of its old part' })
export class ConsumePartsRequisitionInput extends DocumentEventInput {
  @Field(() => ID, { description: 'a service record of the requisition\'s task' }) recordId: string;
  @Field(() => [LineConsumptionInput], { description: 'one entry for every line' }) @ArrayMaxSize(MAX_LINES) @ValidateNested({ each: true }) lines: LineConsumptionInput[];
}

@InputType({ description: 'One old part the store received, packed, with what its label says about the supplier' })
export class OldPartReceiptInput {
  @Field(() => Int, { description: 'the line, 1-based: a line whose old part was RETURNED and is not yet received' }) @IsInt() @Min(1) @Max(MAX_LINES) line: number;
  @Field(() => String, { nullable: true, description: 'the part\'s supplier (required when its warranty covers the part)' }) @Text(200) supplier?: string | null;
  @Field({ defaultValue: false, description: 'the supplier\'s warranty covers the part: it is claimed back in the month\'s supplier claim (二次索賠)' }) supplierWarranty: boolean;
}

@InputType({ description: 'The store receives old parts brought back for this requisition' })
export class ReceiveOldPartsPartsRequisitionInput extends DocumentEventInput {
  @Field(() => [OldPartReceiptInput]) @ArrayMaxSize(MAX_LINES) @ValidateNested({ each: true }) lines: OldPartReceiptInput[];
}

export { DocumentEventInput, ReasonEventInput };
