import { registerEnumType } from 'type-graphql';

export enum ServiceAcceptanceState { PENDING_CUSTOMER = 'PENDING_CUSTOMER', PASSED = 'PASSED', FAILED = 'FAILED', VERIFIED = 'VERIFIED' }
export enum Satisfaction {
  VERY_SATISFIED = 'VERY_SATISFIED',
  SATISFIED = 'SATISFIED',
  NEUTRAL = 'NEUTRAL',
  DISSATISFIED = 'DISSATISFIED',
  VERY_DISSATISFIED = 'VERY_DISSATISFIED',
}

registerEnumType(ServiceAcceptanceState, { name: 'ServiceAcceptanceState' });
registerEnumType(Satisfaction, { name: 'Satisfaction' });
