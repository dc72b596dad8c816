import { registerEnumType } from 'type-graphql';
export { Complexity, Urgency, URGENCY_RANK } from '../../vocabulary';

export enum Channel { PHONE = 'PHONE', ONLINE = 'ONLINE', PAPER = 'PAPER', EMAIL = 'EMAIL' }
export enum ServiceCategory { PRE_SALES = 'PRE_SALES', IN_SALES = 'IN_SALES', AFTER_SALES = 'AFTER_SALES' }
export enum ServiceType {
  INSTALLATION = 'INSTALLATION',
  TRAINING = 'TRAINING',
  ONSITE_SUPPORT = 'ONSITE_SUPPORT',
  REMOTE_SUPPORT = 'REMOTE_SUPPORT',
  REPAIR = 'REPAIR',
  PARTS_SUPPLY = 'PARTS_SUPPLY',
  CONSULTATION = 'CONSULTATION',
}
export enum ServiceRequestState {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  IN_SERVICE = 'IN_SERVICE',
  COMPLETED = 'COMPLETED',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(Channel, { name: 'Channel', description: 'How the request reached us' });
registerEnumType(ServiceCategory, { name: 'ServiceCategory' });
registerEnumType(ServiceType, { name: 'ServiceType' });
registerEnumType(ServiceRequestState, { name: 'ServiceRequestState' });
