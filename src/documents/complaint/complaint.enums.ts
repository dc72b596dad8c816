import { registerEnumType } from 'type-graphql';

export enum ComplaintState {
  RECEIVED = 'RECEIVED',
  CLASSIFIED = 'CLASSIFIED',
  ASSIGNED = 'ASSIGNED',
  INVESTIGATING = 'INVESTIGATING',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  RESOLVED = 'RESOLVED',
  CUSTOMER_NOTIFIED = 'CUSTOMER_NOTIFIED',
  FOLLOW_UP = 'FOLLOW_UP',
  CLOSED = 'CLOSED',
  ARCHIVED = 'ARCHIVED',
}

/** seed 001 §3.2: 產品質量問題、服務態度問題、售後問題 … */
export enum ComplaintCategory {
  PRODUCT_QUALITY = 'PRODUCT_QUALITY',
  SERVICE_ATTITUDE = 'SERVICE_ATTITUDE',
  AFTER_SALES = 'AFTER_SALES',
  OTHER = 'OTHER',
}

export enum ComplaintSeverity { LOW = 'LOW', MEDIUM = 'MEDIUM', HIGH = 'HIGH' }

/** Whose fault it was; only SERVICE_FAULT counts in the complaint rate (seed 003: 確屬服務責任的). */
export enum ComplaintResponsibility {
  SERVICE_FAULT = 'SERVICE_FAULT',
  PRODUCT = 'PRODUCT',
  CUSTOMER = 'CUSTOMER',
  THIRD_PARTY = 'THIRD_PARTY',
  NONE = 'NONE',
}

/** SPEC §4: a complaint is resolved within HIGH 1, MEDIUM 3, LOW 5 working days of its assignment. */
export const RESOLUTION_WORKING_DAYS: Record<ComplaintSeverity, number> = { HIGH: 1, MEDIUM: 3, LOW: 5 };

registerEnumType(ComplaintState, { name: 'ComplaintState' });
registerEnumType(ComplaintCategory, { name: 'ComplaintCategory' });
registerEnumType(ComplaintSeverity, { name: 'ComplaintSeverity', description: 'Sets the resolution deadline: HIGH 1, MEDIUM 3, LOW 5 working days from the assignment' });
registerEnumType(ComplaintResponsibility, { name: 'ComplaintResponsibility', description: 'Whose fault it was; only SERVICE_FAULT counts in the complaint rate' });
