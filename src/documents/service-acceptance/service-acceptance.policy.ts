/** Who reads which acceptances (SPEC §7): customers see theirs, to sign. */
import { workingOnTask, type ReadPolicy } from '../../workflow/policy';

export const serviceAcceptancePolicy: ReadPolicy = {
  departmentColumn: 'department_id',
  technicianPath: `EXISTS (SELECT 1 FROM service_task sat WHERE sat.id = {doc}.task_id AND ${workingOnTask('sat')})`,
  customerColumn: 'customer_id',
  // the records custodian reads it once archived (with its request)
  archivedReadable: true,
  staffOnlyFields: ['queryReason'],
  staffOnlyEvents: ['QUERY'],
};
