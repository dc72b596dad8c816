/** Who may read which acceptances (SPEC §7): customers see theirs, to sign. */
import { Caller, hasRole, Role } from '../../auth/roles';
import { ALL, anyOf, NONE, Scope } from '../../workflow/scope';
import { workingOnTask } from '../service-task/service-task.visibility';

export function serviceAcceptanceScope(caller: Caller): Scope {
  if (hasRole(caller, Role.AGENT, Role.EXECUTIVE)) return ALL;
  return anyOf(
    hasRole(caller, Role.SUPERVISOR) && caller.departmentId
      ? { sql: '{doc}.department_id = :scopeAcceptanceDepartment', params: { scopeAcceptanceDepartment: caller.departmentId } }
      : NONE,
    hasRole(caller, Role.TECHNICIAN)
      ? { sql: `EXISTS (SELECT 1 FROM service_task sat WHERE sat.id = {doc}.task_id AND ${workingOnTask('sat', 'scopeAcceptanceWorker')})`, params: { scopeAcceptanceWorker: caller.userId } }
      : NONE,
    hasRole(caller, Role.CUSTOMER) && caller.customerId
      ? { sql: '{doc}.customer_id = :scopeAcceptanceCustomer', params: { scopeAcceptanceCustomer: caller.customerId } }
      : NONE,
  );
}
