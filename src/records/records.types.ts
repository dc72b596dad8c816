import { Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/common.types';
import { SaneDate, Text } from '../graphql/validation';
import { DepartmentType } from '../organisation/organisation.types';

@ObjectType({ description: 'A closed or archived document as the archive lists show it: no personal fields (SPEC §5)' })
export class RecordEntry {
  @Field(() => ID, { description: 'the document\'s global id (node(id) reads it once archived)' }) id: string;
  @Field({ description: 'the document type, e.g. ServiceRequest' }) type: string;
  @Field() number: string;
  @Field() state: string;
  @Field(() => String, { nullable: true, description: 'the category bulk archiving filters on (requests, complaints)' }) category: string | null;
  @Field(() => DepartmentType, { nullable: true, description: 'the department that owns it' }) department: unknown;
  departmentId: string | null;
  @Field(() => Date, { nullable: true, description: 'when it closed (its end of service): retention runs from here' }) closedAt: Date | null;
  @Field(() => Date, { nullable: true }) retentionUntil: Date | null;
  @Field(() => Date, { nullable: true }) archivedAt: Date | null;
  @Field(() => Date, { nullable: true }) purgedAt: Date | null;
  @Field(() => Int, { description: 'legal holds standing on it' }) standingHolds: number;
}

@ObjectType('RecordEntryConnection', { description: 'A page of the archive register, oldest closing first' })
export class RecordEntryConnection {
  @Field(() => [RecordEntry]) nodes: RecordEntry[];
  @Field(() => Int, { description: 'all matching entries' }) totalCount: number;
  @Field({ description: 'more entries after this page' }) hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: 'pass as `after` for the next page' }) endCursor: string | null;
}

@ArgsType()
export class RecordListArgs {
  @Field(() => String, { nullable: true, description: 'one document type (all types under records control when left out)' }) type?: string | null;
  @Field(() => Date, { nullable: true, description: 'closed at or after' }) @SaneDate() closedFrom?: Date | null;
  @Field(() => Date, { nullable: true, description: 'closed before' }) @SaneDate() closedTo?: Date | null;
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => Int, { nullable: true, description: 'page size, at most 100' }) @Min(0) @Max(100) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
export class ArchivedListArgs extends RecordListArgs {
  @Field(() => Boolean, { nullable: true, description: 'true: only those due for purge (retention over, not purged, no hold); false: only those that are not' }) purgeable?: boolean | null;
}

@InputType({ description: 'Archive the closed documents of one type closed in [closedFrom, closedTo), optionally of one category' })
export class ArchiveDocumentsInput {
  @Field({ description: 'ServiceRequest, Complaint, Consultation or PartsRequisition (tasks, records and acceptances follow their request)' }) @Text(60, { required: true }) type: string;
  @Field(() => Date) @SaneDate() closedFrom: Date;
  @Field(() => Date) @SaneDate() closedTo: Date;
  @Field(() => String, { nullable: true, description: 'e.g. AFTER_SALES for requests' }) @Text(60) category?: string | null;
  @Field(() => Int, { nullable: true, description: 'at most this many (never more than the server\'s cap, RECORDS_BATCH_MAX)' }) @Min(1) @Max(10_000) limit?: number | null;
}

@ObjectType({ description: 'One document a bulk operation left as it was, and why' })
export class RecordRefusal {
  @Field(() => ID) id: string;
  @Field(() => UserError) error: UserError;
}

@ObjectType()
export class ArchiveDocumentsPayload {
  @Field(() => Int) archivedCount: number;
  @Field(() => [ID], { description: 'global ids of the documents archived by this call (their tasks, records and acceptances followed)' }) archivedIds: string[];
  @Field(() => [RecordRefusal], { description: 'documents this call tried and the engine refused (e.g. archived meanwhile by someone else)' }) refused: RecordRefusal[];
  @Field(() => Int, { description: 'documents still matching after this call: call again while it is above 0' }) remaining: number;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ObjectType({ description: 'A legal hold: the document cannot be purged while it stands (SPEC §5)' })
export class LegalHoldType {
  @Field(() => ID) id: string;
  @Field(() => ID, { description: 'the held document\'s global id' }) documentId: string;
  @Field() documentType: string;
  @Field() reason: string;
  @Field(() => ID, { description: 'the user reminded before the review date' }) ownerId: string;
  @Field() reviewAt: Date;
  @Field() setAt: Date;
  @Field(() => Date, { nullable: true }) liftedAt: Date | null;
  @Field(() => String, { nullable: true }) liftReason: string | null;
  @Field(() => Date, { nullable: true }) remindedAt: Date | null;
  @Field({ description: 'not lifted' }) standing: boolean;
}

@InputType()
export class SetLegalHoldInput {
  @Field(() => ID, { description: 'a closed or archived document' }) documentId: string;
  @Field() @Text(2000, { required: true }) reason: string;
  @Field(() => ID, { description: 'the member of staff responsible for it: reminded before reviewAt' }) ownerId: string;
  @Field(() => Date) @SaneDate() reviewAt: Date;
}

@InputType()
export class LiftLegalHoldInput {
  @Field(() => ID) id: string;
  @Field() @Text(2000, { required: true }) reason: string;
}

@ObjectType()
export class LegalHoldPayload {
  @Field(() => LegalHoldType, { nullable: true }) legalHold: LegalHoldType | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@InputType()
export class PurgeDocumentInput {
  @Field(() => ID, { description: 'an archived document past its retention, with no legal hold standing' }) id: string;
}

@ObjectType({ description: 'What a purge removed' })
export class PurgedDocument {
  @Field(() => ID) id: string;
  @Field() type: string;
  @Field() number: string;
  @Field() purgedAt: Date;
  @Field(() => [String], { description: 'the personal fields emptied (their values also left the audit trail)' }) fields: string[];
}

@ObjectType()
export class PurgeDocumentPayload {
  @Field(() => PurgedDocument, { nullable: true }) purged: PurgedDocument | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@InputType({ description: 'Purge what is due: archived, past retention, no legal hold' })
export class PurgeDocumentsInput {
  @Field(() => String, { nullable: true, description: 'one document type (all when left out)' }) @Text(60) type?: string | null;
  @Field(() => Int, { nullable: true }) @Min(1) @Max(10_000) limit?: number | null;
}

@ObjectType()
export class PurgeDocumentsPayload {
  @Field(() => [PurgedDocument]) purged: PurgedDocument[];
  @Field(() => [RecordRefusal]) refused: RecordRefusal[];
  @Field(() => Int) remaining: number;
  @Field(() => [UserError]) userErrors: UserError[];
}
