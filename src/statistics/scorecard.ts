/**
 * The technician scorecard (SPEC §8, seed 003 售后服务管理及考核办法 第四條–第九條): a weighted score on a 5-point
 * scale — work results (computed from the figures), attitude and ability (rated each month by a supervisor of
 * the technician's department) — 60/20/20 by default (config.statistics.weights), rounded to one decimal, then
 * graded A (5.0), B (4.0–4.9), C (3.0–3.9), D (below 3.0).
 *
 * Work results on the 5-point scale = 5 × the mean of the technician's available component rates over the period:
 *   - timeliness: field responses (FIELD_ON_SITE, FIELD_FIRST_REPLY deadlines of their tasks) within deadline / made;
 *   - satisfaction: acceptance sign-offs of their tasks answered VERY_SATISFIED or SATISFIED / answered;
 *   - first-time success: their tasks completed without a failed acceptance round / their tasks completed.
 * A component with nothing to measure is left out of the mean; with none at all, work results (and the score) are null.
 * Monthly: the month's figures and the month's rating. Quarterly: the figures recomputed over the quarter, and the
 * average of the quarter's monthly ratings (months not rated are left out).
 */
import type { EntityManager } from 'typeorm';
import { hasRole, Role, type Caller } from '../auth/roles';
import type { StatisticsConfig } from '../config';
import { DONE_DEADLINE, FIELD_KINDS, rate } from './figures';
import { StatisticsForbidden, StatisticsInvalid } from './sql';

export type Grade = 'A' | 'B' | 'C' | 'D';

/** One decimal, halves up (4.95 → 5.0, 2.96 → 3.0); the epsilon absorbs binary fractions such as 4.9499999… from the weighting. */
export const roundScore = (score: number): number => Math.round(score * 10 + 1e-9) / 10;

/** seed 003 第九條: A 5 分, B 4–4.9, C 3–3.9, D below 3 — on the rounded score. */
export function gradeOf(rounded: number): Grade {
  if (rounded >= 5) return 'A';
  if (rounded >= 4) return 'B';
  if (rounded >= 3) return 'C';
  return 'D';
}

/** The weighted score before rounding (weights need not sum to 100). */
export function weightedScore(work: number, attitude: number, ability: number, w: StatisticsConfig['weights']): number {
  return (w.work * work + w.attitude * attitude + w.ability * ability) / (w.work + w.attitude + w.ability);
}

/** 5 × the mean of the available component rates; null when none is available. */
export function workResults(rates: Array<number | null>): number | null {
  const known = rates.filter((r): r is number => r !== null);
  return known.length ? (5 * known.reduce((a, b) => a + b, 0)) / known.length : null;
}

export interface ScorecardPeriod {
  /** 'YYYY-MM' or 'YYYY-Qn' */
  label: string;
  kind: 'MONTH' | 'QUARTER';
  /** first month (YYYY-MM-01) and the number of months */
  firstMonth: string;
  months: number;
}

/** 'YYYY-MM' → a month; 'YYYY-Qn' → a quarter. */
export function parsePeriod(month: string | null | undefined, quarter: string | null | undefined): ScorecardPeriod | null {
  if (month && quarter) throw new StatisticsInvalid('give a month or a quarter, not both', 'quarter');
  if (month) {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
    if (!m) throw new StatisticsInvalid('month must be YYYY-MM', 'month');
    return { label: month, kind: 'MONTH', firstMonth: `${month}-01`, months: 1 };
  }
  if (quarter) {
    const q = /^(\d{4})-Q([1-4])$/.exec(quarter);
    if (!q) throw new StatisticsInvalid('quarter must be YYYY-Qn (n = 1…4)', 'quarter');
    const first = (Number(q[2]) - 1) * 3 + 1;
    return { label: quarter, kind: 'QUARTER', firstMonth: `${q[1]}-${String(first).padStart(2, '0')}-01`, months: 3 };
  }
  return null;
}

/** Who sees whose scorecard: executives and customer service all technicians, a supervisor their department's, a technician their own. */
function technicianScope(caller: Caller): { sql: string; params: unknown[] } {
  if (hasRole(caller, Role.EXECUTIVE, Role.AGENT)) return { sql: 'TRUE', params: [] };
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (hasRole(caller, Role.SUPERVISOR) && caller.departmentId) {
    params.push(caller.departmentId);
    clauses.push(`u.department_id = $${params.length}`);
  }
  if (hasRole(caller, Role.TECHNICIAN)) {
    params.push(caller.userId);
    clauses.push(`u.id = $${params.length}`);
  }
  if (!clauses.length) throw new StatisticsForbidden();
  return { sql: `(${clauses.join(' OR ')})`, params };
}

export interface ScorecardRow {
  technicianId: string;
  technicianName: string;
  departmentId: string | null;
  period: string;
  periodKind: 'MONTH' | 'QUARTER';
  from: string;
  to: string;
  fieldResponses: number;
  fieldResponsesOnTime: number;
  timelinessRate: number | null;
  satisfactionResponses: number;
  satisfied: number;
  satisfactionRate: number | null;
  tasksCompleted: number;
  tasksFirstTime: number;
  firstTimeSuccessRate: number | null;
  workResults: number | null;
  /** the average of the period's monthly ratings (null: not rated) */
  attitude: number | null;
  ability: number | null;
  monthsRated: number;
  weights: StatisticsConfig['weights'];
  score: number | null;
  grade: Grade | null;
}

/** Scorecards of the technicians the caller may see, for one month or quarter (in the company time zone). */
export async function technicianScorecards(
  manager: EntityManager,
  caller: Caller,
  period: ScorecardPeriod,
  opts: { timezone: string; weights: StatisticsConfig['weights']; departmentId?: string | null; technicianId?: string | null },
): Promise<ScorecardRow[]> {
  const scope = technicianScope(caller);
  const params = [...scope.params];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`'TECHNICIAN' = ANY(u.roles)`, scope.sql];
  if (opts.departmentId) where.push(`u.department_id = ${p(opts.departmentId)}::uuid`);
  if (opts.technicianId) where.push(`u.id = ${p(opts.technicianId)}::uuid`);
  const first = p(period.firstMonth);
  const months = p(period.months);
  const tz = p(opts.timezone);
  const rows: any[] = await manager.query(
    `WITH span AS (SELECT (${first}::date::timestamp AT TIME ZONE ${tz}) AS f, ((${first}::date + make_interval(months => ${months}::int))::timestamp AT TIME ZONE ${tz}) AS t,
                          ${first}::date AS m0, (${first}::date + make_interval(months => ${months}::int))::date AS m1),
          tech AS (SELECT u.id, u.name, u.department_id FROM app_user u WHERE ${where.join(' AND ')}),
          -- the task's assignee as the deadline's copy of it (migration DeadlineScopeCopies, kept by a trigger): one index
          fld AS (SELECT dl.assignee_id AS id, count(*)::int AS done, count(*) FILTER (WHERE dl.met_at <= dl.due_at)::int AS on_time
                    FROM span, deadline dl
                   WHERE dl.document_type = 'ServiceTask' AND dl.kind = ANY(${p(FIELD_KINDS)}::text[]) AND dl.met_at >= span.f AND dl.met_at < span.t AND ${DONE_DEADLINE('dl')}
                     AND dl.assignee_id IN (SELECT id FROM tech) GROUP BY dl.assignee_id),
          sat AS (SELECT t.assignee_id AS id, count(*) FILTER (WHERE a.satisfaction IS NOT NULL)::int AS responses,
                         count(*) FILTER (WHERE a.satisfaction IN ('VERY_SATISFIED', 'SATISFIED'))::int AS satisfied
                    FROM span, service_acceptance a JOIN service_task t ON t.id = a.task_id
                   WHERE a.signed_at >= span.f AND a.signed_at < span.t AND a.state IN ('PASSED', 'VERIFIED', 'FAILED') AND t.assignee_id IN (SELECT id FROM tech) GROUP BY t.assignee_id),
          fts AS (SELECT t.assignee_id AS id, count(*)::int AS completed,
                         count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM service_acceptance fa WHERE fa.task_id = t.id AND fa.state = 'FAILED'))::int AS first_time
                    FROM span, service_task t
                   WHERE t.completed_at >= span.f AND t.completed_at < span.t AND t.assignee_id IN (SELECT id FROM tech) GROUP BY t.assignee_id),
          rat AS (SELECT r.technician_id AS id, avg(r.attitude)::float8 AS attitude, avg(r.ability)::float8 AS ability, count(*)::int AS months
                    FROM span, technician_rating r WHERE r.month >= span.m0 AND r.month < span.m1 AND r.technician_id IN (SELECT id FROM tech) GROUP BY r.technician_id)
     SELECT tech.id, tech.name, tech.department_id, span.f, span.t,
            coalesce(fld.done, 0) AS done, coalesce(fld.on_time, 0) AS on_time, coalesce(sat.responses, 0) AS responses, coalesce(sat.satisfied, 0) AS satisfied,
            coalesce(fts.completed, 0) AS completed, coalesce(fts.first_time, 0) AS first_time, rat.attitude, rat.ability, coalesce(rat.months, 0) AS months
       FROM span, tech LEFT JOIN fld ON fld.id = tech.id LEFT JOIN sat ON sat.id = tech.id LEFT JOIN fts ON fts.id = tech.id LEFT JOIN rat ON rat.id = tech.id
      ORDER BY tech.name, tech.id`,
    params,
  );
  return rows.map((r) => {
    const timeliness = rate(r.on_time, r.done);
    const satisfaction = rate(r.satisfied, r.responses);
    const firstTime = rate(r.first_time, r.completed);
    const work = workResults([timeliness, satisfaction, firstTime]);
    const rated = r.attitude !== null && r.ability !== null;
    const score = work !== null && rated ? roundScore(weightedScore(work, r.attitude, r.ability, opts.weights)) : null;
    return {
      technicianId: r.id,
      technicianName: r.name,
      departmentId: r.department_id,
      period: period.label,
      periodKind: period.kind,
      from: new Date(r.f).toISOString(),
      to: new Date(r.t).toISOString(),
      fieldResponses: r.done,
      fieldResponsesOnTime: r.on_time,
      timelinessRate: timeliness,
      satisfactionResponses: r.responses,
      satisfied: r.satisfied,
      satisfactionRate: satisfaction,
      tasksCompleted: r.completed,
      tasksFirstTime: r.first_time,
      firstTimeSuccessRate: firstTime,
      workResults: work,
      attitude: r.attitude,
      ability: r.ability,
      monthsRated: r.months,
      weights: opts.weights,
      score,
      grade: score === null ? null : gradeOf(score),
    };
  });
}
