/**
 * Working-day arithmetic for deadlines (SPEC §4). For now a working day is Monday–Friday in the business
 * timezone; issue #10 brings the holiday calendar (public holidays and make-up working days, 調休, as
 * data), and this is the one function that will read it.
 */

const WEEKDAY = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The business timezone (the same setting document numbers use). */
export const businessTimezone = (): string => process.env.BUSINESS_TIMEZONE || 'Asia/Shanghai';

/** Day of the week (0 = Sunday) of a moment, in `timezone`. */
function weekday(at: Date, timezone: string): number {
  return WEEKDAY[new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short' }).format(at) as keyof typeof WEEKDAY];
}

export const isWorkingDay = (at: Date, timezone = businessTimezone()): boolean => {
  const d = weekday(at, timezone);
  return d !== 0 && d !== 6;
};

/**
 * The same time of day, `days` working days after `from`: each day forward counts only when it is a
 * working day (Monday–Friday). Friday 15:00 + 1 is Monday 15:00; Saturday 10:00 + 1 is Monday 10:00.
 * 0 days is `from` itself. Issue #10: holidays and make-up working days.
 */
export function addWorkingDays(from: Date, days: number, timezone = businessTimezone()): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`addWorkingDays needs a whole number of days ≥ 0, not ${days}`);
  let at = from.getTime();
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    if (isWorkingDay(new Date(at), timezone)) left--;
  }
  return new Date(at);
}
