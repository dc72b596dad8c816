/**
 * Who may read which service tasks (SPEC §7) — the one place the rule lives.
 */
import { Caller, hasRole, Role } from '../../auth/roles';
import { ALL, anyOf, NONE, Scope } from '../../workflow/scope';

/** SQL: the task aliased `alias` is one `:param` is assigned to or helps on */
export const workingOnTask = (alias: string, param: string) => `(${alias}.assignee_id = :${param} OR :${param} = ANY(${alias}.helper_ids))`;

export function serviceTaskScope(caller: Caller): Scope {
  if (hasRole(caller, Role.AGENT, Role.EXECUTIVE)) return ALL;
  return anyOf(
    hasRole(caller, Role.SUPERVISOR) && caller.departmentId
      ? { sql: '{doc}.department_id = :scopeTaskDepartment', params: { scopeTaskDepartment: caller.departmentId } }
      : NONE,
    hasRole(caller, Role.TECHNICIAN) ? { sql: workingOnTask('{doc}', 'scopeTaskWorker'), params: { scopeTaskWorker: caller.userId } } : NONE,
    // a customer follows the status and schedule of the tasks approved for their organisation
    hasRole(caller, Role.CUSTOMER) && caller.customerId
      ? { sql: '{doc}.customer_id = :scopeTaskCustomer AND {doc}.approved_at IS NOT NULL', params: { scopeTaskCustomer: caller.customerId } }
      : NONE,
  );
}
