import { registerEnumType } from 'type-graphql';

export enum ServiceTaskState {
  DRAFT = 'DRAFT',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  PENDING_EXECUTIVE = 'PENDING_EXECUTIVE',
  ASSIGNED = 'ASSIGNED',
  CONFIRMED = 'CONFIRMED',
  DISPUTED = 'DISPUTED',
  QUOTE_DECLINED = 'QUOTE_DECLINED',
  IN_PROGRESS = 'IN_PROGRESS',
  AWAITING_ACCEPTANCE = 'AWAITING_ACCEPTANCE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(ServiceTaskState, { name: 'ServiceTaskState' });

/** How a customer's consent to a quote reached us (SPEC §3.2). */
export enum ConsentChannel {
  PORTAL = 'PORTAL',
  PHONE = 'PHONE',
  PAPER = 'PAPER',
}
registerEnumType(ConsentChannel, { name: 'ConsentChannel', description: 'PORTAL when the customer consents themselves; PHONE or PAPER when customer service records it' });

/** How the assignee reached the customer to fix the visit (SPEC §3.10). */
export enum ContactChannel {
  PHONE = 'PHONE',
  SMS = 'SMS',
  EMAIL = 'EMAIL',
  FAX = 'FAX',
  IN_PERSON = 'IN_PERSON',
}
registerEnumType(ContactChannel, { name: 'ContactChannel', description: 'How the technician contacted the customer' });
