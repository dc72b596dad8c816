/**
 * Who reads which consultations (SPEC §7): customer service and executives all of them, a portal user
 * their own organisation's, the records custodian the archived ones. No department owns a consultation
 * (no department column): supervisors do not read them, and nobody can ask access to one.
 */
import type { ReadPolicy } from '../../workflow/policy';

export const consultationPolicy: ReadPolicy = {
  customerColumn: 'customer_id',
  archivedReadable: true,
  staffOnlyFields: ['internalNote'],
};
