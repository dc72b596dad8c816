/**
 * A report's period from its kind and year (+ month or half), as inclusive dates in the business timezone,
 * and the instants the statistics are counted between.
 */
import { ServiceReportKind } from './service-report.enums';

export interface Period {
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** days in month m (1–12) of year y */
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function periodOf(kind: ServiceReportKind | string, year: number, month?: number | null, half?: number | null): Period {
  switch (kind) {
    case ServiceReportKind.MONTHLY: {
      const m = month ?? 1;
      return { from: ymd(year, m, 1), to: ymd(year, m, daysIn(year, m)) };
    }
    case ServiceReportKind.HALF_YEARLY:
      return half === 2 ? { from: ymd(year, 7, 1), to: ymd(year, 12, 31) } : { from: ymd(year, 1, 1), to: ymd(year, 6, 30) };
    default:
      // YEARLY; and the plans, which are for a whole calendar year
      return { from: ymd(year, 1, 1), to: ymd(year, 12, 31) };
  }
}

/** how far `timezone`'s wall clock is ahead of UTC at `at`, in ms */
function offsetMs(at: Date, timezone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** the instant a local date (YYYY-MM-DD) begins in `timezone` */
export function startOfDay(date: string, timezone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const utc = Date.UTC(y, m - 1, d);
  return new Date(utc - offsetMs(new Date(utc - offsetMs(new Date(utc), timezone)), timezone));
}

/** [from, to) as instants: the period's first day's start to the start of the day after its last */
export function periodInstants(period: Period, timezone: string): { from: Date; to: Date } {
  const [y, m, d] = period.to.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { from: startOfDay(period.from, timezone), to: startOfDay(next, timezone) };
}

/** The month before the one `at` falls in, in `timezone`: what the monthly generation reports on. */
export function previousMonth(at: Date, timezone: string): { year: number; month: number } {
  const local = new Date(at.getTime() + offsetMs(at, timezone));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  return m === 1 ? { year: y - 1, month: 12 } : { year: y, month: m - 1 };
}
