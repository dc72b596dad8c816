/**
 * The KPIs of SPEC §8, computed in PostgreSQL (one statement per group of figures), scoped and filtered.
 * README "Statistics and KPIs" states every formula; this file is where each is written, once.
 *
 * Conventions: a period is [from, to) (from included, to excluded); durations are clock hours; rates are
 * fractions 0…1; a rate with nothing to divide by is null (never NaN), counts of an empty period are 0. A section
 * the caller may not see at all (a technician's complaints, a supervisor's consultations: outside their read
 * scope) or that a filter cannot apply to (consultations have no department, service type or technician) is null.
 * `computeFigures` returns plain JSON (ISO strings for instants): ServiceReport freezes it as it is.
 */
import type { EntityManager } from 'typeorm';
import { DeadlineKind, CUSTOMER_VISIBLE_KINDS } from '../time/deadline-rules';
import { toGlobalId } from '../graphql/global-id';
import { isPortal, scopeOf, Sql, statisticsCaller, StatisticsInvalid, TABLE, type CountedType, type StatisticsAudience } from './sql';
import type { Caller } from '../auth/roles';
import { changeRange, dayRange, edgeRanges, periodSplit } from './rollups';

export enum PeriodBucket {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  HALF_YEAR = 'HALF_YEAR',
  YEAR = 'YEAR',
}

export interface FigureFilter {
  from: Date;
  to: Date;
  departmentId?: string;
  serviceType?: string;
  customerIds?: string[];
  technicianId?: string;
}

/** the name the ServiceReport's placeholder (on main) exported: the same filter */
export type FiguresFilter = FigureFilter;

export interface FigureOptions {
  /** the buckets of `requests.byPeriod` (MONTH by default) */
  bucket?: PeriodBucket;
  /** the company time zone buckets are cut in (config.timezone; Asia/Shanghai by default) */
  timezone?: string;
  /** read the daily roll-ups where they say what the rows would (default true; false: the rows alone, the oracle) */
  rollups?: boolean;
}

/** SPEC §8 targets (seed 003 §3.2.1). */
export const TARGETS = { timeliness: 0.9, satisfaction: 0.85, complaintRate: 0.03 } as const;

/** The satisfaction answers counted as satisfied (seed 001 §4.2.1). */
const SATISFIED = `('VERY_SATISFIED', 'SATISFIED')`;
/** A complaint whose resolution an executive approved (later states included). */
const COMPLAINT_RESOLVED = `('RESOLVED', 'CUSTOMER_NOTIFIED', 'FOLLOW_UP', 'CLOSED', 'ARCHIVED')`;
/**
 * A completed service request. Archiving keeps no "from" state, but a cancelled or rejected request always
 * carries its (required) reason, so an archived request without either was completed.
 */
const requestCompleted = (r: string) => `(${r}.state = 'COMPLETED' OR (${r}.state = 'ARCHIVED' AND ${r}.cancellation_reason IS NULL AND ${r}.rejection_reason IS NULL))`;
/**
 * Deadline rows that were met by doing the thing, not by a cancellation (which closes every open deadline of a
 * document) or a disputed assignment (which ends the field clock without a response).
 */
export const DONE_DEADLINE = (dl: string) => `(${dl}.met_by_event NOT LIKE '%.CANCEL' AND ${dl}.met_by_event <> 'ServiceTask.DISPUTE')`;
export const FIELD_KINDS = [DeadlineKind.FIELD_ON_SITE, DeadlineKind.FIELD_FIRST_REPLY];
const REVIEW_KINDS = [DeadlineKind.REQUEST_REVIEW, DeadlineKind.ACCEPTANCE_VERIFICATION];
const APPROVAL_KINDS = [DeadlineKind.TASK_APPROVAL];
/** which document each deadline kind is kept on */
const DEADLINE_TYPES: CountedType[] = ['ServiceRequest', 'ServiceTask', 'ServiceRecord', 'ServiceAcceptance', 'Complaint', 'Consultation'];

const BUCKET_STEP: Record<PeriodBucket, { step: string; days: number }> = {
  DAY: { step: '1 day', days: 1 },
  WEEK: { step: '1 week', days: 7 },
  MONTH: { step: '1 month', days: 28 },
  QUARTER: { step: '3 months', days: 90 },
  HALF_YEAR: { step: '6 months', days: 181 },
  YEAR: { step: '1 year', days: 365 },
};
export const MAX_BUCKETS = 1000;
/** connections one statistics query may use at once, outside a transaction */
const FIGURES_CONNECTIONS = 2;

/** the bucket (a local timestamp) of a local timestamp expression; weeks are ISO weeks (Monday) */
function bucketOf(unit: PeriodBucket, local: string): string {
  if (unit === PeriodBucket.HALF_YEAR) return `(date_trunc('year', ${local}) + CASE WHEN extract(month FROM ${local}) > 6 THEN interval '6 months' ELSE interval '0 months' END)`;
  return `date_trunc('${unit.toLowerCase()}', ${local})`;
}
function labelOf(unit: PeriodBucket, b: string): string {
  switch (unit) {
    case PeriodBucket.DAY:
      return `to_char(${b}, 'YYYY-MM-DD')`;
    case PeriodBucket.WEEK:
      return `to_char(${b}, 'IYYY-"W"IW')`;
    case PeriodBucket.MONTH:
      return `to_char(${b}, 'YYYY-MM')`;
    case PeriodBucket.QUARTER:
      return `to_char(${b}, 'YYYY-"Q"Q')`;
    case PeriodBucket.HALF_YEAR:
      return `to_char(${b}, 'YYYY') || '-H' || CASE WHEN extract(month FROM ${b}) > 6 THEN 2 ELSE 1 END`;
    case PeriodBucket.YEAR:
      return `to_char(${b}, 'YYYY')`;
  }
}

const DEPARTMENT_COLUMN: Record<CountedType, string | null> = {
  ServiceRequest: 'target_department_id',
  ServiceTask: 'department_id',
  ServiceRecord: 'department_id',
  ServiceAcceptance: 'department_id',
  Complaint: 'department_id',
  Consultation: null,
};
/** the column leading to the service request, for the service-type filter */
const REQUEST_COLUMN: Record<CountedType, string | null> = {
  ServiceRequest: 'id',
  ServiceTask: 'request_id',
  ServiceRecord: 'request_id',
  ServiceAcceptance: 'request_id',
  Complaint: 'request_id',
  Consultation: null,
};

/** Figures of one type apply to a filter unless it names what the type does not have (a consultation has no department). */
function applicable(type: CountedType, f: FigureFilter): boolean {
  if (type !== 'Consultation') return true;
  return !f.departmentId && !f.serviceType && !f.technicianId;
}

/** The filter's conditions on a document table. The technician is the task's assignee (負責人). */
function filterSql(type: CountedType, alias: string, f: FigureFilter, q: Sql): string[] {
  const c: string[] = [];
  if (f.departmentId) c.push(`${alias}.${DEPARTMENT_COLUMN[type]} = ${q.p(f.departmentId)}::uuid`);
  if (f.customerIds?.length) c.push(`${alias}.customer_id = ANY(${q.p(f.customerIds)}::uuid[])`);
  if (f.serviceType) {
    c.push(
      type === 'ServiceRequest'
        ? `${alias}.service_type = ${q.p(f.serviceType)}`
        : `EXISTS (SELECT 1 FROM service_request fr WHERE fr.id = ${alias}.${REQUEST_COLUMN[type]} AND fr.service_type = ${q.p(f.serviceType)})`,
    );
  }
  if (f.technicianId) {
    const tech = q.p(f.technicianId);
    if (type === 'ServiceTask') c.push(`${alias}.assignee_id = ${tech}::uuid`);
    else if (type === 'ServiceRecord' || type === 'ServiceAcceptance') c.push(`EXISTS (SELECT 1 FROM service_task ft WHERE ft.id = ${alias}.task_id AND ft.assignee_id = ${tech}::uuid)`);
    else c.push(`EXISTS (SELECT 1 FROM service_task ft WHERE ft.request_id = ${alias}.${REQUEST_COLUMN[type]} AND ft.assignee_id = ${tech}::uuid)`);
  }
  return c;
}

/** Scope and filter of a type on `alias`, as one condition; null when the caller may not see the type at all or the filter does not apply. */
function visible(type: CountedType, alias: string, who: Caller | 'system', f: FigureFilter, q: Sql): string | null {
  const scope = scopeOf(type, who);
  if (scope.sql === 'FALSE' || !applicable(type, f)) return null;
  const parts = [q.scope(scope, alias), ...filterSql(type, alias, f, q)].filter((p) => p !== 'TRUE');
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

/**
 * A type's scope and filter as conditions on a deadline's copies of its document (migration DeadlineScopeCopies:
 * the document's department, customer and service type, kept exact by triggers). `exact`: they say exactly what the
 * scope and filter say — the scope is everything or one equality on the document's department or customer column (a
 * supervisor; a portal user of a type without a further condition) and the filter names no technician — so the
 * document need not be read. Otherwise `exact` is false and `where` holds only conditions the scope and filter
 * imply (the filter's, and the scope's leading equality when the scope is a plain AND of conditions, such as a
 * portal user's `customer = … AND approved`): they narrow the deadlines read, the document's own scope decides.
 */
function onDeadlineCopies(type: CountedType, dl: string, who: Caller | 'system', f: FigureFilter, q: Sql): { where: string[]; exact: boolean } {
  const scope = scopeOf(type, who);
  const where: string[] = [];
  let exact = !f.technicianId;
  if (scope.sql !== 'TRUE') {
    const text = scope.sql.startsWith('(') && scope.sql.endsWith(')') ? scope.sql.slice(1, -1) : scope.sql;
    const m = /^\{doc\}\.(\w+) = :(\w+)( AND |$)/.exec(text);
    const column = m ? (m[1] === DEPARTMENT_COLUMN[type] ? 'document_department_id' : m[1] === 'customer_id' ? 'customer_id' : null) : null;
    // the leading equality is implied only when nothing is OR-ed at the top (no OR, no parenthesis, in the text at all)
    if (m && column && m[2] in scope.params && !/\bOR\b|[()]/i.test(text)) {
      where.push(`${dl}.${column} = ${q.p(scope.params[m[2]])}::uuid`);
      if (m[3] !== '') exact = false;
    } else exact = false;
  }
  if (f.departmentId) where.push(`${dl}.document_department_id = ${q.p(f.departmentId)}::uuid`);
  if (f.customerIds?.length) where.push(`${dl}.customer_id = ANY(${q.p(f.customerIds)}::uuid[])`);
  if (f.serviceType) where.push(`${dl}.service_type = ${q.p(f.serviceType)}`);
  return { where, exact };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const target = (actual: number | null, goal: number, atLeast: boolean) => ({ target: goal, actual, met: actual === null ? null : atLeast ? actual >= goal : actual < goal });

/** One statement of the figures: its name (the benchmark reports it), SQL and parameters. */
export interface FigureStatement {
  name: string;
  text: string;
  params: unknown[];
}

interface Plan {
  who: Caller | 'system';
  f: FigureFilter;
  bucket: PeriodBucket;
  tz: string;
  rollups: boolean;
}

/** What a decided acceptance round adds to each count (the roll-up kpi_acceptance counts the same, per day). */
const ACCEPTANCE_COUNTS: Record<string, (a: string) => string> = {
  decided: () => '1',
  passed: (a) => `(${a}.state <> 'FAILED')::int`,
  failed: (a) => `(${a}.state = 'FAILED')::int`,
  first_round: (a) => `(${a}.round = 1)::int`,
  first_round_passed: (a) => `(${a}.round = 1 AND ${a}.state <> 'FAILED')::int`,
  later_rounds: (a) => `(${a}.round > 1)::int`,
  responses: (a) => `(${a}.satisfaction IS NOT NULL)::int`,
  satisfied: (a) => `coalesce(${a}.satisfaction IN ${SATISFIED}, false)::int`,
};

/** Hours between two timestamp columns. */
const hours = (later: string, earlier: string) => `(extract(epoch FROM (${later} - ${earlier})) / 3600.0)`;
const durationStats = (h: string) =>
  `avg(${h})::float8 AS avg_h, min(${h})::float8 AS min_h, max(${h})::float8 AS max_h,
   percentile_cont(0.5) WITHIN GROUP (ORDER BY ${h}) AS median_h, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${h}) AS p90_h`;

/** The statements, by section; a section out of the caller's scope has none. */
function statements(p: Plan): Record<string, FigureStatement | null> {
  const { who, f, bucket, tz } = p;
  const out: Record<string, FigureStatement | null> = {};
  // the roll-ups say exactly what the rows say when every type read is wholly in scope and the filter names only
  // what they are grouped by (src/statistics/rollups.ts)
  const rollupsFor = (types: CountedType[], serviceTypeKept = true) =>
    p.rollups && types.every((type) => scopeOf(type, who).sql === 'TRUE') && !f.customerIds?.length && !f.technicianId && (serviceTypeKept || !f.serviceType);
  /** conditions of the department and service-type filters on a roll-up's columns */
  const rollupFilter = (q: Sql, alias: string, departmentColumn: string) =>
    [
      ...(f.departmentId ? [`${alias}.${departmentColumn} = ${q.p(f.departmentId)}::uuid`] : []),
      ...(f.serviceType ? [`${alias}.service_type = ${q.p(f.serviceType)}`] : []),
    ].map((c) => ` AND ${c}`).join('');
  const stmt = (name: string, build: (q: Sql) => string | null) => {
    const q = new Sql();
    const text = build(q);
    out[name] = text === null ? null : { name, text, params: q.params };
  };

  // requests received (submitted) in the period: by bucket and by each dimension, one pass (GROUPING SETS)
  stmt('requests', (q) => {
    const w = visible('ServiceRequest', 'r', who, f, q);
    if (w === null) return null;
    const sets = `GROUP BY GROUPING SETS ((bucket), (category), (service_type), (channel), (target_department_id), ())`;
    if (rollupsFor(['ServiceRequest'])) {
      const split = periodSplit(q, f.from, f.to, tz);
      const zone = q.p(tz);
      const [early, late] = edgeRanges('r.submitted_at', split);
      const rows = (range: string) =>
        `SELECT ${bucketOf(bucket, `(r.submitted_at AT TIME ZONE ${zone})`)}, r.category, r.service_type, r.channel, r.target_department_id, 1 FROM service_request r WHERE ${range} AND ${w}`;
      return `WITH ${split.cte}, cells (bucket, category, service_type, channel, target_department_id, n) AS (
          SELECT ${bucketOf(bucket, 'k.day::timestamp')}, k.category, k.service_type, k.channel, k.target_department_id, k.n
            FROM kpi_request_day k WHERE ${dayRange('k')}${rollupFilter(q, 'k', 'target_department_id')}
          UNION ALL
          SELECT ${bucketOf(bucket, `(c.at AT TIME ZONE ${zone})`)}, c.category, c.service_type, c.channel, c.target_department_id, c.n
            FROM kpi_request_change c WHERE ${changeRange('c')}${rollupFilter(q, 'c', 'target_department_id')}
          UNION ALL ${rows(early)}
          UNION ALL ${rows(late)})
        SELECT GROUPING(bucket, category, service_type, channel, target_department_id) AS g, bucket, category, service_type, channel, target_department_id, sum(n)::int AS n
          FROM cells ${sets} HAVING sum(n) <> 0`;
    }
    const local = `(r.submitted_at AT TIME ZONE ${q.p(tz)})`;
    // two levels: one hash aggregate over the rows into (bucket × dimensions) cells, then the sets over the few cells
    return `WITH cells AS (
        SELECT ${bucketOf(bucket, local)} AS bucket, r.category, r.service_type, r.channel, r.target_department_id, count(*)::int AS n
          FROM service_request r
         WHERE r.submitted_at >= ${q.p(f.from)} AND r.submitted_at < ${q.p(f.to)} AND ${w}
         GROUP BY 1, 2, 3, 4, 5)
      SELECT GROUPING(bucket, category, service_type, channel, target_department_id) AS g, bucket, category, service_type, channel, target_department_id, sum(n)::int AS n
        FROM cells
       ${sets}`;
  });
  // every bucket of the period, so empty ones show as 0
  stmt('buckets', (q) => {
    const zone = q.p(tz);
    const b = 's.b';
    return `SELECT ${labelOf(bucket, b)} AS label, (s.b AT TIME ZONE ${zone}) AS start, s.b AS local
      FROM generate_series(${bucketOf(bucket, `(${q.p(f.from)}::timestamptz AT TIME ZONE ${zone})`)}, (${q.p(f.to)}::timestamptz AT TIME ZONE ${zone}) - interval '1 microsecond', interval '${BUCKET_STEP[bucket].step}') AS s(b)
      ORDER BY s.b`;
  });
  // services completed in the period: turnaround (submission → completion), failed acceptances, return visits
  stmt('completed', (q) => {
    const w = visible('ServiceRequest', 'r', who, f, q);
    if (w === null) return null;
    const h = hours('r.closed_at', 'r.submitted_at');
    return `SELECT count(*)::int AS completed, ${durationStats(h)},
        count(*) FILTER (WHERE fa.fails > 0)::int AS with_failed, coalesce(sum(fa.fails), 0)::int AS rectifications,
        count(*) FILTER (WHERE r.return_visit_at IS NOT NULL)::int AS return_visits
      FROM service_request r
      -- failed rounds are few: counted once per request from their partial index, then hash-joined
      LEFT JOIN (SELECT a.request_id, count(*)::int AS fails FROM service_acceptance a WHERE a.state = 'FAILED' GROUP BY a.request_id) fa ON fa.request_id = r.id
      WHERE r.closed_at >= ${q.p(f.from)} AND r.closed_at < ${q.p(f.to)} AND r.submitted_at IS NOT NULL AND ${requestCompleted('r')} AND ${w}`;
  });
  // the satisfaction survey: return visits (回訪) recorded in the period
  stmt('survey', (q) => {
    const w = visible('ServiceRequest', 'r', who, f, q);
    if (w === null) return null;
    return `SELECT count(*)::int AS responses, count(*) FILTER (WHERE r.return_visit_satisfaction IN ${SATISFIED})::int AS satisfied
      FROM service_request r
      WHERE r.return_visit_at >= ${q.p(f.from)} AND r.return_visit_at < ${q.p(f.to)} AND r.return_visit_satisfaction IS NOT NULL AND ${w}`;
  });
  // acceptance rounds decided (signed, passed or failed) in the period
  stmt('acceptance', (q) => {
    const w = visible('ServiceAcceptance', 'a', who, f, q);
    if (w === null) return null;
    const decided = `a.state IN ('PASSED', 'VERIFIED', 'FAILED')`;
    const names = Object.keys(ACCEPTANCE_COUNTS);
    if (rollupsFor(['ServiceAcceptance'], false)) {
      const split = periodSplit(q, f.from, f.to, tz);
      const [early, late] = edgeRanges('a.signed_at', split);
      const rows = (range: string) => `SELECT ${names.map((n) => ACCEPTANCE_COUNTS[n]('a')).join(', ')} FROM service_acceptance a WHERE ${range} AND ${decided} AND ${w}`;
      const department = f.departmentId ? ` AND k.department_id = ${q.p(f.departmentId)}::uuid` : '';
      return `WITH ${split.cte}, x (${names.join(', ')}) AS (
          SELECT ${names.map((n) => `k.${n}`).join(', ')} FROM kpi_acceptance_day k WHERE ${dayRange('k')}${department}
          UNION ALL
          SELECT ${names.map((n) => `k.${n}`).join(', ')} FROM kpi_acceptance_change k WHERE ${changeRange('k')}${department}
          UNION ALL ${rows(early)}
          UNION ALL ${rows(late)})
        SELECT ${names.map((n) => `coalesce(sum(${n}), 0)::int AS ${n}`).join(', ')} FROM x`;
    }
    return `SELECT ${names.map((n) => `coalesce(sum(${ACCEPTANCE_COUNTS[n]('a')}), 0)::int AS ${n}`).join(', ')}
      FROM service_acceptance a
      WHERE a.signed_at >= ${q.p(f.from)} AND a.signed_at < ${q.p(f.to)} AND ${decided} AND ${w}`;
  });
  // complaints: received in the period (and resolved by its end), service-fault resolutions approved in the period, first replies
  stmt('complaints', (q) => {
    const w = visible('Complaint', 'k', who, f, q);
    if (w === null) return null;
    const from = q.p(f.from);
    const to = q.p(f.to);
    const received = `(k.created_at >= ${from} AND k.created_at < ${to})`;
    const h = hours('k.first_response_at', 'k.created_at');
    return `SELECT count(*) FILTER (WHERE ${received})::int AS received,
        count(*) FILTER (WHERE ${received} AND k.state IN ${COMPLAINT_RESOLVED} AND k.resolved_at < ${to})::int AS resolved,
        count(*) FILTER (WHERE k.resolved_at >= ${from} AND k.resolved_at < ${to} AND k.state IN ${COMPLAINT_RESOLVED} AND k.responsibility = 'SERVICE_FAULT')::int AS service_fault,
        count(*) FILTER (WHERE ${received} AND k.first_response_at IS NOT NULL)::int AS responded,
        avg(${h}) FILTER (WHERE ${received})::float8 AS avg_h, max(${h}) FILTER (WHERE ${received})::float8 AS max_h,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ${h}) FILTER (WHERE ${received}) AS median_h,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY ${h}) FILTER (WHERE ${received}) AS p90_h
      FROM complaint k
      WHERE (${received} OR (k.resolved_at >= ${from} AND k.resolved_at < ${to})) AND ${w}`;
  });
  // consultations received in the period: the first reply (an answer on the spot, or the promise to reply)
  stmt('consultations', (q) => {
    const w = visible('Consultation', 'n', who, f, q);
    if (w === null) return null;
    const h = hours('n.first_replied_at', 'n.created_at');
    return `SELECT count(*)::int AS received, count(n.first_replied_at)::int AS responded, avg(${h})::float8 AS avg_h, max(${h})::float8 AS max_h,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ${h}) AS median_h, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${h}) AS p90_h
      FROM consultation n WHERE n.created_at >= ${q.p(f.from)} AND n.created_at < ${q.p(f.to)} AND ${w}`;
  });
  // deadlines met (done) in the period, by kind: on time when met at or before due; each through its document's scope
  stmt('deadlines', (q) => {
    // one branch per document type, reading that type's deadlines of the period: on the deadline's own copies of its
    // document's department, customer and service type when those say what the scope and filter say (one index:
    // by type, department or customer), else joined to the documents, where the scope and filter apply as they are
    const types = DEADLINE_TYPES.filter((type) => scopeOf(type, who).sql !== 'FALSE' && applicable(type, f));
    if (types.length === 0) return null;
    if (rollupsFor(types)) {
      // the edges from the rows (each type's own deadlines, the copies exact), the whole days from the roll-up
      const split = periodSplit(q, f.from, f.to, tz);
      const of = `document_type IN (${types.map((t) => `'${t}'`).join(', ')})`;
      const rows = (range: string) =>
        `SELECT dl.kind, 1, (dl.met_at <= dl.due_at)::int FROM deadline dl WHERE dl.${of} AND ${range} AND ${DONE_DEADLINE('dl')}${rollupFilter(q, 'dl', 'document_department_id')}`;
      const [early, late] = edgeRanges('dl.met_at', split);
      return `WITH ${split.cte}
        SELECT d.kind, sum(d.done)::int AS done, sum(d.on_time)::int AS on_time
          FROM (SELECT k.kind, k.done, k.on_time FROM kpi_deadline_day k WHERE k.${of} AND ${dayRange('k')}${rollupFilter(q, 'k', 'document_department_id')}
                UNION ALL
                SELECT k.kind, k.done, k.on_time FROM kpi_deadline_change k WHERE k.${of} AND ${changeRange('k')}${rollupFilter(q, 'k', 'document_department_id')}
                UNION ALL ${rows(early)}
                UNION ALL ${rows(late)}) d (kind, done, on_time)
         GROUP BY d.kind`;
    }
    const from = q.p(f.from);
    const to = q.p(f.to);
    const byType: string[] = [];
    for (const type of types) {
      const copies = onDeadlineCopies(type, 'dl', who, f, q);
      const join = copies.exact ? '' : `JOIN ${TABLE[type]} dd ON dd.id = dl.document_id AND ${visible(type, 'dd', who, f, q)}`;
      byType.push(`SELECT dl.kind, (dl.met_at <= dl.due_at) AS on_time FROM deadline dl ${join}
        WHERE dl.document_type = '${type}' AND dl.met_at >= ${from} AND dl.met_at < ${to} AND ${DONE_DEADLINE('dl')}${copies.where.map((c) => ` AND ${c}`).join('')}`);
    }
    return `SELECT d.kind, count(*)::int AS done, count(*) FILTER (WHERE d.on_time)::int AS on_time
      FROM (${byType.join('\n      UNION ALL ')}) d
      GROUP BY d.kind`;
  });
  // service records submitted in the period, and those with every required part
  stmt('records', (q) => {
    if (isPortal(who)) return null; // a portal user reads their filed reports, never the completeness figure
    const w = visible('ServiceRecord', 'c', who, f, q);
    if (w === null) return null;
    return `SELECT count(*)::int AS records,
        count(*) FILTER (WHERE c.actual_start IS NOT NULL AND c.actual_end IS NOT NULL AND e.progress > 0 AND e.feedback > 0 AND e.solutions >= e.problems)::int AS complete
      FROM service_record c
      CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE se.kind = 'PROGRESS') AS progress, count(*) FILTER (WHERE se.kind = 'FEEDBACK') AS feedback,
                                 count(*) FILTER (WHERE se.kind = 'PROBLEM') AS problems, count(*) FILTER (WHERE se.kind = 'SOLUTION') AS solutions
                            FROM service_record_entry se WHERE se.record_id = c.id) e
      WHERE c.submitted_at >= ${q.p(f.from)} AND c.submitted_at < ${q.p(f.to)} AND ${w}`;
  });
  return out;
}

/** Checks a period and a bucket before any SQL runs. */
export function checkPeriod(f: FigureFilter, bucket: PeriodBucket = PeriodBucket.MONTH): void {
  if (!(f.from instanceof Date) || Number.isNaN(f.from.getTime())) throw new StatisticsInvalid('from must be an instant', 'from');
  if (!(f.to instanceof Date) || Number.isNaN(f.to.getTime())) throw new StatisticsInvalid('to must be an instant', 'to');
  if (f.to <= f.from) throw new StatisticsInvalid('to must be after from', 'to');
  const days = (f.to.getTime() - f.from.getTime()) / 86_400_000;
  if (days / BUCKET_STEP[bucket].days > MAX_BUCKETS) throw new StatisticsInvalid(`at most ${MAX_BUCKETS} ${bucket} buckets: choose a longer bucket or a shorter period`, 'bucket');
}

/** The statements computeFigures runs for an audience and filter (the KPI benchmark EXPLAINs these). */
export function figureStatements(audience: StatisticsAudience, filter: FigureFilter, options: FigureOptions = {}): FigureStatement[] {
  const bucket = options.bucket ?? PeriodBucket.MONTH;
  checkPeriod(filter, bucket);
  const plan: Plan = { who: statisticsCaller(audience), f: filter, bucket, tz: options.timezone ?? 'Asia/Shanghai', rollups: options.rollups ?? true };
  return Object.values(statements(plan)).filter((s): s is FigureStatement => s !== null);
}

interface DurationRow {
  avg_h: number | null;
  min_h?: number | null;
  max_h: number | null;
  median_h: number | null;
  p90_h: number | null;
}
const durations = (r: DurationRow) => ({ averageHours: num(r.avg_h), ...(r.min_h !== undefined ? { minHours: num(r.min_h) } : {}), maxHours: num(r.max_h), medianHours: num(r.median_h), p90Hours: num(r.p90_h) });

/**
 * Every figure of SPEC §8 for a period, as plain JSON, for a caller (scoped like every read; portal users get the
 * service figures only, never staff-only ones) or 'system' (everything). The ServiceReport document freezes this.
 */
export async function computeFigures(manager: EntityManager, audience: StatisticsAudience, filter: FigureFilter, options: FigureOptions = {}): Promise<Record<string, unknown>> {
  const bucket = options.bucket ?? PeriodBucket.MONTH;
  const tz = options.timezone ?? 'Asia/Shanghai';
  checkPeriod(filter, bucket);
  const who = statisticsCaller(audience);
  const portal = isPortal(who);
  const plan = statements({ who, f: filter, bucket, tz, rollups: options.rollups ?? true });
  const run = async (name: string): Promise<any[] | null> => {
    const s = plan[name];
    return s ? manager.query(s.text, s.params) : null;
  };
  // A transaction's manager has one connection: one statement at a time. The pool's (a statistics query) lends two, so
  // the rows' heaviest statement (completed services: their turnaround's median and p90) runs beside all the others —
  // two, not more: a KPI query should not take the pool from the mutations.
  const rows: Record<string, any[] | null> = {};
  const queue = Object.keys(plan).sort((a, b) => Number(b === 'completed') - Number(a === 'completed'));
  const lanes = manager.queryRunner ? 1 : FIGURES_CONNECTIONS;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) rows[name] = await run(name);
    }),
  );

  // requests by bucket and dimension
  let requests: Record<string, unknown> | null = null;
  if (rows.requests) {
    const g = rows.requests;
    // GROUPING(bucket, category, service_type, channel, department): the bit of each column left out of the set is 1
    const set = (keep: number) => g.filter((r) => Number(r.g) === 0b11111 - keep);
    const counts = new Map(set(0b10000).map((r) => [new Date(r.bucket).getTime(), r.n as number]));
    const departmentIds = set(0b00001).map((r) => r.target_department_id).filter(Boolean);
    const names = new Map<string, string>(
      departmentIds.length ? (await manager.query(`SELECT id, name FROM department WHERE id = ANY($1)`, [departmentIds])).map((d: any) => [d.id, d.name]) : [],
    );
    const dim = (keep: number, column: string) =>
      set(keep)
        .map((r) => ({ key: r[column] as string | null, count: r.n as number }))
        .sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
    requests = {
      received: (set(0)[0]?.n as number | undefined) ?? 0,
      bucket,
      // buckets are local timestamps (no zone) on both sides, parsed alike: matched by value
      byPeriod: (rows.buckets ?? []).map((b) => ({ label: b.label as string, start: new Date(b.start).toISOString(), count: counts.get(new Date(b.local).getTime()) ?? 0 })),
      byCategory: dim(0b01000, 'category'),
      byServiceType: dim(0b00100, 'service_type'),
      byChannel: dim(0b00010, 'channel'),
      byDepartment: set(0b00001)
        .map((r) => ({ key: r.target_department_id ? toGlobalId('Department', r.target_department_id) : null, label: r.target_department_id ? (names.get(r.target_department_id) ?? null) : null, count: r.n as number }))
        .sort((a, b) => b.count - a.count || String(a.label).localeCompare(String(b.label))),
    };
  }

  const c = rows.completed?.[0];
  const turnaround = c ? { completed: c.completed as number, unit: 'HOURS', ...durations(c) } : null;
  const services = c
    ? {
        completed: c.completed as number,
        withFailedAcceptance: c.with_failed as number,
        errorRate: rate(c.with_failed, c.completed),
        acceptedFirstRound: (c.completed - c.with_failed) as number,
        firstTimeSuccessRate: rate(c.completed - c.with_failed, c.completed),
        rectificationRounds: c.rectifications as number,
        returnVisits: c.return_visits as number,
        returnVisitRate: rate(c.return_visits, c.completed),
      }
    : null;

  const a = rows.acceptance?.[0];
  const acceptance = a
    ? { decided: a.decided, passed: a.passed, failed: a.failed, firstRoundDecided: a.first_round, firstRoundPassed: a.first_round_passed, firstPassRate: rate(a.first_round_passed, a.first_round), rectificationRounds: a.later_rounds }
    : null;
  const s = rows.survey?.[0];
  const satisfaction =
    s || a
      ? {
          responses: s?.responses ?? 0,
          satisfied: s?.satisfied ?? 0,
          rate: s ? rate(s.satisfied, s.responses) : null,
          acceptanceResponses: a?.responses ?? 0,
          acceptanceSatisfied: a?.satisfied ?? 0,
          acceptanceRate: a ? rate(a.satisfied, a.responses) : null,
        }
      : null;

  const k = rows.complaints?.[0];
  const complaints = k
    ? {
        received: k.received as number,
        resolved: k.resolved as number,
        resolutionRate: rate(k.resolved, k.received),
        // responsibility is staff-only (SPEC §7): portal users see neither the count nor the rate
        serviceFault: portal ? null : (k.service_fault as number),
        complaintRate: portal || !services ? null : rate(k.service_fault, services.completed),
      }
    : null;
  const n = rows.consultations?.[0];
  const firstResponse = {
    consultations: n ? { received: n.received, responded: n.responded, ...durations(n) } : null,
    complaints: k ? { received: k.received, responded: k.responded, ...durations(k) } : null,
  };

  const kinds = new Map<string, { done: number; on_time: number }>((rows.deadlines ?? []).map((r) => [r.kind, r]));
  const sumKinds = (list: DeadlineKind[]) => {
    const done = list.reduce((acc, kind) => acc + (kinds.get(kind)?.done ?? 0), 0);
    const onTime = list.reduce((acc, kind) => acc + (kinds.get(kind)?.on_time ?? 0), 0);
    return { done, onTime, rate: rate(onTime, done) };
  };
  // approvals and internal deadlines are staff-only: portal users see the kinds shown on their documents
  const shownKinds = Object.values(DeadlineKind).filter((kind) => !portal || CUSTOMER_VISIBLE_KINDS.includes(kind));
  const onTime = rows.deadlines
    ? {
        reviews: portal ? null : sumKinds(REVIEW_KINDS),
        approvals: portal ? null : sumKinds(APPROVAL_KINDS),
        byKind: shownKinds.map((kind) => ({ kind, ...sumKinds([kind]) })),
      }
    : null;
  const timeliness = rows.deadlines ? { responses: sumKinds(FIELD_KINDS).done, withinDeadline: sumKinds(FIELD_KINDS).onTime, rate: sumKinds(FIELD_KINDS).rate } : null;

  const r = rows.records?.[0];
  // record completeness is the department's own quality figure: portal users (who read their filed reports to sign
  // them) never get it
  const records = r && !portal ? { records: r.records, complete: r.complete, completenessRate: rate(r.complete, r.records) } : null;

  return {
    period: { from: filter.from.toISOString(), to: filter.to.toISOString(), timezone: tz },
    filter: {
      departmentId: filter.departmentId ? toGlobalId('Department', filter.departmentId) : null,
      serviceType: filter.serviceType ?? null,
      customerIds: (filter.customerIds ?? []).map((id) => toGlobalId('Customer', id)),
      technicianId: filter.technicianId ? toGlobalId('User', filter.technicianId) : null,
    },
    requests,
    turnaround,
    firstResponse,
    acceptance,
    satisfaction,
    services,
    complaints,
    onTime,
    timeliness,
    records,
    targets: {
      timeliness: target(timeliness?.rate ?? null, TARGETS.timeliness, true),
      satisfaction: target(satisfaction?.rate ?? null, TARGETS.satisfaction, true),
      complaintRate: portal ? null : target(complaints?.complaintRate ?? null, TARGETS.complaintRate, false),
    },
  };
}
