/**
 * The KPI dashboard: `statistics` for a period over the caller's scope — requests by period, on-time rates by
 * deadline, the SPEC §8 targets met or not. Sections the caller may not see come back null and are left out.
 */
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api';
import { t } from '../i18n';
import { BarChart, RateBars } from '../chart';
import { ErrorBox, formatTime, offsetMinutes, zonedToInstant } from '../format';

type Range = 'month' | 'last12' | 'year';

/** Instants at local midnight in the company's time zone (BUSINESS_ZONE, as times are shown and typed). */
function period(range: Range, now = new Date()): { from: string; to: string; bucket: string } {
  const shanghai = new Date(now.getTime() + offsetMinutes(now.getTime()) * 60_000);
  const y = shanghai.getUTCFullYear();
  const m = shanghai.getUTCMonth();
  const at = (year: number, month: number) => {
    const d = new Date(Date.UTC(year, month, 1));
    return zonedToInstant(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01T00:00:00`);
  };
  if (range === 'month') return { from: at(y, m), to: at(y, m + 1), bucket: 'WEEK' };
  if (range === 'year') return { from: at(y, 0), to: at(y + 1, 0), bucket: 'MONTH' };
  return { from: at(y, m - 11), to: at(y, m + 1), bucket: 'MONTH' };
}

const QUERY = `query Kpi($bucket: PeriodBucket, $filter: StatisticsFilter) { statistics(bucket: $bucket, filter: $filter) {
  period { from to timezone }
  requests { received byPeriod { label count } byCategory { label key count } byDepartment { label key count } }
  onTime { byKind { kind done onTime rate } }
  timeliness { rate responses withinDeadline }
  satisfaction { rate responses satisfied }
  targets { timeliness { actual target met } satisfaction { actual target met } complaintRate { actual target met } }
} }`;

interface TargetResult {
  actual: number | null;
  target: number;
  met: boolean | null;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);

function Target({ label, result, lowerIsBetter = false }: { label: string; result: TargetResult | null; lowerIsBetter?: boolean }) {
  if (!result) return null;
  const status = result.met === null ? 'none' : result.met ? 'met' : 'missed';
  return (
    <div class={`target-card ${status}`} data-target={label} data-met={String(result.met)}>
      <div class="muted">{label}</div>
      <div class="big">{pct(result.actual)}</div>
      <div>
        {lowerIsBetter ? '<' : '≥'} {pct(result.target)} · <strong>{status === 'none' ? t('noData') : status === 'met' ? t('targetMet') : t('targetMissed')}</strong>
      </div>
    </div>
  );
}

export function KpiPage() {
  const [range, setRange] = useState<Range>('last12');
  const [stats, setStats] = useState<any>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const { from, to, bucket } = period(range);
    setStats(null);
    setError(null);
    gql(QUERY, { bucket, filter: { from, to } })
      .then(({ data }) => setStats(data.statistics))
      .catch((e) => setError(e.code === 'FORBIDDEN' ? t('kpiRefused') : e.message));
  }, [range]);
  return (
    <div class="kpi" data-testid="kpi">
      <h2 class="page-title">{t('kpi')}</h2>
      <div class="buttons">
        {(['month', 'last12', 'year'] as Range[]).map((r) => (
          <button type="button" class={range === r ? 'primary' : ''} onClick={() => setRange(r)}>
            {t(r === 'month' ? 'thisMonth' : r === 'last12' ? 'last12' : 'thisYear')}
          </button>
        ))}
      </div>
      {error && <ErrorBox error={error} />}
      {!stats && !error && <p>{t('loading')}</p>}
      {stats && (
        <>
          <p class="muted">
            {t('period')}: {formatTime(stats.period.from)} – {formatTime(stats.period.to)} ({stats.period.timezone})
          </p>
          <section class="card">
            <h3>{t('targets')}</h3>
            <div class="targets">
              <Target label={t('timelinessTarget')} result={stats.targets.timeliness} />
              <Target label={t('satisfactionTarget')} result={stats.targets.satisfaction} />
              <Target label={t('complaintRateTarget')} result={stats.targets.complaintRate} lowerIsBetter />
            </div>
          </section>
          {stats.requests && (
            <div class="columns">
              <section class="card">
                <h3>
                  {t('byPeriod')} <span class="count">{stats.requests.received}</span>
                </h3>
                <BarChart testId="chart-by-period" bars={stats.requests.byPeriod.map((p: { label: string; count: number }) => ({ label: p.label, value: p.count }))} />
              </section>
              <section class="card">
                <h3>{t('byCategory')}</h3>
                <BarChart testId="chart-by-category" bars={stats.requests.byCategory.map((p: { label: string | null; key: string | null; count: number }) => ({ label: p.label ?? p.key ?? '—', value: p.count }))} />
                <h3>{t('byDepartment')}</h3>
                <BarChart testId="chart-by-department" bars={stats.requests.byDepartment.map((p: { label: string | null; count: number }) => ({ label: p.label ?? '—', value: p.count }))} />
              </section>
            </div>
          )}
          {stats.onTime && (
            <section class="card">
              <h3>{t('onTimeByKind')}</h3>
              <RateBars
                testId="chart-on-time"
                target={0.9}
                bars={stats.onTime.byKind.map((k: { kind: string; done: number; onTime: number; rate: number | null }) => ({ label: k.kind, value: k.rate, text: k.rate === null ? '—' : `${Math.round(k.rate * 100)}% (${k.onTime}/${k.done})` }))}
              />
            </section>
          )}
        </>
      )}
    </div>
  );
}
