import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import { Role } from '../auth/roles';
import type { Context } from '../graphql/context';
import { UserType } from '../organisation/organisation.types';
import type { User } from '../organisation/organisation.entities';
import { ApprovalSignature, ApprovalStep, SignatureDecision } from './approval.entity';
import { ApprovalTier } from './tier';

registerEnumType(SignatureDecision, { name: 'SignatureDecision' });
registerEnumType(ApprovalStep, { name: 'ApprovalStep' });

@ObjectType('ApprovalSignature', { description: 'One signature of an approval (SPEC §2): who, in which role, when, with what comment' })
export class ApprovalSignatureType {
  @Field(() => Int, { description: 'the approval round: 1, then +1 each time the document goes back for approval' }) round: number;
  @Field(() => ApprovalStep) step: ApprovalStep;
  @Field(() => SignatureDecision) decision: SignatureDecision;
  @Field(() => ApprovalTier, { description: 'the document\'s tier when signed' }) tier: ApprovalTier;
  @Field(() => Role, { description: 'the role the signer signed in' }) signerRole: Role;
  @Field() signerName: string;
  @Field() at: Date;
  @Field(() => String, { nullable: true }) comment: string | null;
}

@Resolver(() => ApprovalSignatureType)
export class ApprovalSignatureResolver {
  @FieldResolver(() => UserType, { nullable: true })
  signer(@Root() s: ApprovalSignature, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(s.signerId);
  }
}
