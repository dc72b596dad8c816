/** Who may read which service records (SPEC §7): never portal users. */
import { Caller, hasRole, Role } from '../../auth/roles';
import { ALL, anyOf, NONE, Scope } from '../../workflow/scope';
import { workingOnTask } from '../service-task/service-task.visibility';

export function serviceRecordScope(caller: Caller): Scope {
  if (hasRole(caller, Role.AGENT, Role.EXECUTIVE)) return ALL;
  return anyOf(
    hasRole(caller, Role.SUPERVISOR) && caller.departmentId
      ? { sql: '{doc}.department_id = :scopeRecordDepartment', params: { scopeRecordDepartment: caller.departmentId } }
      : NONE,
    // a technician sees their own records and those of the tasks they work on
    hasRole(caller, Role.TECHNICIAN)
      ? {
          sql: `({doc}.created_by_id = :scopeRecordWorker OR EXISTS (SELECT 1 FROM service_task rt WHERE rt.id = {doc}.task_id AND ${workingOnTask('rt', 'scopeRecordWorker')}))`,
          params: { scopeRecordWorker: caller.userId },
        }
      : NONE,
  );
}
