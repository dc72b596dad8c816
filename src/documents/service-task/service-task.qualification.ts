/**
 * 持證上崗 (seed 002, SPEC §3.10): the facts of the task's `assigneeQualified` guard. A service type may need a
 * qualification (`service_type_qualification`); the assignee must then hold a certificate of it that is not revoked,
 * valid from before now and expiring after both now and the task's planned end (a certificate that lapses before the
 * work is done does not cover it). Read with SQL from the organisation's tables, one statement for a page of tasks.
 */
import type { EntityManager } from 'typeorm';
import type { ServiceTask } from './service-task.entity';

interface QualificationRow {
  service_type: string | null;
  required: string | null;
  qualification_name: string | null;
  assignee_name: string | null;
  is_technician: boolean | null;
  certificate_number: string | null;
  valid_from: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One sentence per task: why its assignee may not be assigned, or null. */
export async function qualificationProblems(manager: EntityManager, tasks: Array<Pick<ServiceTask, 'requestId' | 'assigneeId' | 'plannedEnd'>>, now: Date): Promise<Array<string | null>> {
  if (!tasks.some((t) => t.assigneeId)) return tasks.map(() => null);
  const rows: QualificationRow[] = await manager.query(
    `SELECT q.service_type, sq.qualification_code AS required, ql.name AS qualification_name, u.name AS assignee_name,
            (u.active AND 'TECHNICIAN' = ANY(u.roles)) AS is_technician,
            c.certificate_number, c.valid_from, c.expires_at, c.revoked_at
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) WITH ORDINALITY AS t(request_id, assignee_id, planned_end, n)
       LEFT JOIN service_request q ON q.id = t.request_id
       LEFT JOIN service_type_qualification sq ON sq.service_type = q.service_type
       LEFT JOIN qualification ql ON ql.code = sq.qualification_code
       LEFT JOIN app_user u ON u.id = t.assignee_id
       LEFT JOIN LATERAL (
              -- the assignee's certificate of that qualification: a valid one first, else the latest to expire (revoked or not)
              SELECT c.certificate_number, c.valid_from, c.expires_at, c.revoked_at
                FROM technician_certificate c
               WHERE c.user_id = t.assignee_id AND c.qualification_code = sq.qualification_code
               ORDER BY (c.revoked_at IS NULL AND c.valid_from <= $4 AND c.expires_at > greatest($4, coalesce(t.planned_end, $4))) DESC,
                        c.expires_at DESC
               LIMIT 1) c ON t.assignee_id IS NOT NULL
      ORDER BY t.n`,
    [tasks.map((t) => t.requestId), tasks.map((t) => t.assigneeId ?? null), tasks.map((t) => t.plannedEnd ?? null), now],
  );
  return tasks.map((task, i) => {
    const r = rows[i];
    // no assignee, no qualification needed, or someone who is not an active technician (the input check's to refuse, naming the field)
    if (!task.assigneeId || !r?.required || !r.is_technician) return null;
    const who = r.assignee_name ?? 'The assignee';
    const needs = `the ${r.required} qualification (${r.qualification_name}) a ${r.service_type} service needs`;
    if (!r.certificate_number) return `${who} holds no certificate of ${needs} (持證上崗).`;
    const cert = `certificate ${r.certificate_number}`;
    const end = task.plannedEnd && task.plannedEnd > now ? task.plannedEnd : now;
    if (r.revoked_at) return `${who}'s ${cert} of ${needs} was revoked on ${day(new Date(r.revoked_at))}.`;
    if (new Date(r.valid_from!) > now) return `${who}'s ${cert} of ${needs} is valid only from ${day(new Date(r.valid_from!))}.`;
    if (new Date(r.expires_at!) <= now) return `${who}'s ${cert} of ${needs} expired on ${day(new Date(r.expires_at!))}.`;
    if (new Date(r.expires_at!) <= end) return `${who}'s ${cert} of ${needs} expires on ${day(new Date(r.expires_at!))}, before the planned end ${day(end)}.`;
    return null;
  });
}
