import { registerEnumType } from 'type-graphql';

export enum ServiceTaskState {
  DRAFT = 'DRAFT',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  PENDING_EXECUTIVE = 'PENDING_EXECUTIVE',
  ASSIGNED = 'ASSIGNED',
  CONFIRMED = 'CONFIRMED',
  DISPUTED = 'DISPUTED',
  IN_PROGRESS = 'IN_PROGRESS',
  AWAITING_ACCEPTANCE = 'AWAITING_ACCEPTANCE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ServiceTaskState, { name: 'ServiceTaskState' });

/** approved and not sent back: what START of the request counts */
export const APPROVED_TASK_STATES = [
  ServiceTaskState.ASSIGNED,
  ServiceTaskState.CONFIRMED,
  ServiceTaskState.DISPUTED,
  ServiceTaskState.IN_PROGRESS,
  ServiceTaskState.AWAITING_ACCEPTANCE,
  ServiceTaskState.COMPLETED,
];
