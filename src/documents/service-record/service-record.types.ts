import { ArrayMaxSize, ArrayMinSize, IsInt, IsNumber, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { SaneDate, Text } from '../../graphql/validation';
import { EntryKind, ServiceRecordState, SignOffChannel, SignOffMark, WarrantyCoverage } from './service-record.enums';

@ObjectType('Attachment', { description: 'A file kept in storage: the record holds its description and checksum' })
export class AttachmentType {
  @Field() name: string;
  @Field({ description: 'MIME type' }) contentType: string;
  @Field(() => Int, { description: 'bytes' }) size: number;
  @Field({ description: 'hex SHA-256 of the content' }) sha256: string;
  @Field({ description: 'where it is stored (object key or URL)' }) location: string;
  @Field() addedAt: Date;
}

@ObjectType('ServiceRecordEntryRevision', { description: 'One version of an entry\'s text: revision 1 as written, later ones signed corrections' })
export class EntryRevisionType {
  @Field(() => Int) revision: number;
  @Field() text: string;
  @Field({ description: 'the author (revision 1) or the corrector' }) authorName: string;
  @Field() at: Date;
  @Field(() => String, { nullable: true, description: 'why it was corrected' }) reason: string | null;
}

@ObjectType('ServiceRecordEntry', { description: 'An appended entry; corrections add revisions and keep the earlier text' })
export class EntryType {
  @Field(() => ID) id: string;
  @Field(() => Int) seq: number;
  @Field(() => EntryKind) kind: EntryKind;
  @Field() createdAt: Date;
}

@ObjectType('WarrantyCheck', { description: '三包 check of a repair (seed 003 §3.4.2): the warranty evidence, staff only' })
export class WarrantyCheckType {
  @Field(() => WarrantyCoverage) coverage: WarrantyCoverage;
  @Field({ description: 'the faulty part had been taken apart before the visit' }) dismantled: boolean;
  @Field(() => Float, { nullable: true }) runningHours: number | null;
  @Field(() => Float, { nullable: true }) mileageKm: number | null;
  @Field() checkedAt: Date;
}

@ObjectType('RepairedFault', { description: 'A fault a repair fixed, on one piece of equipment, with its post-repair warranty (seed 004 質保跟踪)' })
export class RepairedFaultType {
  @Field(() => Int) seq: number;
  @Field({ description: 'upper-cased; with the equipment serial and the customer, the key a later request is matched on' }) faultCode: string;
  @Field() description: string;
  @Field() equipmentModel: string;
  @Field({ description: 'upper-cased' }) equipmentSerial: string;
  @Field(() => Int, { description: 'days of post-repair warranty' }) warrantyDays: number;
  @Field(() => Date, { nullable: true, description: 'the repair\'s end + warrantyDays; set when the customer signs the report (no valid report, no warranty)' })
  warrantyUntil: Date | null;
}

@ObjectType('ServiceRecord', { implements: Node, description: '服務記錄單 — a service record of a task (SPEC §3.3)' })
export class ServiceRecordType extends Node {
  @Field({ description: 'RC-2026-000123' }) number: string;
  @Field(() => ServiceRecordState) state: ServiceRecordState;
  @Field(() => Int) version: number;
  @Field(() => Date, { nullable: true, description: 'minute precision' }) actualStart: Date | null;
  @Field(() => Date, { nullable: true, description: 'minute precision' }) actualEnd: Date | null;
  @Field(() => [AttachmentType]) attachments: AttachmentType[];
  @Field(() => String, { nullable: true }) sendBackReason: string | null;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true }) reviewedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'the technician\'s return to the company: the filing deadline runs 3 days from it (from actualEnd while it is not recorded)' })
  returnedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'when the customer signed the report (null: not signed; it cannot be approved)' }) customerSignedAt: Date | null;
  @Field(() => String, { nullable: true }) customerSignerName: string | null;
  @Field(() => SignOffChannel, { nullable: true }) customerSignChannel: SignOffChannel | null;
  @Field(() => SignOffMark, { nullable: true }) customerSignMark: SignOffMark | null;
  @Field(() => AttachmentType, { nullable: true, description: 'the signature or the seal: the scan of the signed page, or the portal\'s image' })
  customerSignature: AttachmentType | null;
  @Field(() => Date, { nullable: true, description: 'when the sign-off was put on the record' }) customerSignRecordedAt: Date | null;
  @Field(() => WarrantyCheckType, { nullable: true, description: 'Staff only. A repair\'s 三包 check' }) warrantyCheck: WarrantyCheckType | null;
  @Field(() => [RepairedFaultType], { description: 'a repair\'s repaired faults, each with its post-repair warranty' }) repairedFaults: RepairedFaultType[];
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class AttachmentInput {
  @Field() @Text(255, { required: true }) name: string;
  @Field() @Text(255, { required: true }) contentType: string;
  @Field(() => Int) @IsInt() @Min(0) @Max(2_147_483_647) size: number;
  @Field() @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex digits' }) sha256: string;
  @Field() @Text(2000, { required: true }) location: string;
}

@InputType()
export class CreateServiceRecordInput {
  @Field(() => ID, { description: 'an IN_PROGRESS task you are assigned to or help on' }) taskId: string;
  @Field(() => Date, { nullable: true, description: 'minute precision' }) @SaneDate() actualStart?: Date | null;
  @Field(() => Date, { nullable: true, description: 'minute precision' }) @SaneDate() actualEnd?: Date | null;
}

@InputType({ description: 'Times (minute precision) and attachments to add; omitted fields stay' })
export class UpdateServiceRecordInput extends DocumentEventInput {
  @Field(() => Date, { nullable: true }) @SaneDate() actualStart?: Date | null;
  @Field(() => Date, { nullable: true }) @SaneDate() actualEnd?: Date | null;
  @Field(() => Date, { nullable: true, description: 'your return to the company (minute precision, not before actualEnd): the filing deadline runs from it' })
  @SaneDate()
  returnedAt?: Date | null;
  @Field(() => [AttachmentInput], { nullable: true, description: 'appended to the record\'s attachments' })
  @ValidateNested({ each: true })
  addAttachments?: AttachmentInput[] | null;
}

@InputType()
export class AddEntryInput extends DocumentEventInput {
  @Field(() => EntryKind) kind: EntryKind;
  @Field() @Text(10000, { required: true }) text: string;
}

@InputType({ description: 'A correction: a new revision of the entry, signed by you with the reason; the earlier text stays' })
export class AmendEntryInput extends DocumentEventInput {
  @Field(() => ID) entryId: string;
  @Field() @Text(10000, { required: true }) text: string;
  @Field({ description: 'why the entry is corrected' }) @Text(2000, { required: true }) reason: string;
}

@InputType({ description: 'The customer\'s sign-off of the field report. A portal user signs as themself; customer service records the paper report signed on site' })
export class SignOffServiceRecordInput extends DocumentEventInput {
  @Field(() => SignOffMark) mark: SignOffMark;
  @Field(() => String, { nullable: true, description: 'required on paper: who signed (or whose seal it is); a portal user signs as themself' })
  @Text(200)
  signerName?: string | null;
  @Field(() => Date, { nullable: true, description: 'on paper: when it was signed (not before the work ended, not in the future); now when left out' })
  @SaneDate()
  signedAt?: Date | null;
  @Field(() => AttachmentInput, { nullable: true, description: 'the signature or seal: required on paper (the scan of the signed page)' })
  @ValidateNested()
 
  signature?: AttachmentInput | null;
}

@InputType()
export class WarrantyCheckInput {
  @Field(() => WarrantyCoverage) coverage: WarrantyCoverage;
  @Field({ description: 'the faulty part had been taken apart before the visit' }) dismantled: boolean;
  @Field(() => Float, { nullable: true }) @IsNumber({ maxDecimalPlaces: 1 }, { message: '$property must be a number with at most 1 decimal' }) @Min(0) @Max(10_000_000) runningHours?: number | null;
  @Field(() => Float, { nullable: true }) @IsNumber({ maxDecimalPlaces: 1 }, { message: '$property must be a number with at most 1 decimal' }) @Min(0) @Max(100_000_000) mileageKm?: number | null;
}

@InputType()
export class RepairedFaultInput {
  @Field() @Text(50, { required: true }) faultCode: string;
  @Field() @Text(2000, { required: true }) description: string;
  @Field() @Text(200, { required: true }) equipmentModel: string;
  @Field() @Text(100, { required: true }) equipmentSerial: string;
  @Field(() => Int, { nullable: true, description: 'days of post-repair warranty; REPAIR_WARRANTY_DAYS (90) when left out' })
  @IsInt()
  @Min(0)
  @Max(3650)
  warrantyDays?: number | null;
}

@InputType({ description: 'A repair\'s warranty check and the faults it fixed; replaces what was recorded before' })
export class RecordRepairInput extends DocumentEventInput {
  @Field(() => WarrantyCheckInput) @ValidateNested() warrantyCheck: WarrantyCheckInput;
  @Field(() => [RepairedFaultInput]) @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) repairedFaults: RepairedFaultInput[];
}

export { DocumentEventInput, ReasonEventInput };
