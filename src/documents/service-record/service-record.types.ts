import { IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { SaneDate, Text } from '../../graphql/validation';
import { EntryKind, ServiceRecordState } from './service-record.enums';

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

export { DocumentEventInput, ReasonEventInput };
