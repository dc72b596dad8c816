/**
 * Working-day and working-hour arithmetic for deadlines (SPEC §4): the one module every deadline asks.
 * It answers from the process's current calendar (src/time/calendar.ts): the `calendar_day` table of the
 * business timezone once src/time/calendar-store.ts has loaded it (and reloaded on every ADMIN change),
 * and until then China's official calendar from the `chinese-days` package (the data the table is seeded
 * with), so a unit test or a script gets the same answers without a database.
 */
import { Calendar, defaultChineseDays, DEFAULT_BUSINESS_HOURS } from './calendar';

/** The business timezone (the same setting document numbers use). */
export const businessTimezone = (): string => process.env.BUSINESS_TIMEZONE || 'Asia/Shanghai';

let current: Calendar | null = null;

/** the calendar in force in this process */
export function currentCalendar(): Calendar {
  current ??= new Calendar(defaultChineseDays(), businessTimezone(), DEFAULT_BUSINESS_HOURS);
  return current;
}

/** the calendar store installs what it loaded (tests may install their own) */
export function setCurrentCalendar(calendar: Calendar | null): void {
  current = calendar;
}

/** The calendar for `timezone`: the current one when it is the business timezone, else one built for it. */
function calendarFor(timezone: string | undefined): Calendar {
  const cal = currentCalendar();
  if (!timezone || timezone === cal.timezone) return cal;
  return new Calendar(defaultChineseDays(), timezone, cal.hours);
}

export const isWorkingDay = (at: Date, timezone?: string): boolean => calendarFor(timezone).isWorkingDay(at);

/**
 * The same time of day, `days` working days after `from`: each day forward counts only when it is a
 * working day (Monday–Friday, less holidays, plus make-up working days). Friday 15:00 + 1 is Monday
 * 15:00; Saturday 10:00 + 1 is Monday 10:00. 0 days is `from` itself.
 */
export function addWorkingDays(from: Date, days: number, timezone?: string): Date {
  return calendarFor(timezone).addWorkingDays(from, days);
}

/** `hours` of working time (business hours of working days) after `from`. */
export function addWorkingHours(from: Date, hours: number, timezone?: string): Date {
  return calendarFor(timezone).addWorkingHours(from, hours);
}
