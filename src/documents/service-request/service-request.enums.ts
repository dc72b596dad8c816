import { registerEnumType } from 'type-graphql';

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
export enum Urgency { NORMAL = 'NORMAL', URGENT = 'URGENT', CRITICAL = 'CRITICAL' }
export enum Complexity { STANDARD = 'STANDARD', COMPLEX = 'COMPLEX' }
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
registerEnumType(Urgency, { name: 'Urgency', description: 'Urgent and critical requests come first in review queues' });
registerEnumType(Complexity, { name: 'Complexity', description: 'COMPLEX raises the approval tier to EXECUTIVE' });
registerEnumType(ServiceRequestState, { name: 'ServiceRequestState' });

/** Sort rank: higher comes first in a review queue. */
export const URGENCY_RANK: Record<Urgency, number> = { NORMAL: 0, URGENT: 1, CRITICAL: 2 };
