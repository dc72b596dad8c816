/**
 * The working-day calendar (SPEC §4), as data: Monday–Friday by default, and the exceptions — public
 * holidays and make-up working days (調休) — one row per day in `calendar_day`, per business timezone.
 * This module is pure: a Calendar is built from a list of days; src/time/calendar-store.ts loads it from
 * the table (and keeps it fresh), and the default before any load is China's official calendar as the
 * `chinese-days` package knows it (the same data the table is seeded with).
 *
 * All day arithmetic is done in the business timezone: a "day" is a calendar date there.
 */
import chineseDays from 'chinese-days';

export enum CalendarDayKind {
  /** a working day (an explicit one: overrides a holiday, or marks a weekday as working) */
  WORKDAY = 'WORKDAY',
  /** a day off (public holiday, or a company holiday) */
  HOLIDAY = 'HOLIDAY',
  /** a weekend day worked in exchange for a holiday (調休) */
  MAKEUP_WORKDAY = 'MAKEUP_WORKDAY',
}

export interface CalendarDay {
  /** YYYY-MM-DD in the business timezone */
  date: string;
  kind: CalendarDayKind;
  name: string | null;
}

/** Business hours, minutes from midnight in the business timezone: [start, end). */
export interface BusinessHours {
  start: number;
  end: number;
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { start: 9 * 60, end: 18 * 60 };

/** "09:00-18:00" → minutes; throws on anything else. */
export function parseBusinessHours(text: string): BusinessHours {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`BUSINESS_HOURS must look like 09:00-18:00, got "${text}"`);
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start >= end || end > 24 * 60) throw new Error(`BUSINESS_HOURS must start before it ends, within one day: "${text}"`);
  return { start, end };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** The date, weekday and minute of the day of a moment, in `timezone`. */
interface LocalParts {
  date: string;
  weekday: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  return f;
}
const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function local(at: Date, timezone: string): LocalParts & { second: number } {
  const parts = Object.fromEntries(formatter(timezone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAY[parts.weekday],
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second) + (at.getTime() % 1000) / 1000,
  };
}

/** The instant at which `date` (YYYY-MM-DD) reaches `minute` in `timezone` (offset found by one correction; exact outside DST gaps). */
function instantOf(date: string, minute: number, timezone: string): Date {
  const guess = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), 0, minute);
  const seen = local(new Date(guess), timezone);
  const seenUtc = Date.UTC(Number(seen.date.slice(0, 4)), Number(seen.date.slice(5, 7)) - 1, Number(seen.date.slice(8, 10)), 0, seen.minute);
  return new Date(guess - (seenUtc - guess));
}

const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export class Calendar {
  private readonly days: Map<string, CalendarDay>;

  constructor(
    days: Iterable<CalendarDay>,
    readonly timezone: string,
    readonly hours: BusinessHours = DEFAULT_BUSINESS_HOURS,
  ) {
    this.days = new Map([...days].map((d) => [d.date, d]));
  }

  /** the exception recorded for a date, if any */
  dayOf(date: string): CalendarDay | null {
    return this.days.get(date) ?? null;
  }

  /** Is this date (YYYY-MM-DD, business timezone) a working day? */
  isWorkingDate(date: string): boolean {
    const day = this.days.get(date);
    if (day) return day.kind !== CalendarDayKind.HOLIDAY;
    const weekday = weekdayOf(date);
    return weekday !== 0 && weekday !== 6;
  }

  isWorkingDay(at: Date): boolean {
    return this.isWorkingDate(local(at, this.timezone).date);
  }

  /**
   * The same time of day, `days` working days after `from`: each date forward counts only when it is a
   * working day. Friday 15:00 + 1 is Monday 15:00; the day before a holiday week + 1 is the first working
   * day after it (a make-up Saturday counts). 0 days is `from` itself.
   */
  addWorkingDays(from: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`addWorkingDays needs a whole number of days ≥ 0, not ${days}`);
    if (days === 0) return new Date(from);
    const start = local(from, this.timezone);
    let date = start.date;
    let left = days;
    while (left > 0) {
      date = nextDate(date);
      if (this.isWorkingDate(date)) left--;
    }
    // the same wall-clock time on that date (seconds and milliseconds kept)
    const wholeMinute = instantOf(date, start.minute, this.timezone);
    return new Date(wholeMinute.getTime() + Math.round(start.second * 1000));
  }

  /**
   * `hours` of working time after `from`, counted only within business hours of working days. A start
   * outside them counts from the next opening: Friday 17:00 + 4 h is Monday 12:00 (hours 09:00–18:00).
   */
  addWorkingHours(from: Date, hours: number): Date {
    if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError(`addWorkingHours needs hours ≥ 0, not ${hours}`);
    let leftMs = Math.round(hours * 60 * MINUTE_MS);
    const start = local(from, this.timezone);
    let date = start.date;
    // where we stand within the day, in ms from midnight
    let atMs = (start.minute * 60 + start.second) * 1000;
    for (let guard = 0; guard < 3660; guard++) {
      if (this.isWorkingDate(date)) {
        const open = this.hours.start * MINUTE_MS;
        const close = this.hours.end * MINUTE_MS;
        const from_ = Math.max(atMs, open);
        if (from_ < close) {
          const room = close - from_;
          if (leftMs <= room) {
            const endMs = from_ + leftMs;
            return new Date(instantOf(date, 0, this.timezone).getTime() + endMs);
          }
          leftMs -= room;
        }
      }
      date = nextDate(date);
      atMs = 0;
    }
    throw new RangeError('addWorkingHours found no working time within ten years');
  }
}

/**
 * China's official holidays and make-up working days as `chinese-days` knows them (years it covers: those
 * with any exception). A weekday that is a day off is a HOLIDAY; a weekend day that is worked is a
 * MAKEUP_WORKDAY; a holiday that falls on a weekend needs no row.
 */
export function chineseOfficialDays(fromYear = 2004, toYear = new Date().getUTCFullYear() + 2): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    let date = `${year}-01-01`;
    while (date.startsWith(String(year))) {
      const detail = chineseDays.getDayDetail(date);
      const weekend = [0, 6].includes(weekdayOf(date));
      if (weekend && detail.work) days.push({ date, kind: CalendarDayKind.MAKEUP_WORKDAY, name: nameOf(detail.name) });
      else if (!weekend && !detail.work) days.push({ date, kind: CalendarDayKind.HOLIDAY, name: nameOf(detail.name) });
      date = nextDate(date);
    }
  }
  return days;
}

/** "National Day,国庆节,3" → "国庆节 National Day" */
function nameOf(raw: string): string {
  const [english, chinese] = raw.split(',');
  return chinese ? `${chinese} ${english}` : english;
}

let defaultDays: CalendarDay[] | null = null;
/** the package's days, computed once per process */
export function defaultChineseDays(): CalendarDay[] {
  defaultDays ??= chineseOfficialDays();
  return defaultDays;
}
