import { Field, ID, ObjectType, UseMiddleware } from 'type-graphql';
import { Role, UserKind } from '../auth/roles';
import { Node } from '../graphql/node';
import { StaffOnly } from '../graphql/staff-only';
import { CustomerTier } from './organisation.entities';
import { registerEnumType } from 'type-graphql';

registerEnumType(CustomerTier, { name: 'CustomerTier', description: 'KEY customers raise the approval tier to EXECUTIVE' });

@ObjectType('Department', { implements: Node })
export class DepartmentType extends Node {
  @Field() code: string;
  @Field() name: string;
  @Field() active: boolean;
}

@ObjectType('Customer', { implements: Node, description: 'A customer organisation' })
export class CustomerType extends Node {
  @Field() code: string;
  @Field() name: string;
  @Field(() => CustomerTier, { nullable: true, description: 'Staff only (null for portal users)' })
  @UseMiddleware(StaffOnly)
  tier: CustomerTier | null;
  @Field(() => String, { nullable: true, description: 'the service region of its site (regions); its requests default to it' }) regionCode: string | null;
}

@ObjectType('User', { implements: Node, description: 'A person or an automation' })
export class UserType extends Node {
  @Field() name: string;
  @Field(() => UserKind) kind: UserKind;
  @Field(() => [Role]) roles: Role[];
  @Field() active: boolean;
}
