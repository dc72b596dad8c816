import { registerEnumType } from 'type-graphql';
export { Satisfaction } from '../../vocabulary';

export enum ServiceAcceptanceState { PENDING_CUSTOMER = 'PENDING_CUSTOMER', PASSED = 'PASSED', FAILED = 'FAILED', VERIFIED = 'VERIFIED', ARCHIVED = 'ARCHIVED' }

registerEnumType(ServiceAcceptanceState, { name: 'ServiceAcceptanceState' });
