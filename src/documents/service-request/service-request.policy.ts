/** Who reads which service requests (SPEC §7): the one declaration every read path derives from. */
import { workingOnTask, type ReadPolicy } from '../../workflow/policy';

export const serviceRequestPolicy: ReadPolicy = {
  // a supervisor sees the requests routed to their department
  departmentColumn: 'target_department_id',
  // a portal user sees their own organisation's requests
  customerColumn: 'customer_id',
  // a technician sees the requests of the tasks they are assigned to or help on
  technicianPath: `EXISTS (SELECT 1 FROM service_task st WHERE st.request_id = {doc}.id AND ${workingOnTask('st')})`,
  // the records custodian sees what has been archived
  archivedReadable: true,
  staffOnlyFields: ['estimatedAmount', 'complexity', 'internalNote'],
};
