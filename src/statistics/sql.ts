/**
 * The statistics' SQL plumbing: positional parameters, and each document table's read scope and filters.
 *
 * The scope is the documents' own read policy (src/workflow/policy.ts through grants.ts' normalScope), reused,
 * never restated: a supervisor counts what their department's supervisors may read, a customer what its portal
 * users may read, a technician what they work on. Access grants do not widen statistics (they open documents to
 * read one by one, for a stated purpose). The statistics read the documents' tables by name and never import a
 * document folder (src/documents/* stay independent of this module).
 */
import { hasRole, Role, type Caller } from '../auth/roles';
import { normalScope } from '../workflow/grants';
import { definitionOf } from '../workflow/registry';
import { ALL, NONE, type Scope } from '../workflow/scope';

/** The document tables the figures read, by type. */
export const TABLE = {
  ServiceRequest: 'service_request',
  ServiceTask: 'service_task',
  ServiceRecord: 'service_record',
  ServiceAcceptance: 'service_acceptance',
  Complaint: 'complaint',
  Consultation: 'consultation',
} as const;
export type CountedType = keyof typeof TABLE;

/** Who the figures are for: a caller (scoped like every read) or the system (a report frozen by a job: everything). */
export type StatisticsAudience = Caller | 'system';

/** Roles that have figures at all; anyone else (archivist, administrator, storekeeper) is refused. */
export const STATISTICS_ROLES: readonly Role[] = [Role.AGENT, Role.EXECUTIVE, Role.SUPERVISOR, Role.TECHNICIAN, Role.CUSTOMER];

export class StatisticsForbidden extends Error {
  constructor() {
    super('Statistics are for customer service, executives, supervisors (their department), technicians (their own work) and customers (their organisation).');
  }
}

export class StatisticsInvalid extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * The caller as the statistics see them: only the roles that have figures (an archivist who is also a supervisor
 * counts as the supervisor, not as the reader of every archived document), and no grants.
 */
export function statisticsCaller(who: StatisticsAudience): Caller | 'system' {
  if (who === 'system') return who;
  const roles = who.roles.filter((r) => STATISTICS_ROLES.includes(r));
  if (roles.length === 0) throw new StatisticsForbidden();
  return { ...who, roles, holdsGrants: false };
}

/** The caller's scope on a document table: the type's read policy, or everything for the system. */
export function scopeOf(type: CountedType, who: Caller | 'system'): Scope {
  if (who === 'system') return ALL;
  const def = definitionOf(type);
  if (!def) return NONE;
  return normalScope(def, who);
}

export const isPortal = (who: Caller | 'system'): boolean => who !== 'system' && !who.roles.some((r) => r !== Role.CUSTOMER) && hasRole(who, Role.CUSTOMER);

/** A statement being built: positional parameters ($1, $2 …) handed out as values are added. */
export class Sql {
  readonly params: unknown[] = [];

  /** adds a value, returns its placeholder */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** a scope's condition on `alias`, its named parameters (`:ServiceRequest_department`) bound positionally */
  scope(scope: Scope, alias: string): string {
    if (scope.sql === 'TRUE' || scope.sql === 'FALSE') return scope.sql;
    const bound = new Map<string, string>();
    const text = scope.sql.replace(/\{doc\}/g, alias).replace(/(?<![:\w]):(\w+)/g, (whole, name: string) => {
      if (!(name in scope.params)) return whole;
      if (!bound.has(name)) bound.set(name, this.p(scope.params[name]));
      return bound.get(name)!;
    });
    return `(${text})`;
  }
}
