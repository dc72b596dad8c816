/**
 * 持證上崗 (seed 002, SPEC §3.10): the facts of the task's `assigneeQualified` guard, in one place. A service type may
 * need a qualification (`service_type_qualification`); the assignee must then hold a certificate of it that is not
 * revoked, valid from before now and expiring after both now and the task's planned end (a certificate that lapses
 * before the work is done does not cover it). Read with SQL from the organisation's tables: the task's facts join
 * `QUALIFICATION_SQL` into their one statement, and technician suggestions ask `qualificationProblems` — the same
 * SQL and the same sentences, so a suggestion never disagrees with the guard.
 */
import type { EntityManager } from 'typeorm';
import type { ServiceTask } from './service-task.entity';

/** What the joins below add to a row (prefixed q_). */
export interface QualificationRow {
  q_service_type: string | null;
  q_required: string | null;
  q_qualification_name: string | null;
  q_assignee_name: string | null;
  q_is_technician: boolean | null;
  q_certificate_number: string | null;
  q_valid_from: Date | null;
  q_expires_at: Date | null;
  q_revoked_at: Date | null;
}

/**
 * Columns and joins over a row source `t` with `request_id`, `assignee_id` and `planned_end`; `now` is the SQL of the
 * judgement's time (a parameter placeholder).
 */
export const QUALIFICATION_SQL = (now: string) => ({
  columns: `q_.service_type AS q_service_type, sq_.qualification_code AS q_required, ql_.name AS q_qualification_name,
            u_.name AS q_assignee_name, (u_.active AND 'TECHNICIAN' = ANY(u_.roles)) AS q_is_technician,
            c_.certificate_number AS q_certificate_number, c_.valid_from AS q_valid_from, c_.expires_at AS q_expires_at, c_.revoked_at AS q_revoked_at`,
  joins: `LEFT JOIN service_request q_ ON q_.id = t.request_id
          LEFT JOIN service_type_qualification sq_ ON sq_.service_type = q_.service_type
          LEFT JOIN qualification ql_ ON ql_.code = sq_.qualification_code
          LEFT JOIN app_user u_ ON u_.id = t.assignee_id
          LEFT JOIN LATERAL (
                 -- the assignee's certificate of that qualification: a valid one first, else the latest to expire (revoked or not)
                 SELECT c.certificate_number, c.valid_from, c.expires_at, c.revoked_at
                   FROM technician_certificate c
                  WHERE c.user_id = t.assignee_id AND c.qualification_code = sq_.qualification_code
                  ORDER BY (c.revoked_at IS NULL AND c.valid_from <= ${now} AND c.expires_at > greatest(${now}, coalesce(t.planned_end, ${now}))) DESC,
                           c.expires_at DESC
                  LIMIT 1) c_ ON t.assignee_id IS NOT NULL`,
});

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Why the task's assignee may not be assigned, in a sentence naming the qualification and the certificate; null when qualified. */
export function qualificationProblem(r: QualificationRow | undefined, task: Pick<ServiceTask, 'assigneeId' | 'plannedEnd'>, now: Date): string | null {
  // no assignee, no qualification needed, or someone who is not an active technician (the input check's to refuse, naming the field)
  if (!task.assigneeId || !r?.q_required || !r.q_is_technician) return null;
  const who = r.q_assignee_name ?? 'The assignee';
  const needs = `the ${r.q_required} qualification (${r.q_qualification_name}) a ${r.q_service_type} service needs`;
  if (!r.q_certificate_number) return `${who} holds no certificate of ${needs} (持證上崗).`;
  const cert = `certificate ${r.q_certificate_number}`;
  const end = task.plannedEnd && task.plannedEnd > now ? task.plannedEnd : now;
  if (r.q_revoked_at) return `${who}'s ${cert} of ${needs} was revoked on ${day(new Date(r.q_revoked_at))}.`;
  if (new Date(r.q_valid_from!) > now) return `${who}'s ${cert} of ${needs} is valid only from ${day(new Date(r.q_valid_from!))}.`;
  if (new Date(r.q_expires_at!) <= now) return `${who}'s ${cert} of ${needs} expired on ${day(new Date(r.q_expires_at!))}.`;
  if (new Date(r.q_expires_at!) <= end) return `${who}'s ${cert} of ${needs} expires on ${day(new Date(r.q_expires_at!))}, before the planned end ${day(end)}.`;
  return null;
}

/** One sentence (or null) per would-be assignment: for suggestions, one statement for all the candidates. */
export async function qualificationProblems(manager: EntityManager, tasks: Array<Pick<ServiceTask, 'requestId' | 'assigneeId' | 'plannedEnd'>>, now: Date): Promise<Array<string | null>> {
  if (!tasks.some((t) => t.assigneeId)) return tasks.map(() => null);
  const q = QUALIFICATION_SQL('$4::timestamptz');
  const rows: QualificationRow[] = await manager.query(
    `SELECT ${q.columns}
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) WITH ORDINALITY AS t(request_id, assignee_id, planned_end, n)
       ${q.joins}
      ORDER BY t.n`,
    [tasks.map((t) => t.requestId), tasks.map((t) => t.assigneeId ?? null), tasks.map((t) => t.plannedEnd ?? null), now],
  );
  return tasks.map((task, i) => qualificationProblem(rows[i], task, now));
}
