/** Who reads which parts requisitions (SPEC §7): staff only, never portal users (no customer column). */
import { Role } from '../../auth/roles';
import { workingOnTask, type ReadPolicy } from '../../workflow/policy';
import { STORE_STATES } from './parts-requisition.enums';

export const partsRequisitionPolicy: ReadPolicy = {
  // the department's supervisors approve and read them; a department grant opens them
  departmentColumn: 'department_id',
  // the technician who asked for the parts …
  requesterColumn: 'created_by_id',
  // … and every technician working on the task (they share the parts on site), as for the task's records
  technicianPath: `EXISTS (SELECT 1 FROM service_task pt WHERE pt.id = {doc}.task_id AND ${workingOnTask('pt')})`,
  // the store sees what reaches it: approved, issued, consumed
  readers: [{ role: Role.STOREKEEPER, when: `{doc}.state IN (${STORE_STATES.map((s) => `'${s}'`).join(', ')})` }],
  archivedReadable: true,
  staffOnlyFields: [],
};
