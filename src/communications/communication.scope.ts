/**
 * Who reads the communication log (SPEC §3.10, §7), the one place it is decided:
 *  - portal users (anyone tied to a customer) never, on any path;
 *  - AGENT and EXECUTIVE every entry;
 *  - a SUPERVISOR their department's entries (the document's owning department, else the department of who logged it);
 *  - a TECHNICIAN the entries about documents they read (tasks they work on, their requests and records);
 *  - anyone who logged an entry reads it;
 *  - other roles (store, archivist, admin) none.
 */
import type { DataSource } from 'typeorm';
import { hasRole, Role, type Caller } from '../auth/roles';
import { normalScope } from '../workflow/grants';
import { allDefinitions } from '../workflow/registry';
import { ALL, anyOf, NONE, type Scope } from '../workflow/scope';

/** the staff who keep the log: they log calls, letters and visits and read the log within their scope */
export const COMMUNICATION_ROLES = [Role.AGENT, Role.SUPERVISOR, Role.TECHNICIAN, Role.EXECUTIVE];

/** May the caller use the log at all? Never a portal user. */
export const keepsLog = (caller: Caller): boolean => caller.customerId === null && !hasRole(caller, Role.CUSTOMER) && hasRole(caller, ...COMMUNICATION_ROLES);

/** The entries the caller reads, as SQL on `{c}` (the log's alias), or null when they read none. */
export function communicationScope(dataSource: DataSource, caller: Caller): Scope | null {
  if (!keepsLog(caller)) return null;
  if (hasRole(caller, Role.AGENT, Role.EXECUTIVE)) return ALL;
  const documents: Scope[] = hasRole(caller, Role.TECHNICIAN)
    ? allDefinitions().map((def) => {
        const scope = normalScope(def, caller);
        if (scope.sql === 'FALSE') return NONE;
        const table = dataSource.getMetadata(def.entity).tableName;
        return { sql: `({c}.document_type = '${def.type}' AND EXISTS (SELECT 1 FROM "${table}" cd WHERE cd.id = {c}.document_id AND ${scope.sql.replace(/\{doc\}/g, 'cd')}))`, params: scope.params };
      })
    : [];
  return anyOf(
    { sql: '{c}.logged_by_id = :communicationLogger', params: { communicationLogger: caller.userId } },
    hasRole(caller, Role.SUPERVISOR) && caller.departmentId ? { sql: '{c}.department_id = :communicationDepartment', params: { communicationDepartment: caller.departmentId } } : NONE,
    ...documents,
  );
}
