/**
 * Who may read which service requests (SPEC §7) — the one place the rule
 * lives; the engine, node(), the list, nested fields and history all use it.
 */
import { Caller, hasRole, Role } from '../../auth/roles';
import { ALL, anyOf, NONE, Scope } from '../../workflow/scope';
import { workingOnTask } from '../service-task/service-task.visibility';

export function serviceRequestScope(caller: Caller): Scope {
  if (hasRole(caller, Role.AGENT, Role.EXECUTIVE)) return ALL;
  return anyOf(
    // a supervisor sees the requests routed to their department
    hasRole(caller, Role.SUPERVISOR) && caller.departmentId
      ? { sql: '{doc}.target_department_id = :scopeSupervisorDepartment', params: { scopeSupervisorDepartment: caller.departmentId } }
      : NONE,
    // a portal user sees their own organisation's requests
    hasRole(caller, Role.CUSTOMER) && caller.customerId
      ? { sql: '{doc}.customer_id = :scopeCustomer', params: { scopeCustomer: caller.customerId } }
      : NONE,
    // a technician sees the requests of the tasks they are assigned to or help on
    hasRole(caller, Role.TECHNICIAN)
      ? { sql: `EXISTS (SELECT 1 FROM service_task st WHERE st.request_id = {doc}.id AND ${workingOnTask('st', 'scopeRequestWorker')})`, params: { scopeRequestWorker: caller.userId } }
      : NONE,
    // the records custodian sees what has been archived
    hasRole(caller, Role.ARCHIVIST) ? { sql: `{doc}.state = 'ARCHIVED'`, params: {} } : NONE,
  );
}
