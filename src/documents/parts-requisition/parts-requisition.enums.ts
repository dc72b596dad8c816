import { registerEnumType } from 'type-graphql';

export enum PartsRequisitionState {
  DRAFT = 'DRAFT',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  PENDING_EXECUTIVE = 'PENDING_EXECUTIVE',
  APPROVED = 'APPROVED',
  ISSUED = 'ISSUED',
  CONSUMED = 'CONSUMED',
  /** the warranty parts written off by the store (seed 003 §3.6.2, §3.7.4) */
  WRITTEN_OFF = 'WRITTEN_OFF',
  CANCELLED = 'CANCELLED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(PartsRequisitionState, { name: 'PartsRequisitionState' });

/** What became of the part a line replaced (seed 003 §3.4.2 E.d, §3.6). */
export enum OldPartDisposition {
  /** packed and brought back to the company (換下的旧件須妥善包装及时带回) */
  RETURNED = 'RETURNED',
  /** the customer keeps it; recorded, with the name of who keeps it, instead of the return */
  KEPT_BY_CUSTOMER = 'KEPT_BY_CUSTOMER',
  NOT_RETURNED = 'NOT_RETURNED',
}
registerEnumType(OldPartDisposition, {
  name: 'OldPartDisposition',
  description: 'What became of the replaced part: RETURNED (brought back packed), KEPT_BY_CUSTOMER (recorded), NOT_RETURNED (not allowed for a warranty line)',
});

/** the states the spare-parts store sees: approved and on from there */
export const STORE_STATES = [PartsRequisitionState.APPROVED, PartsRequisitionState.ISSUED, PartsRequisitionState.CONSUMED, PartsRequisitionState.WRITTEN_OFF];
/** parts are requested for a task being worked on */
export const TASK_STATES_FOR_PARTS = ['CONFIRMED', 'IN_PROGRESS'];
