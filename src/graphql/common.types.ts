import { GraphQLJSONObject } from 'graphql-scalars';
import { Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/roles';
import { UserErrorCode } from '../workflow/errors';
import { GuardKind } from '../workflow/definition';
import { registerEnumType } from 'type-graphql';
import { Text } from './validation';

registerEnumType(GuardKind, { name: 'GuardKind', description: 'What a failing guard means: PERMISSION → FORBIDDEN, RULE → GUARD_FAILED, TIER → APPROVAL_TIER, SEGREGATION → SEGREGATION_OF_DUTIES' });

@ObjectType({ description: 'Why a mutation was refused. A refused mutation changed nothing.' })
export class UserError {
  @Field(() => UserErrorCode) code: UserErrorCode;
  @Field() message: string;
  @Field(() => String, { nullable: true, description: 'the input field at fault, when there is one' })
  field: string | null;
}

@ObjectType({ description: 'An event of the document and whether the caller may send it now' })
export class AvailableEvent {
  @Field({ description: 'the machine event, e.g. SUBMIT' }) event: string;
  @Field({ description: 'the mutation that sends it, e.g. submitServiceRequest' }) mutation: string;
  @Field() allowed: boolean;
  @Field(() => UserErrorCode, { nullable: true, description: 'the code a mutation would be refused with' })
  code: UserErrorCode | null;
  @Field(() => String, { nullable: true, description: 'why not, in words' }) reason: string | null;
}

@ObjectType({ description: 'A document type this caller may create, or why not (judged by the permission guards of its machine\'s CREATE; the rules about what it is made from are checked when it is created)' })
export class AvailableCreation {
  @Field({ description: 'the document type, e.g. ServiceRequest' }) type: string;
  @Field({ description: 'the mutation that creates one, e.g. createServiceRequest' }) mutation: string;
  @Field() allowed: boolean;
  @Field(() => UserErrorCode, { nullable: true }) code: UserErrorCode | null;
  @Field(() => String, { nullable: true, description: 'why not, in words' }) reason: string | null;
}

@ObjectType({ description: 'Who did something' })
export class Actor {
  @Field(() => ID) id: string;
  @Field() name: string;
}

@ObjectType({ description: 'One entry of a document\'s append-only, hash-chained audit trail (SPEC §6)' })
export class HistoryEvent {
  @Field(() => Int, { description: '1, 2, 3 … per document' }) seq: number;
  @Field({ description: 'CREATE or the machine event' }) event: string;
  @Field(() => String, { nullable: true }) fromState: string | null;
  @Field() toState: string;
  @Field(() => Int, { description: 'the document version after the event' }) version: number;
  @Field(() => Actor) actor: Actor;
  @Field(() => [Role]) actorRoles: Role[];
  @Field() at: Date;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => GraphQLJSONObject, { description: 'changed fields: { field: { from, to } }' })
  changes: Record<string, unknown>;
  @Field(() => String, { nullable: true }) requestId: string | null;
  @Field(() => String, { nullable: true }) idempotencyKey: string | null;
  @Field(() => String, { nullable: true }) prevHash: string | null;
  @Field() hash: string;
}

@ObjectType({ description: 'Result of recomputing a document\'s audit hash chain' })
export class AuditChainVerification {
  @Field() valid: boolean;
  @Field(() => Int) eventCount: number;
  @Field(() => Int, { nullable: true, description: 'the first event that does not verify' }) brokenAtSeq: number | null;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => Int, { description: 'the last event checked by this call (0 when there was none)' }) checkedThroughSeq: number;
  @Field({ description: 'the check reached the end of the chain; otherwise call again with fromSeq = checkedThroughSeq + 1' }) complete: boolean;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType({ description: 'A page of a document\'s audit trail, oldest first' })
export class HistoryConnection {
  @Field(() => [HistoryEvent]) nodes: HistoryEvent[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int, { description: 'events you may see in the whole trail' }) totalCount: number;
}

@ArgsType()
export class HistoryArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most 100 (default 50)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'the endCursor of the previous page' }) after?: string;
}

@InputType({ description: 'What every event mutation takes' })
export class DocumentEventInput {
  @Field(() => ID) id: string;
  @Field(() => Int, { nullable: true, description: 'refuse with STALE_VERSION unless the document is at this version' })
  @Min(1)
  @Max(2_147_483_647)
  expectedVersion?: number | null;
  @Field(() => String, { nullable: true, description: 'recorded in the audit trail' })
  @Text(2000)
  comment?: string | null;
}

@InputType({ description: 'An event that needs a reason' })
export class ReasonEventInput extends DocumentEventInput {
  @Field({ description: 'why; recorded in the audit trail' })
  @Text(2000, { required: true })
  reason: string;
}

@ObjectType({ description: 'A guard of a workflow transition' })
export class WorkflowGuard {
  @Field() name: string;
  @Field(() => GuardKind) kind: GuardKind;
  @Field() description: string;
  @Field(() => [Role], { nullable: true, description: 'for permission guards: the roles it can ever admit' }) roles?: Role[];
}

@ObjectType()
export class WorkflowTransition {
  @Field({ description: 'NEW for the creation transition' }) from: string;
  @Field() to: string;
  @Field(() => [WorkflowGuard]) guards: WorkflowGuard[];
  @Field(() => [String], { description: 'the effects it runs, in order' }) effects: string[];
  @Field(() => [String], { description: 'the domain events it announces (e.g. ServiceTask.approved); other documents react to them' }) announces: string[];
}

@ObjectType()
export class WorkflowEvent {
  @Field() name: string;
  @Field() description: string;
  @Field(() => String, { nullable: true, description: 'null for events only the system fires' }) mutation: string | null;
  @Field({ description: 'the system fires it (a reaction to another document, a job); it may also have a mutation' }) system: boolean;
  @Field(() => [Role], { description: 'roles that can ever send it' }) roles: Role[];
  @Field(() => [WorkflowTransition]) transitions: WorkflowTransition[];
}

@ObjectType()
export class WorkflowState {
  @Field() name: string;
  @Field() final: boolean;
  @Field(() => [String]) events: string[];
}

@ObjectType({ description: 'A document type\'s machine, as data and as a Mermaid diagram' })
export class Workflow {
  @Field({ description: 'the document type, e.g. ServiceRequest' }) type: string;
  @Field({ description: 'number prefix, e.g. SR' }) prefix: string;
  @Field() initialState: string;
  @Field(() => String, { nullable: true, description: 'the mutation that creates one; null for documents the system opens (an acceptance opens on a task\'s finish)' })
  createMutation: string | null;
  @Field(() => [WorkflowState]) states: WorkflowState[];
  @Field(() => [WorkflowEvent]) events: WorkflowEvent[];
  @Field({ description: 'Mermaid stateDiagram-v2' }) mermaid: string;
}
