import { Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../graphql/common.types';
import { Node } from '../graphql/node';
import { SaneDate, Text } from '../graphql/validation';
import { CommunicationChannel, CommunicationDirection } from './communication.entity';

registerEnumType(CommunicationChannel, { name: 'CommunicationChannel', description: 'A call, a fax, a letter, an e-mail or a visit' });
registerEnumType(CommunicationDirection, { name: 'CommunicationDirection', description: 'INBOUND: the customer called, wrote or came; OUTBOUND: we did' });

@ObjectType('Communication', { implements: Node, description: 'One call, fax, letter, mail or visit with a customer (SPEC §3.10): staff only, never shown to portal users' })
export class CommunicationType extends Node {
  @Field(() => CommunicationChannel) channel: CommunicationChannel;
  @Field(() => CommunicationDirection) direction: CommunicationDirection;
  @Field({ description: 'when it took place' }) at: Date;
  @Field({ description: 'who at the customer we spoke or wrote with' }) counterpartName: string;
  @Field() summary: string;
  @Field({ description: 'when it was logged' }) loggedAt: Date;
  @Field(() => String, { nullable: true, description: 'the type of the document it was about (ServiceRequest, ServiceTask, Complaint, …), or null' }) documentType: string | null;
}

@InputType({ description: 'A call, fax, letter, mail or visit to log: against the customer and, where one exists, the document it was about' })
export class LogCommunicationInput {
  @Field(() => ID, { nullable: true, description: 'the customer; may be left out when documentId names a document of that customer' }) customerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'the document it was about (any type with a customer, within your scope)' }) documentId?: string | null;
  @Field(() => CommunicationChannel) channel: CommunicationChannel;
  @Field(() => CommunicationDirection) direction: CommunicationDirection;
  @Field({ description: 'when it took place (not in the future)' }) @SaneDate() at: Date;
  @Field({ description: 'who at the customer' }) @Text(200, { required: true }) counterpartName: string;
  @Field({ description: 'what was said or written, and what was agreed' }) @Text(4000, { required: true }) summary: string;
}

@ObjectType()
export class LogCommunicationPayload {
  @Field(() => CommunicationType, { nullable: true }) communication: object | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ArgsType()
export class CommunicationsArgs {
  @Field(() => ID, { nullable: true, description: 'one customer\'s log' }) customerId?: string;
  @Field(() => ID, { nullable: true, description: 'the log of one document' }) documentId?: string;
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}
