import { registerEnumType } from 'type-graphql';
export { Channel, Complexity, ServiceCategory, ServiceType, Urgency, URGENCY_RANK } from '../../vocabulary';

export enum ServiceRequestState {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  IN_SERVICE = 'IN_SERVICE',
  COMPLETED = 'COMPLETED',
  FOLLOW_UP = 'FOLLOW_UP',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(ServiceRequestState, { name: 'ServiceRequestState' });
