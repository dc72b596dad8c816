/** Who reads which service records (SPEC §7): never portal users. */
import { workingOnTask, type ReadPolicy } from '../../workflow/policy';

export const serviceRecordPolicy: ReadPolicy = {
  departmentColumn: 'department_id',
  // a technician sees their own records and those of the tasks they work on
  technicianPath: `({doc}.created_by_id = :worker OR EXISTS (SELECT 1 FROM service_task rt WHERE rt.id = {doc}.task_id AND ${workingOnTask('rt')}))`,
  // the records custodian reads it once archived (with its request)
  archivedReadable: true,
  staffOnlyFields: [],
};
