import { Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DocumentEventInput, ReasonEventInput } from '../../graphql/common.types';
import { Node } from '../../graphql/node';
import { SaneDate, Text } from '../../graphql/validation';
import { AccessTargetKind } from './access-request.entity';

export enum AccessRequestState {
  REQUESTED = 'REQUESTED',
  GRANTED = 'GRANTED',
  DENIED = 'DENIED',
  WITHDRAWN = 'WITHDRAWN',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(AccessRequestState, { name: 'AccessRequestState' });
registerEnumType(AccessTargetKind, { name: 'AccessTargetKind', description: 'One document, or every document of a department' });

@ObjectType('AccessRequest', { implements: Node, description: '查詢申請 — a request to read documents outside one\'s normal audience (SPEC §3.7)' })
export class AccessRequestType extends Node {
  @Field({ description: 'AR-2026-000123' }) number: string;
  @Field(() => AccessRequestState) state: AccessRequestState;
  @Field(() => Int) version: number;
  @Field(() => AccessTargetKind) targetKind: AccessTargetKind;
  @Field(() => String, { nullable: true, description: 'for a DOCUMENT target: its type' }) documentType: string | null;
  @Field() purpose: string;
  @Field(() => Int) requestedDays: number;
  @Field(() => Date, { nullable: true, description: 'the grant is effective until then' }) grantedUntil: Date | null;
  @Field(() => String, { nullable: true }) decisionReason: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType({ description: 'A read made through a granted access request' })
export class AccessRead {
  @Field(() => ID, { description: 'the reader (a User id)' }) readerId: string;
  @Field() readerName: string;
  @Field() documentType: string;
  @Field(() => ID, { description: 'the document read (global id)' }) documentId: string;
  @Field() at: Date;
  @Field(() => String, { nullable: true }) requestId: string | null;
}

@InputType()
export class CreateAccessRequestInput {
  @Field(() => ID, { nullable: true, description: 'one document to read (give this or departmentId)' }) documentId?: string | null;
  @Field(() => ID, { nullable: true, description: 'every document of this department (give this or documentId)' }) departmentId?: string | null;
  @Field({ description: 'why you need to read it' }) @Text(2000, { required: true }) purpose: string;
  @Field(() => Int, { description: 'for how many days' }) @Min(1) @Max(90) days: number;
}

@InputType()
export class GrantAccessRequestInput extends DocumentEventInput {
  @Field({ description: 'the grant ends then; in the future, at most 90 days ahead' }) @SaneDate() expiresAt: Date;
}

export { ReasonEventInput };
