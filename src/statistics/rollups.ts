/**
 * Reading the daily roll-ups (migration KpiRollups): counts of deadlines met, requests received and acceptance
 * rounds decided, per local day of the business time zone. A statement that may use them reads
 *   the days wholly inside the period from `<name>_day`,
 *   the change rows of those days not yet compacted from `<name>_change`,
 *   and the partial days at the period's edges from the source rows, as the row path does.
 * When the roll-ups' zone is not the caller's zone (BUSINESS_TIMEZONE changed and not yet rebuilt), or the period
 * holds no whole day, the day range is empty and the rows answer alone — the same statement, correct either way.
 *
 * Used only where the roll-ups say exactly what the rows would: the caller's scope on every type read is everything
 * (an executive, an agent, the system) and the filter names only what a roll-up is grouped by. Counts only: medians
 * and p90s are on the rows. test/e2e/statistics-rollups.test.ts compares this path with the rows.
 */
import type { Sql } from './sql';

/**
 * The period split at local midnights, as a one-row CTE `p (d0, d1, day0, day1)`: [from, d0) and [d1, to) are read
 * from the rows, [d0, d1) — the local days day0 (included) to day1 (excluded) — from the roll-ups.
 */
export function periodSplit(q: Sql, from: Date, to: Date, tz: string): { cte: string; from: string; to: string } {
  const z = q.p(tz);
  const f = q.p(from);
  const t = q.p(to);
  const lf = `(${f}::timestamptz AT TIME ZONE ${z})`;
  // the first local midnight at or after `from`, the last at or before `to` (local timestamps)
  const first = `(CASE WHEN ${lf} = date_trunc('day', ${lf}) THEN ${lf} ELSE date_trunc('day', ${lf}) + interval '1 day' END)`;
  const last = `date_trunc('day', ${t}::timestamptz AT TIME ZONE ${z})`;
  const zoneOk = `EXISTS (SELECT 1 FROM kpi_rollup_zone WHERE zone = ${z})`;
  const cte = `p AS (
      SELECT s.d0, s.d1, (s.d0 AT TIME ZONE ${z})::date AS day0, (s.d1 AT TIME ZONE ${z})::date AS day1
        FROM (SELECT (${first} AT TIME ZONE ${z}) AS d0,
                     (CASE WHEN ${zoneOk} AND ${last} > ${first} THEN ${last} ELSE ${first} END AT TIME ZONE ${z}) AS d1) s)`;
  return { cte, from: `${f}::timestamptz`, to: `${t}::timestamptz` };
}

/**
 * The rows' two edge ranges on an instant column, as conditions to UNION ALL (each an index range; the bounds are
 * InitPlans over `p`).
 */
export function edgeRanges(column: string, split: { from: string; to: string }): [string, string] {
  return [
    `${column} >= ${split.from} AND ${column} < (SELECT least(p.d0, ${split.to}) FROM p)`,
    `${column} >= (SELECT p.d1 FROM p) AND ${column} < ${split.to}`,
  ];
}

/** the whole days of a roll-up's day table and of its change rows */
export const dayRange = (alias: string) => `${alias}.day >= (SELECT p.day0 FROM p) AND ${alias}.day < (SELECT p.day1 FROM p)`;
export const changeRange = (alias: string) => `${alias}.at >= (SELECT p.d0 FROM p) AND ${alias}.at < (SELECT p.d1 FROM p)`;

/**
 * Start-up, as the database owner: the roll-ups are cut in the business time zone; when BUSINESS_TIMEZONE changed
 * since they were cut, they are rebuilt in it once (until then — and if this fails — readers use the rows alone).
 */
export async function ensureRollupZone(owner: { query(sql: string, params?: unknown[]): Promise<any> }, zone: string): Promise<{ rebuilt: boolean; from?: string }> {
  const [row] = await owner.query(`SELECT zone FROM kpi_rollup_zone`);
  if (row?.zone === zone) return { rebuilt: false };
  await owner.query(`SELECT kpi_rollup_rebuild($1)`, [zone]);
  return { rebuilt: true, from: row?.zone };
}
