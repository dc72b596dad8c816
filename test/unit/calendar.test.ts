/**
 * The working-day calendar's arithmetic around China's official holidays (chinese-days, as the table is
 * seeded): the National Day week with its make-up days, a year boundary, working hours, ADMIN's own days.
 */
import { Calendar, CalendarDayKind, chineseOfficialDays, parseBusinessHours } from '../../src/time/calendar';
import { addWorkingDays, addWorkingHours, isWorkingDay, setCurrentCalendar } from '../../src/time/working-days';

/** Shanghai local time → the instant */
const cst = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => cst(local).toISOString();

afterEach(() => setCurrentCalendar(null));

describe('the National Day week of 2026 (Oct 1–7 off; Sunday Sep 20 and Saturday Oct 10 worked)', () => {
  test.each([
    ['the Wednesday before + 1 → the Thursday after the week', '2026-09-30T15:00:00', 1, '2026-10-08T15:00:00'],
    ['the Wednesday before + 3 → the make-up Saturday', '2026-09-30T15:00:00', 3, '2026-10-10T15:00:00'],
    ['Friday Oct 9 + 1 → the make-up Saturday Oct 10', '2026-10-09T10:00:00', 1, '2026-10-10T10:00:00'],
    ['the make-up Saturday + 1 → Monday Oct 12', '2026-10-10T10:00:00', 1, '2026-10-12T10:00:00'],
    ['Saturday Sep 19 + 1 → the make-up Sunday Sep 20', '2026-09-19T10:00:00', 1, '2026-09-20T10:00:00'],
    ['a day inside the holiday + 1 → Oct 8', '2026-10-03T11:00:00', 1, '2026-10-08T11:00:00'],
    ['Thursday Sep 24 + 1 → Saturday? no: Friday Sep 25 is Mid-autumn, so Monday Sep 28', '2026-09-24T09:00:00', 1, '2026-09-28T09:00:00'],
  ])('%s', (_, from, days, expected) => {
    expect(addWorkingDays(cst(from), days).toISOString()).toBe(iso(expected));
  });

  test('which days are working days', () => {
    expect(isWorkingDay(cst('2026-10-05T12:00:00'))).toBe(false); // a Monday off
    expect(isWorkingDay(cst('2026-10-10T12:00:00'))).toBe(true); // a Saturday worked
    expect(isWorkingDay(cst('2026-10-11T12:00:00'))).toBe(false); // a plain Sunday
    expect(isWorkingDay(cst('2026-10-08T12:00:00'))).toBe(true);
  });
});

describe('across a year boundary (New Year 2026: Jan 1–3 off, Sunday Jan 4 worked)', () => {
  test('Dec 31, 2025 + 1 working day → Sunday Jan 4, 2026 (a make-up day); + 2 → Monday Jan 5', () => {
    expect(addWorkingDays(cst('2025-12-31T16:00:00'), 1).toISOString()).toBe(iso('2026-01-04T16:00:00'));
    expect(addWorkingDays(cst('2025-12-31T16:00:00'), 2).toISOString()).toBe(iso('2026-01-05T16:00:00'));
  });

  test('working hours carry over the boundary: Dec 31 17:00 + 4 h → Jan 4 12:00', () => {
    expect(addWorkingHours(cst('2025-12-31T17:00:00'), 4).toISOString()).toBe(iso('2026-01-04T12:00:00'));
  });

  test('a late-evening start in UTC is already the next day in Shanghai', () => {
    // 2025-12-31T16:30Z is Jan 1 00:30 in Shanghai: a holiday
    expect(isWorkingDay(new Date('2025-12-31T16:30:00Z'))).toBe(false);
    expect(isWorkingDay(new Date('2025-12-31T15:30:00Z'))).toBe(true);
  });
});

describe('addWorkingHours (09:00–18:00 by default)', () => {
  test.each([
    ['within the day', '2026-11-23T10:00:00', 4, '2026-11-23T14:00:00'],
    ['to the closing minute', '2026-11-23T14:00:00', 4, '2026-11-23T18:00:00'],
    ['over the evening', '2026-11-23T16:00:00', 4, '2026-11-24T11:00:00'],
    ['over the weekend: Friday 16:00 → Monday 11:00', '2026-11-27T16:00:00', 4, '2026-11-30T11:00:00'],
    ['from before opening', '2026-11-23T06:30:00', 2, '2026-11-23T11:00:00'],
    ['from after closing', '2026-11-23T20:00:00', 1, '2026-11-24T10:00:00'],
    ['from a Saturday', '2026-11-28T10:00:00', 1.5, '2026-11-30T10:30:00'],
    ['over the National Day week', '2026-09-30T17:00:00', 4, '2026-10-08T12:00:00'],
    ['a whole working day of hours', '2026-11-23T09:00:00', 9, '2026-11-23T18:00:00'],
  ])('%s', (_, from, hours, expected) => {
    expect(addWorkingHours(cst(from), hours).toISOString()).toBe(iso(expected));
  });

  test('0 hours inside business hours is the same moment; outside them, the next opening', () => {
    expect(addWorkingHours(cst('2026-11-23T10:15:00'), 0).toISOString()).toBe(iso('2026-11-23T10:15:00'));
    expect(addWorkingHours(cst('2026-11-28T10:15:00'), 0).toISOString()).toBe(iso('2026-11-30T09:00:00'));
  });

  test('business hours are configurable', () => {
    const cal = new Calendar([], 'Asia/Shanghai', parseBusinessHours('08:30-12:00'));
    expect(cal.addWorkingHours(cst('2026-11-23T11:00:00'), 2).toISOString()).toBe(iso('2026-11-24T09:30:00'));
    expect(() => parseBusinessHours('18:00-09:00')).toThrow();
    expect(() => parseBusinessHours('nine to six')).toThrow();
  });

  test('refuses negative hours', () => {
    expect(() => addWorkingHours(cst('2026-11-23T10:00:00'), -1)).toThrow(RangeError);
  });
});

describe('the calendar is data', () => {
  test('chinese-days gives holidays on weekdays and make-up days on weekends only', () => {
    const days = chineseOfficialDays(2026, 2026);
    for (const d of days) {
      const weekday = new Date(`${d.date}T00:00:00Z`).getUTCDay();
      expect([d.date, d.kind === CalendarDayKind.MAKEUP_WORKDAY]).toEqual([d.date, weekday === 0 || weekday === 6]);
    }
    expect(days.find((d) => d.date === '2026-10-01')).toEqual({ date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节 National Day' });
  });

  test('an ADMIN’s day overrides: a company holiday, a holiday made a working day', () => {
    const cal = new Calendar(
      [
        { date: '2026-11-24', kind: CalendarDayKind.HOLIDAY, name: 'company day' },
        { date: '2026-10-08', kind: CalendarDayKind.HOLIDAY, name: null },
        { date: '2026-10-05', kind: CalendarDayKind.WORKDAY, name: null },
      ],
      'Asia/Shanghai',
    );
    setCurrentCalendar(cal);
    expect(addWorkingDays(cst('2026-11-23T10:00:00'), 1).toISOString()).toBe(iso('2026-11-25T10:00:00'));
    // this calendar has only its own three days: Oct 5 worked, Oct 8 off
    expect(isWorkingDay(cst('2026-10-05T10:00:00'))).toBe(true);
    expect(isWorkingDay(cst('2026-10-08T10:00:00'))).toBe(false);
  });
});
