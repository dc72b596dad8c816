/**
 * The figures a periodic service report freezes (SPEC §3.9, §8).
 *
 * PLACEHOLDER: the statistics module (issue 11 item 4, built in parallel in src/statistics/) replaces this
 * file with the full KPI set under exactly this signature; on merge, take theirs. Until then it answers the
 * two counts a report can honestly state from the service requests alone, computed in one SQL statement:
 * requests created in the period, and requests completed in it (their COMPLETE event in the audit trail, so
 * a request archived since still counts), filtered like every statistic and scoped like every read.
 */
import type { EntityManager } from 'typeorm';
import { hasRole, Role, type Caller } from '../auth/roles';

export interface FiguresFilter {
  /** inclusive */
  from: Date;
  /** exclusive */
  to: Date;
  departmentId?: string;
  serviceType?: string;
  customerIds?: string[];
  technicianId?: string;
}

export async function computeFigures(manager: EntityManager, scope: Caller | 'system', filter: FiguresFilter): Promise<Record<string, unknown>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.departmentId) where.push(`r.target_department_id = ${p(filter.departmentId)}`);
  if (filter.serviceType) where.push(`r.service_type = ${p(filter.serviceType)}`);
  if (filter.customerIds?.length) where.push(`r.customer_id = ANY(${p(filter.customerIds)}::uuid[])`);
  if (filter.technicianId) where.push(`EXISTS (SELECT 1 FROM service_task t WHERE t.request_id = r.id AND (t.assignee_id = ${p(filter.technicianId)} OR ${p(filter.technicianId)} = ANY(t.helper_ids)))`);
  // the caller's read scope (SPEC §7): a supervisor counts their department's requests, a portal user their organisation's
  if (scope !== 'system' && !hasRole(scope, Role.AGENT, Role.EXECUTIVE)) {
    if (hasRole(scope, Role.SUPERVISOR) && scope.departmentId) where.push(`r.target_department_id = ${p(scope.departmentId)}`);
    else if (hasRole(scope, Role.CUSTOMER) && scope.customerId) where.push(`r.customer_id = ${p(scope.customerId)}`);
    else where.push('false');
  }
  const from = p(filter.from);
  const to = p(filter.to);
  const [row] = await manager.query(
    `SELECT count(*) FILTER (WHERE r.created_at >= ${from} AND r.created_at < ${to})::int AS "requestsCreated",
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_event a WHERE a.document_id = r.id AND a.event = 'COMPLETE' AND a.at >= ${from} AND a.at < ${to}))::int AS "requestsCompleted"
       FROM service_request r
      WHERE ${where.length ? where.join(' AND ') : 'true'}`,
    params,
  );
  return { requestsCreated: row.requestsCreated, requestsCompleted: row.requestsCompleted };
}
