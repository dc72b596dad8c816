/** GraphQL types of the administration (ADMIN only): users, departments, customers, tokens, settings, the admin trail. */
import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { IsInt, IsOptional, Matches, Max, Min, ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { Text } from '../graphql/validation';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Role, UserKind } from '../auth/roles';
import { Actor, PageInfo, UserError } from '../graphql/common.types';
import { CustomerType, DepartmentType, UserType } from '../organisation/organisation.types';
import { CustomerTier } from '../organisation/organisation.entities';

// ─── users ────────────────────────────────────────────────────────────────────────────────────────

@InputType({ description: 'A person or an automation. A portal user is a user with a customer and the single role CUSTOMER.' })
export class CreateUserInput {
  @Field() @Text(200, { required: true }) name: string;
  @Field({ description: 'unique sign-in name' }) @Matches(/^[a-z0-9][a-z0-9._@-]{1,99}$/, { message: 'login must be 2–100 characters of a-z 0-9 . _ @ -, starting with a letter or digit' }) login: string;
  @Field(() => UserKind, { defaultValue: UserKind.HUMAN }) kind: UserKind;
  @Field(() => [Role]) @ArrayMinSize(1) @ArrayMaxSize(8) roles: Role[];
  @Field(() => ID, { nullable: true, description: 'required for SUPERVISOR; the department a member of staff belongs to' }) departmentId?: string | null;
  @Field(() => ID, { nullable: true, description: 'required for (and only for) CUSTOMER: the organisation of a portal user' }) customerId?: string | null;
  @Field(() => String, { nullable: true, description: 'a technician\'s service region (one of regions); not for portal users' }) @Text(50) regionCode?: string | null;
}

@InputType({ description: 'Fields left out are kept; departmentId, customerId or regionCode given as null are cleared' })
export class UpdateUserInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) @IsOptional() @Text(200, { required: true }) name?: string;
  @Field(() => [Role], { nullable: true }) @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(8) roles?: Role[];
  @Field(() => ID, { nullable: true }) departmentId?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => String, { nullable: true, description: 'a technician\'s service region (one of regions); not for portal users' }) @Text(50) regionCode?: string | null;
}

@InputType()
export class UserStatusInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true, description: 'why, for the admin audit trail' }) @Text(500) reason?: string;
}

@ObjectType()
export class UserPayload {
  @Field(() => UserType, { nullable: true }) user: unknown | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ArgsType()
export class UsersArgs {
  @Field({ nullable: true, description: 'false: active users only (the default lists everybody)' }) includeInactive?: boolean;
}

// ─── departments and supervisors ───────────────────────────────────────────────────────────────────

@InputType()
export class CreateDepartmentInput {
  @Field() @Matches(/^[A-Z][A-Z0-9_]{0,19}$/, { message: 'code must be 1–20 characters of A-Z 0-9 _, starting with a letter' }) code: string;
  @Field() @Text(200, { required: true }) name: string;
}

@InputType()
export class RenameInput {
  @Field(() => ID) id: string;
  @Field() @Text(200, { required: true }) name: string;
}

@InputType()
export class DepartmentStatusInput {
  @Field(() => ID) id: string;
}

@InputType({ description: 'Exactly these users supervise the department: each gets the role SUPERVISOR and the department; other supervisors of it lose the role' })
export class SetDepartmentSupervisorsInput {
  @Field(() => ID) departmentId: string;
  @Field(() => [ID]) @ArrayMaxSize(50) userIds: string[];
}

@ObjectType()
export class DepartmentPayload {
  @Field(() => DepartmentType, { nullable: true }) department: unknown | null;
  @Field(() => [UserType], { description: 'the department\'s supervisors after the change', nullable: true }) supervisors?: unknown[] | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

// ─── customers and their tier ──────────────────────────────────────────────────────────────────────

@InputType()
export class CreateCustomerInput {
  @Field() @Matches(/^[A-Z][A-Z0-9_]{0,19}$/, { message: 'code must be 1–20 characters of A-Z 0-9 _, starting with a letter' }) code: string;
  @Field() @Text(200, { required: true }) name: string;
  @Field(() => CustomerTier, { defaultValue: CustomerTier.STANDARD }) tier: CustomerTier;
  @Field(() => String, { nullable: true, description: 'the service region of its site (one of regions); its requests default to it' }) @Text(50) regionCode?: string | null;
}

@InputType()
export class ChangeCustomerTierInput {
  @Field(() => ID) id: string;
  @Field(() => CustomerTier) tier: CustomerTier;
  @Field({ description: 'why, for the admin audit trail' }) @Text(500, { required: true }) reason: string;
}

@InputType()
export class ChangeCustomerRegionInput {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true, description: 'one of regions; null: no region' }) @Text(50) regionCode: string | null;
  @Field({ nullable: true, description: 'why, for the admin audit trail' }) @Text(500) reason?: string;
}

@ObjectType({ description: 'A document whose approval tier was recomputed because its customer\'s tier changed' })
export class TierRecomputation {
  @Field() documentType: string;
  @Field(() => ID) documentId: string;
  @Field() number: string;
  @Field() state: string;
  @Field() from: string;
  @Field() to: string;
}

@ObjectType()
export class CustomerPayload {
  @Field(() => CustomerType, { nullable: true }) customer: unknown | null;
  @Field(() => [TierRecomputation], { description: 'documents not yet approved whose tier changed (changeCustomerTier)' }) recomputed: TierRecomputation[];
  @Field(() => [UserError]) userErrors: UserError[];
}

// ─── tokens ────────────────────────────────────────────────────────────────────────────────────────

@ObjectType('ApiToken', { description: 'A bearer token of a user or automation, without its secret (shown once, when issued or rotated)' })
export class ApiTokenType {
  @Field(() => ID) id: string;
  @Field(() => UserType) user: unknown;
  @Field() label: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'after a rotation: the old token works until then' }) expiresAt: Date | null;
  @Field({ description: 'not revoked and not past expiresAt' }) active: boolean;
}

@InputType()
export class IssueApiTokenInput {
  @Field(() => ID) userId: string;
  @Field() @Text(200, { required: true }) label: string;
}

@InputType()
export class RotateApiTokenInput {
  @Field(() => ID) id: string;
  @Field(() => Int, { defaultValue: 0, description: 'how long the old token keeps working (0 to 604800 seconds: a week)' }) @IsInt() @Min(0) @Max(604_800) overlapSeconds: number;
}

@InputType()
export class RevokeApiTokenInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) @Text(500) reason?: string;
}

@ObjectType()
export class ApiTokenPayload {
  @Field(() => ApiTokenType, { nullable: true }) apiToken: ApiTokenType | null;
  @Field(() => String, { nullable: true, description: 'the bearer token itself: shown this once, stored only as a hash' }) token: string | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ArgsType()
export class ApiTokensArgs {
  @Field(() => ID, { nullable: true, description: 'one user\'s tokens; all when left out' }) userId?: string | null;
}

// ─── settings ──────────────────────────────────────────────────────────────────────────────────────

@ObjectType('Setting', { description: 'A policy setting as versioned data: the environment gave its first value; ADMIN changes it' })
export class SettingType {
  @Field() key: string;
  @Field() description: string;
  @Field(() => GraphQLJSON) value: unknown;
  @Field(() => Int) version: number;
  @Field(() => Actor, { nullable: true, description: 'null: the initial value, from the environment' }) changedBy: Actor | null;
  @Field() changedAt: Date;
  @Field(() => String, { nullable: true }) reason: string | null;
}

@InputType()
export class ChangeSettingInput {
  @Field() key: string;
  @Field(() => GraphQLJSON) value: unknown;
  @Field({ description: 'why, for the admin audit trail' }) @Text(500, { required: true }) reason: string;
  @Field(() => Int, { description: 'the version the change is made to; another change since is refused STALE_VERSION' }) expectedVersion: number;
}

@ObjectType()
export class SettingPayload {
  @Field(() => SettingType, { nullable: true }) setting: SettingType | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

// ─── the admin audit trail ─────────────────────────────────────────────────────────────────────────

@ObjectType({ description: 'One admin change, hash-chained to the one before' })
export class AdminAuditEventType {
  @Field(() => Int) seq: number;
  @Field({ description: 'User, Department, Customer, ApiToken, Setting, or the document type whose tier was recomputed' }) subjectType: string;
  @Field({ description: 'the subject\'s global id (a setting\'s key)' }) subjectId: string;
  @Field() event: string;
  @Field(() => Actor) actor: Actor;
  @Field(() => [Role]) actorRoles: Role[];
  @Field() at: Date;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => GraphQLJSONObject, { description: '{ field: { from, to } }' }) changes: Record<string, unknown>;
  @Field(() => String, { nullable: true }) requestId: string | null;
  @Field(() => String, { nullable: true }) prevHash: string | null;
  @Field() hash: string;
}

@ObjectType()
export class AdminAuditConnection {
  @Field(() => [AdminAuditEventType]) nodes: AdminAuditEventType[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int) totalCount: number;
}

@ArgsType()
export class AdminAuditArgs {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'oldest first; the cursor of the last event seen' }) after?: string | null;
}
