/**
 * Who reads supplier claims: staff only, never portal users (no customer column: they carry part costs) nor
 * technicians (the claim is the store's business with the supplier). The department's supervisors read theirs;
 * the spare-parts store reads every claim; AGENT and EXECUTIVE read all; the records custodian archived ones.
 */
import { Role } from '../../auth/roles';
import type { ReadPolicy } from '../../workflow/policy';

export const supplierClaimPolicy: ReadPolicy = {
  departmentColumn: 'department_id',
  readers: [{ role: Role.STOREKEEPER, when: 'TRUE' }],
  archivedReadable: true,
  staffOnlyFields: [],
};
