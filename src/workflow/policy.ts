/**
 * Read policy (SPEC §7), declared once per document type: its department column, its customer column,
 * the technician's path to it, its staff-only fields and events. Everything else is derived here and
 * nowhere else: the read scope every path applies (node, lists, nested fields, history, the engine's
 * locked load), the department that owns a document (access requests, grants), the fields masked for
 * portal users, the inputs refused from them, and the history they see.
 */
import { Caller, hasRole, isPortalUser, Role } from '../auth/roles';
import { UserErrorCode, type UserErrorData } from './errors';
import { ALL, anyOf, NONE, type Scope } from './scope';

export interface ReadPolicy {
  /** SQL column of the owning department: its supervisors read the document, a department grant opens it */
  departmentColumn?: string;
  /** SQL column of the customer: its portal users read the document … */
  customerColumn?: string;
  /** … when this further condition on `{doc}` holds too (a task only once approved) */
  customerWhen?: string;
  /** SQL condition on `{doc}` under which the technician `:worker` reads it (their tasks, their records) */
  technicianPath?: string;
  /** SQL column of the person who asked for the document: they read it (access requests, requisitions) */
  requesterColumn?: string;
  /** the records custodian reads the document once archived */
  archivedReadable?: boolean;
  /**
   * Further readers by role, each under a SQL condition on `{doc}` without parameters (the storekeeper
   * reads the requisitions that reach the store: `{ role: Role.STOREKEEPER, when: "{doc}.state IN (…)" }`)
   */
  readers?: Array<{ role: Role; when: string }>;
  /** GraphQL fields a portal user never sees: null for them, refused as inputs, left out of their history */
  staffOnlyFields: string[];
  /** events a portal user never sees in history (approvals, internal steps) */
  staffOnlyEvents?: string[];
  /** columns whose values never appear in anyone's history: values the system derived from what the caller may not see */
  undisclosed?: string[];
}

/** SQL: the task aliased `alias` is one `:worker` is assigned to or helps on (the technician's path through tasks). */
// helpers as containment (`@>`), not `= ANY`: the GIN index on helper_ids (KpiSpeed migration) then serves it, so the
// technician's tasks are two index scans, not a scan of every task
export const workingOnTask = (alias: string) => `(${alias}.assignee_id = :worker OR ${alias}.helper_ids @> ARRAY[:worker::uuid])`;

/** The caller's normal audience for a type (grants come on top, in grants.ts). */
export function policyScope(type: string, policy: ReadPolicy, caller: Caller): Scope {
  // customer service and executives see every document (SPEC §7)
  if (hasRole(caller, Role.AGENT, Role.EXECUTIVE)) return ALL;
  // parameter names carry the type: scopes of several types meet in one query (a grant subquery, a nested list)
  const p = (name: string) => `${type}_${name}`;
  const own = (sql: string, name: string, value: unknown): Scope => ({ sql: sql.replace(/:worker\b/g, `:${p('worker')}`).replace(`:${name}`, `:${p(name)}`), params: { [p(name)]: value } });
  return anyOf(
    policy.departmentColumn && hasRole(caller, Role.SUPERVISOR) && caller.departmentId ? own(`{doc}.${policy.departmentColumn} = :department`, 'department', caller.departmentId) : NONE,
    policy.customerColumn && hasRole(caller, Role.CUSTOMER) && caller.customerId
      ? own(`{doc}.${policy.customerColumn} = :customer${policy.customerWhen ? ` AND ${policy.customerWhen}` : ''}`, 'customer', caller.customerId)
      : NONE,
    policy.technicianPath && hasRole(caller, Role.TECHNICIAN) ? own(policy.technicianPath, 'worker', caller.userId) : NONE,
    policy.requesterColumn ? own(`{doc}.${policy.requesterColumn} = :requester`, 'requester', caller.userId) : NONE,
    policy.archivedReadable && hasRole(caller, Role.ARCHIVIST) ? { sql: `{doc}.state = 'ARCHIVED'`, params: {} } : NONE,
    ...(policy.readers ?? []).map((r) => (hasRole(caller, r.role) ? { sql: r.when, params: {} } : NONE)),
  );
}

/** The owning department as SQL on `{doc}`, or null for types nobody can ask access to. */
export const ownerDepartmentSql = (policy: ReadPolicy): string | null => (policy.departmentColumn ? `{doc}.${policy.departmentColumn}` : null);

/** Inputs a portal user may not set: any staff-only field given a value. */
export function staffOnlyInputs(policy: ReadPolicy, caller: Caller, input: object | undefined): UserErrorData[] {
  if (!input || !isPortalUser(caller)) return [];
  return policy.staffOnlyFields
    .filter((f) => (input as Record<string, unknown>)[f] !== undefined && (input as Record<string, unknown>)[f] !== null)
    .map((f) => ({ code: UserErrorCode.FORBIDDEN, message: `${f} is set by staff only`, field: f }));
}
