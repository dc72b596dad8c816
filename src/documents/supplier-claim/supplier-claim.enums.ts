import { registerEnumType } from 'type-graphql';

export enum SupplierClaimState {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  SETTLED = 'SETTLED',
  CANCELLED = 'CANCELLED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(SupplierClaimState, { name: 'SupplierClaimState' });
