/**
 * Who reads which service reports (SPEC §7, seed 002 §4.7, §4.11). Reports go to the company's leaders and
 * departments (報送公司有關領導和部門) — and a customer group's report to the military representative office,
 * outside this system — and service data is confidential with a strictly set readership (嚴格設定發放範圍、
 * 閱覽權限): customer service (who draws them up) and executives read every report, the supervisors of the
 * owning department read their department's, the records custodian the archived ones. Technicians and portal
 * users never read one, not even a customer group's report about their own organisation.
 */
import type { ReadPolicy } from '../../workflow/policy';

export const serviceReportPolicy: ReadPolicy = {
  departmentColumn: 'department_id',
  archivedReadable: true,
  staffOnlyFields: [],
};
