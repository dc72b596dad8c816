/** Who may read which access requests: the requester, the deciding department's supervisors, agents and executives. */
import { Caller, hasRole, Role } from '../../auth/roles';
import { ALL, anyOf, NONE, Scope } from '../../workflow/scope';

export function accessRequestScope(caller: Caller): Scope {
  if (hasRole(caller, Role.AGENT, Role.EXECUTIVE)) return ALL;
  return anyOf(
    { sql: '{doc}.created_by_id = :scopeRequester', params: { scopeRequester: caller.userId } },
    hasRole(caller, Role.SUPERVISOR) && caller.departmentId
      ? { sql: '{doc}.owning_department_id = :scopeOwningDepartment', params: { scopeOwningDepartment: caller.departmentId } }
      : NONE,
  );
}
