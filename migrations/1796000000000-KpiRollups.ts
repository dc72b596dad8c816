import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #11: daily roll-ups of the three counts an executive's year reads row by row (at a million requests: 1.35
 * million deadlines met, 450,000 requests received, 390,000 acceptance rounds a year). Counts only — medians and
 * p90s stay on the rows.
 *
 * Each roll-up is three things, all in the database so that every writer (the engine, a migration, an owner's SQL)
 * keeps it exact in its own transaction:
 * - `<name>_change`: append-only rows written by an AFTER trigger on the source table — for a changed row, minus its
 *   old contribution and plus its new one, each at its own instant. Inserts only, so concurrent transitions never
 *   wait on one hot counter row (an UPDATE of "today's count" would serialise every writer of the day).
 * - `<name>_day`: the changes compacted per local day of the business time zone (`kpi_rollup_zone`), by
 *   `kpi_rollup_compact()` — one statement per roll-up moving the change rows into the days (a job runs it every
 *   minute; any number may run at once).
 * - `kpi_rollup_rebuild(zone)`: every day recomputed from the source rows, set-based (this migration, a change of
 *   BUSINESS_TIMEZONE at start, bench:kpi after its trigger-less load).
 * A reader (src/statistics/rollups.ts) sums the days wholly inside its period, the change rows of those days, and
 * reads the partial days at the period's edges from the source rows. The contribution of a row below is the same
 * predicate figures.ts applies to the rows; test/e2e/statistics-rollups.test.ts compares both paths.
 */
interface Rollup {
  name: string;
  source: string;
  /** the instant that puts a row on a day */
  at: string;
  /** whether a row counts at all (over `r`) */
  counts: string;
  /** the columns a reader may group or filter by */
  dims: string[];
  /** the counted values (over `r`), each an int */
  values: Record<string, string>;
}

const ROLLUPS: Rollup[] = [
  {
    name: 'kpi_deadline',
    source: 'deadline',
    at: 'met_at',
    // met by doing the thing: not by a cancellation, not by a disputed assignment (figures.ts DONE_DEADLINE)
    counts: `r.met_at IS NOT NULL AND r.met_by_event NOT LIKE '%.CANCEL' AND r.met_by_event <> 'ServiceTask.DISPUTE'`,
    dims: ['document_type', 'kind', 'document_department_id', 'service_type'],
    values: { done: '1', on_time: '(r.met_at <= r.due_at)::int' },
  },
  {
    name: 'kpi_request',
    source: 'service_request',
    at: 'submitted_at',
    counts: 'r.submitted_at IS NOT NULL',
    dims: ['category', 'service_type', 'channel', 'target_department_id'],
    values: { n: '1' },
  },
  {
    name: 'kpi_acceptance',
    source: 'service_acceptance',
    at: 'signed_at',
    counts: `r.signed_at IS NOT NULL AND r.state IN ('PASSED', 'VERIFIED', 'FAILED')`,
    dims: ['department_id'],
    values: {
      decided: '1',
      passed: `(r.state <> 'FAILED')::int`,
      failed: `(r.state = 'FAILED')::int`,
      first_round: '(r.round = 1)::int',
      first_round_passed: `(r.round = 1 AND r.state <> 'FAILED')::int`,
      later_rounds: '(r.round > 1)::int',
      responses: '(r.satisfaction IS NOT NULL)::int',
      satisfied: `coalesce(r.satisfaction IN ('VERY_SATISFIED', 'SATISFIED'), false)::int`,
    },
  },
];

const DIM_TYPES: Record<string, string> = {
  document_type: 'text',
  kind: 'text',
  document_department_id: 'uuid',
  service_type: 'text',
  category: 'text',
  channel: 'text',
  target_department_id: 'uuid',
  department_id: 'uuid',
};

/** the source columns a contribution depends on: an UPDATE touching none of them writes no change row */
const watched = (r: Rollup): string[] => [...new Set([r.at, ...r.dims, ...Object.values(r.values).concat(r.counts).flatMap((e) => [...e.matchAll(/\br\.(\w+)/g)].map((m) => m[1]))])];

function up(r: Rollup): string[] {
  const values = Object.keys(r.values);
  const dimCols = r.dims.map((d) => `"${d}" ${DIM_TYPES[d]}`).join(', ');
  const valueCols = values.map((v) => `"${v}" int NOT NULL`).join(', ');
  // a contribution of the trigger's row `rec` (OLD or NEW) with sign `sign`, as a change row
  const of = (rec: string, e: string) => e.replace(/\br\./g, `${rec}.`);
  const contribution = (rec: string, sign: string) =>
    `INSERT INTO ${r.name}_change ("at", ${r.dims.map((d) => `"${d}"`).join(', ')}, ${values.map((v) => `"${v}"`).join(', ')})
       SELECT ${rec}.${r.at}, ${r.dims.map((d) => `${rec}.${d}`).join(', ')}, ${values.map((v) => `${sign} * ${of(rec, r.values[v])}`).join(', ')}
        WHERE ${of(rec, r.counts)};`;
  const cols = watched(r);
  return [
    `CREATE TABLE ${r.name}_change ("id" bigserial PRIMARY KEY, "at" timestamptz NOT NULL, ${dimCols}, ${valueCols})`,
    `CREATE INDEX ix_${r.name}_change_at ON ${r.name}_change ("at")`,
    `CREATE TABLE ${r.name}_day ("day" date NOT NULL, ${dimCols}, ${valueCols},
       CONSTRAINT uq_${r.name}_day UNIQUE NULLS NOT DISTINCT ("day", ${r.dims.map((d) => `"${d}"`).join(', ')}))`,
    `CREATE FUNCTION ${r.name}_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN ${contribution('OLD', '-1')} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN ${contribution('NEW', '1')} END IF;
        RETURN NULL;
      END $$`,
    `CREATE TRIGGER ${r.name}_insert_delete AFTER INSERT OR DELETE ON "${r.source}" FOR EACH ROW EXECUTE FUNCTION ${r.name}_track()`,
    `CREATE TRIGGER ${r.name}_update AFTER UPDATE ON "${r.source}" FOR EACH ROW
       WHEN (${cols.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
       EXECUTE FUNCTION ${r.name}_track()`,
    // the API writes change rows (through the trigger, as itself) and reads both; only the compaction moves them
    `GRANT SELECT, INSERT ON ${r.name}_change TO sdd_app`,
    `GRANT USAGE ON SEQUENCE ${r.name}_change_id_seq TO sdd_app`,
    `REVOKE UPDATE, DELETE ON ${r.name}_change FROM sdd_app`,
    `GRANT SELECT ON ${r.name}_day TO sdd_app`,
    `REVOKE INSERT, UPDATE, DELETE ON ${r.name}_day FROM sdd_app`,
  ];
}

/** moves one roll-up's change rows into its days, in one statement */
function compact(r: Rollup): string {
  const values = Object.keys(r.values);
  const keys = ['day', ...r.dims].map((d) => `"${d}"`).join(', ');
  return `WITH moved AS (DELETE FROM ${r.name}_change RETURNING *)
    INSERT INTO ${r.name}_day (${keys}, ${values.map((v) => `"${v}"`).join(', ')})
      SELECT (m."at" AT TIME ZONE z.zone)::date, ${r.dims.map((d) => `m."${d}"`).join(', ')}, ${values.map((v) => `sum(m."${v}")`).join(', ')}
        FROM moved m CROSS JOIN kpi_rollup_zone z
       GROUP BY 1, ${r.dims.map((_, i) => i + 2).join(', ')}
    ON CONFLICT ON CONSTRAINT uq_${r.name}_day DO UPDATE SET ${values.map((v) => `"${v}" = ${r.name}_day."${v}" + excluded."${v}"`).join(', ')};`;
}

/** one roll-up's days recomputed from its source rows */
function rebuild(r: Rollup): string {
  const values = Object.keys(r.values);
  return `DELETE FROM ${r.name}_change;
    DELETE FROM ${r.name}_day;
    INSERT INTO ${r.name}_day ("day", ${r.dims.map((d) => `"${d}"`).join(', ')}, ${values.map((v) => `"${v}"`).join(', ')})
      SELECT (r.${r.at} AT TIME ZONE zone)::date, ${r.dims.map((d) => `r.${d}`).join(', ')}, ${values.map((v) => `sum(${r.values[v]})`).join(', ')}
        FROM "${r.source}" r WHERE ${r.counts}
       GROUP BY 1, ${r.dims.map((_, i) => i + 2).join(', ')};`;
}

export class KpiRollups1796000000000 implements MigrationInterface {
  name = 'KpiRollups1796000000000';

  public async up(q: QueryRunner): Promise<void> {
    // the zone the days are cut in: one row; a reader whose zone differs reads the rows
    await q.query(`CREATE TABLE kpi_rollup_zone ("one" boolean PRIMARY KEY DEFAULT true CHECK ("one"), "zone" text NOT NULL)`);
    await q.query(`INSERT INTO kpi_rollup_zone ("zone") VALUES ('Asia/Shanghai')`);
    await q.query(`GRANT SELECT ON kpi_rollup_zone TO sdd_app`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON kpi_rollup_zone FROM sdd_app`);
    for (const r of ROLLUPS) for (const s of up(r)) await q.query(s);
    // the compaction: the API's job calls it; it runs as the owner, so the API itself cannot write a day
    await q.query(`CREATE FUNCTION kpi_rollup_compact() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        ${ROLLUPS.map(compact).join('\n        ')}
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION kpi_rollup_compact() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION kpi_rollup_compact() TO sdd_app`);
    // the rebuild: the owner only (start-up, when BUSINESS_TIMEZONE changed; the benchmark). Writers of the source
    // tables wait for it (the change tables are locked), so no change is counted twice or lost.
    await q.query(`CREATE FUNCTION kpi_rollup_rebuild(zone text) RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
      BEGIN
        PERFORM now() AT TIME ZONE zone; -- an unknown zone fails here, before anything changes
        LOCK TABLE ${ROLLUPS.map((r) => `${r.name}_change`).join(', ')} IN EXCLUSIVE MODE;
        UPDATE kpi_rollup_zone SET "zone" = kpi_rollup_rebuild.zone;
        ${ROLLUPS.map(rebuild).join('\n        ')}
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION kpi_rollup_rebuild(text) FROM PUBLIC`);
    await q.query(`SELECT kpi_rollup_rebuild('Asia/Shanghai')`);
    for (const r of ROLLUPS) await q.query(`ANALYZE ${r.name}_day`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION kpi_rollup_rebuild(text)`);
    await q.query(`DROP FUNCTION kpi_rollup_compact()`);
    for (const r of [...ROLLUPS].reverse()) {
      await q.query(`DROP TRIGGER ${r.name}_update ON "${r.source}"`);
      await q.query(`DROP TRIGGER ${r.name}_insert_delete ON "${r.source}"`);
      await q.query(`DROP FUNCTION ${r.name}_track()`);
      await q.query(`DROP TABLE ${r.name}_day`);
      await q.query(`DROP TABLE ${r.name}_change`);
    }
    await q.query(`DROP TABLE kpi_rollup_zone`);
  }
}
