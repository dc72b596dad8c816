import { Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo, UserError } from '../../graphql/common.types';
import { Text } from '../../graphql/validation';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING: an attempt is queued; DELIVERED: the endpoint answered 2xx; FAILED: every attempt failed (or the endpoint was disabled)',
});

@ObjectType('Webhook', { description: 'An endpoint that is sent signed events (ADMIN only). Its secret is shown once, when registered or rotated, and never again.' })
export class WebhookType {
  @Field(() => ID) id: string;
  @Field() url: string;
  @Field(() => [String], { description: 'what it receives: `ServiceRequest.SUBMIT`, `ServiceTask.*` (every event of a type) or `*`' }) eventTypes: string[];
  @Field(() => String, { nullable: true }) description: string | null;
  @Field() enabled: boolean;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'when the secret was last rotated' }) secretRotatedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'while a rotated secret still signs too (the overlap window): until when' }) previousSecretExpiresAt: Date | null;
}

@ObjectType({ description: 'One HTTP attempt of a delivery' })
export class WebhookAttempt {
  @Field(() => Int, { description: '1, 2, 3 …' }) attempt: number;
  @Field() at: Date;
  @Field(() => Int, { nullable: true, description: 'the HTTP status the endpoint answered; null when there was no answer' }) httpStatus: number | null;
  @Field(() => String, { nullable: true, description: 'why there was no answer (refused, timed out, disabled)' }) error: string | null;
  @Field(() => Int) durationMs: number;
}

@ObjectType({ description: 'One event sent (or being sent) to one endpoint' })
export class WebhookDelivery {
  @Field(() => ID) id: string;
  @Field({ description: 'the event id the receiver de-duplicates on (the Webhook-Id header and the body\'s `id`)' }) eventId: string;
  @Field({ description: 'e.g. ServiceRequest.SUBMIT' }) eventType: string;
  @Field(() => WebhookDeliveryStatus) status: WebhookDeliveryStatus;
  @Field(() => [WebhookAttempt], { description: 'oldest first' }) attempts: WebhookAttempt[];
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'when the next attempt is due (PENDING only)' }) nextAttemptAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'when it was DELIVERED or FAILED' }) finishedAt: Date | null;
}

@ObjectType({ description: 'A page of an endpoint\'s delivery log, newest first' })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDelivery]) nodes: WebhookDelivery[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID) webhookId: string;
  @Field(() => Int, { nullable: true, description: 'page size; at most 100 (default 20)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'the endCursor of the previous page' }) after?: string;
}

@InputType()
export class RegisterWebhookInput {
  @Field({ description: 'an http or https URL, without user or password' }) @Text(2000, { required: true }) url: string;
  @Field(() => [String], { description: 'e.g. ["ServiceRequest.SUBMIT", "ServiceTask.*", "Escalation.*"]; "*" for everything' }) eventTypes: string[];
  @Field(() => String, { nullable: true }) @Text(500) description?: string | null;
}

@InputType()
export class RotateWebhookSecretInput {
  @Field(() => ID) id: string;
  @Field(() => Int, { nullable: true, description: 'seconds the old secret keeps signing next to the new one (both signatures are sent); 0 (default) ends it now; at most 7 days' })
  @Min(0)
  @Max(604_800)
  overlapSeconds?: number | null;
}

@InputType()
export class WebhookIdInput {
  @Field(() => ID) id: string;
}

@ObjectType()
export class RegisterWebhookPayload {
  @Field(() => WebhookType, { nullable: true }) webhook: WebhookType | null;
  @Field(() => String, { nullable: true, description: 'the signing secret: shown this once, never readable again' }) secret: string | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ObjectType()
export class RotateWebhookSecretPayload {
  @Field(() => WebhookType, { nullable: true }) webhook: WebhookType | null;
  @Field(() => String, { nullable: true, description: 'the new signing secret: shown this once, never readable again' }) secret: string | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ObjectType()
export class WebhookPayload {
  @Field(() => WebhookType, { nullable: true }) webhook: WebhookType | null;
  @Field(() => [UserError]) userErrors: UserError[];
}
