/**
 * Policy settings as versioned data (issue #14): the executive threshold (SPEC §2), the repair warranty, the deadline lengths and the
 * executive escalation period (SPEC §4), retention (SPEC §5) and the scorecard's weights (SPEC §8). Every rule reads
 * them here, through `SettingsService.current()`: the engine (tiers, deadlines), the breach sweep, records control,
 * the statistics. The environment (src/config/index.ts) gives only the first value of each key, written to the
 * `setting` table when the key has no row yet; from then on only `changeSetting` (ADMIN) changes it.
 *
 * The cache: the table is tiny and read on every event, so each process holds it in memory and reloads it when
 * any process commits a change — the table's trigger notifies `sdd_settings_changed` (the same LISTEN/NOTIFY
 * mechanism as the caller cache and the calendar). A version check per request was the alternative; it costs a
 * statement on every request and every event, which the statement-count tests (and the lean transition) forbid.
 * The process that made a change reloads before answering, so its next request already sees it; the others
 * within milliseconds of the commit. A listener that fails is re-opened after a second, and everything reloaded.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { Config, RecordsConfig, StatisticsConfig } from './index';
import type { DeadlineSettings } from '../time/settings';
import { ChannelListener } from '../db/notifications';

export const SETTINGS_CHANGED = 'sdd_settings_changed';

/** What the rules read: the environment's non-policy parts with the settings' current values. */
export interface Policy {
  executiveThreshold: number;
  /** a repeat of the same fault within this many days of the last repair's completion is repaired free (seed 004) */
  repairWarrantyDays: number;
  deadlines: DeadlineSettings;
  records: RecordsConfig;
  weights: StatisticsConfig['weights'];
}

type Numeric = 'amount' | 'whole' | 'hours' | 'days' | 'km';
type DeadlineField = Exclude<keyof DeadlineSettings, 'businessHours' | 'customerServiceDepartmentCode' | 'breachCron'>;

export interface SettingSpec {
  key: string;
  description: string;
  /** the value the environment gives, written when the key has no row yet */
  initial(config: Config): unknown;
  /** null: valid; otherwise what is wrong, in words */
  check(value: unknown, knownTypes: readonly string[]): string | null;
  apply(policy: Policy, value: unknown): void;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** money has at most 2 decimals (fen): 1000.55 is, 1000.555 is not */
const hasCents = (v: number): boolean => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;
function numericProblem(kind: Numeric, value: unknown): string | null {
  if (!isNumber(value)) return 'must be a number';
  if (kind === 'amount') return value > 0 && value <= 1e12 && hasCents(value) ? null : 'must be an amount above 0 (CNY) with at most 2 decimals';
  if (kind === 'whole') return Number.isInteger(value) && value >= 0 && value <= 365 ? null : 'must be a whole number from 0 to 365';
  if (kind === 'days') return value > 0 && value <= 365 ? null : 'must be a number of days above 0 (at most 365)';
  if (kind === 'km') return value > 0 && value <= 20_000 ? null : 'must be a distance in km above 0 (at most 20,000)';
  return value > 0 && value <= 24 * 365 ? null : 'must be a number of hours above 0 (at most a year)';
}

/** the deadline lengths (SPEC §4), each its own key `deadline.<field>` */
const DEADLINES: Array<{ field: DeadlineField; kind: Numeric; description: string }> = [
  { field: 'requestReviewWorkingDays', kind: 'whole', description: 'request review: working days from submission' },
  { field: 'requestReviewUrgentWorkingHours', kind: 'hours', description: 'request review of an URGENT or CRITICAL request: working hours' },
  { field: 'taskCreationWorkingDays', kind: 'whole', description: 'a task created: working days after the request was accepted' },
  { field: 'taskApprovalWorkingDays', kind: 'whole', description: 'task approval: working days from submission' },
  { field: 'fieldNearDistanceKm', kind: 'km', description: 'field response: a site within this distance (km) is near' },
  { field: 'fieldOnSiteHours', kind: 'hours', description: 'field response, near site: on site within … hours of assignment' },
  { field: 'fieldFirstReplyHours', kind: 'hours', description: 'field response, far site: a first reply within … hours' },
  { field: 'recordFilingDays', kind: 'days', description: 'a service record filed within … days of its actual end' },
  { field: 'acceptanceVerificationWorkingDays', kind: 'whole', description: 'an acceptance verified within … working days of passing' },
  { field: 'returnVisitWorkingDays', kind: 'whole', description: 'the return visit within … working days of completion' },
  { field: 'executiveEscalationHours', kind: 'hours', description: 'a breach still unmet this many hours after the supervisor heard of it goes to an executive' },
];

function retentionProblem(value: unknown, knownTypes: readonly string[]): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of document type (UPPER_SNAKE) → whole years';
  for (const [type, years] of Object.entries(value)) {
    if (!knownTypes.includes(type)) return `${type.slice(0, 60)} is not a document type (one of ${knownTypes.join(', ')})`;
    if (!isNumber(years) || !Number.isInteger(years) || years < 1 || years > 100) return `${type}: years must be a whole number from 1 to 100`;
  }
  return null;
}

function weightsProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be { work, attitude, ability }';
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'ability,attitude,work') return 'must have exactly work, attitude and ability';
  const w = value as Record<string, unknown>;
  if (!['work', 'attitude', 'ability'].every((k) => isNumber(w[k]) && (w[k] as number) >= 0 && (w[k] as number) <= 100)) return 'each weight must be a number from 0 to 100';
  if ((w.work as number) + (w.attitude as number) + (w.ability as number) <= 0) return 'the weights must not all be 0';
  return null;
}

/** Every setting key: its check, its first value from the environment, and where the rules find it. */
export const SETTING_SPECS: readonly SettingSpec[] = [
  {
    key: 'executiveThreshold',
    description: 'amount (CNY) at or above which an executive must approve (SPEC §2); applies from the next SUBMIT',
    initial: (c) => c.executiveThreshold,
    check: (v) => numericProblem('amount', v),
    apply: (p, v) => (p.executiveThreshold = v as number),
  },
  {
    key: 'repairWarrantyDays',
    description: 'days after a repair within which the same fault is repaired free (seed 004); applies to records filed from now on',
    initial: (c) => c.repairWarrantyDays,
    check: (v) => (isNumber(v) && Number.isInteger(v) && v >= 0 && v <= 3650 ? null : 'must be a whole number of days from 0 to 3650'),
    apply: (p, v) => (p.repairWarrantyDays = v as number),
  },
  ...DEADLINES.map(
    ({ field, kind, description }): SettingSpec => ({
      key: `deadline.${field}`,
      description: `${description} (SPEC §4); applies to deadlines set from now on`,
      initial: (c) => c.deadlines[field],
      check: (v) => numericProblem(kind, v),
      apply: (p, v) => ((p.deadlines as unknown as Record<string, number>)[field] = v as number),
    }),
  ),
  {
    key: 'retention.defaultYears',
    description: 'years a closed document is kept from its closing, unless its type has its own (SPEC §5)',
    initial: (c) => c.records.defaultRetentionYears,
    check: (v) => (isNumber(v) && Number.isInteger(v) && v >= 1 && v <= 100 ? null : 'must be a whole number of years from 1 to 100'),
    apply: (p, v) => (p.records.defaultRetentionYears = v as number),
  },
  {
    key: 'retention.byType',
    description: "a type's own retention in years, by type in UPPER_SNAKE: { \"SERVICE_REQUEST\": 10 } (SPEC §5)",
    initial: (c) => c.records.retentionYears,
    check: (v, types) => retentionProblem(v, types),
    apply: (p, v) => (p.records.retentionYears = { ...(v as Record<string, number>) }),
  },
  {
    key: 'scorecard.weights',
    description: "the technician scorecard's weights of work results, attitude and ability (SPEC §8)",
    initial: (c) => c.statistics.weights,
    check: (v) => weightsProblem(v),
    apply: (p, v) => (p.weights = { ...(v as StatisticsConfig['weights']) }),
  },
];

export const settingSpec = (key: string): SettingSpec | undefined => SETTING_SPECS.find((s) => s.key === key);

export interface SettingRow {
  key: string;
  value: unknown;
  version: number;
  changedById: string | null;
  changedByName: string | null;
  changedAt: Date;
  reason: string | null;
}

/** the policy as the environment alone gives it (before the table is read) */
function fromConfig(config: Config): Policy {
  return {
    executiveThreshold: config.executiveThreshold,
    repairWarrantyDays: config.repairWarrantyDays,
    deadlines: { ...config.deadlines },
    records: { ...config.records, retentionYears: { ...config.records.retentionYears } },
    weights: { ...config.statistics.weights },
  };
}

export class SettingsService {
  private policy: Policy;
  private rows: SettingRow[] = [];
  private readonly listener: ChannelListener;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
    /** the document types retention may name (UPPER_SNAKE) */
    readonly knownTypes: readonly string[],
    private readonly log?: Logger,
  ) {
    this.policy = fromConfig(config);
    const reload = () => this.reload().catch((err) => this.log?.warn({ err }, 'settings reload failed'));
    this.listener = new ChannelListener(dataSource, SETTINGS_CHANGED, () => void reload(), reload, log);
  }

  /** The settings every rule reads now (replaced, never mutated, on reload: a caller may keep it for one request). */
  current(): Policy {
    return this.policy;
  }

  /** every key with its value, version and last change */
  list(): SettingRow[] {
    return this.rows;
  }

  /** Writes the environment's value of every key without a row (version 1), listens, loads. */
  async start(): Promise<void> {
    const now = new Date();
    const initial = SETTING_SPECS.map((s) => ({ key: s.key, value: s.initial(this.config) }));
    // many processes may start at once: the first value of a key is written once, later starts keep the table's
    await this.dataSource.query(
      `INSERT INTO setting (key, value, version, changed_at, reason)
       SELECT s.key, s.value, 1, $2, 'initial value, from the environment' FROM jsonb_to_recordset($1::jsonb) AS s(key text, value jsonb)
       ON CONFLICT (key) DO NOTHING`,
      [JSON.stringify(initial), now],
    );
    await this.listener.listen();
    await this.reload();
  }

  /** Reads the table again (after a change here, or on another process's notification). */
  async reload(manager: Pick<EntityManager, 'query'> = this.dataSource): Promise<void> {
    const rows: SettingRow[] = await manager.query(
      `SELECT key, value, version, changed_by_id AS "changedById", changed_by_name AS "changedByName", changed_at AS "changedAt", reason FROM setting ORDER BY key`,
    );
    const policy = fromConfig(this.config);
    for (const row of rows) {
      const spec = settingSpec(row.key);
      // a key this version does not know (written by a newer one) or a value it cannot read keeps the environment's
      if (spec && spec.check(row.value, this.knownTypes) === null) spec.apply(policy, row.value);
      else this.log?.warn({ key: row.key }, 'setting ignored: unknown key or invalid value');
    }
    this.rows = rows.filter((r) => settingSpec(r.key));
    this.policy = policy;
  }

  async close(): Promise<void> {
    await this.listener.close();
  }
}
