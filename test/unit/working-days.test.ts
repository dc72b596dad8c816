import { addWorkingDays, isWorkingDay } from '../../src/time/working-days';

// 2026-11-23 is a Monday; times are 15:00 in Shanghai (07:00 UTC)
const at = (day: string, time = '07:00:00') => new Date(`${day}T${time}.000Z`);
const TZ = 'Asia/Shanghai';

describe('addWorkingDays (Monday–Friday, in a week without holidays)', () => {
  test.each([
    ['Monday + 1 → Tuesday', at('2026-11-23'), 1, at('2026-11-24')],
    ['Monday + 3 → Thursday', at('2026-11-23'), 3, at('2026-11-26')],
    ['Monday + 5 → next Monday', at('2026-11-23'), 5, at('2026-11-30')],
    ['Thursday + 1 → Friday', at('2026-11-26'), 1, at('2026-11-27')],
    ['Friday + 1 → Monday', at('2026-11-27'), 1, at('2026-11-30')],
    ['Friday + 3 → Wednesday', at('2026-11-27'), 3, at('2026-12-02')],
    ['Friday + 5 → next Friday', at('2026-11-27'), 5, at('2026-12-04')],
    ['Saturday + 1 → Monday', at('2026-11-28'), 1, at('2026-11-30')],
    ['Sunday + 1 → Monday', at('2026-11-29'), 1, at('2026-11-30')],
    ['Wednesday + 10 → two weeks later', at('2026-11-25'), 10, at('2026-12-09')],
    ['0 days → the same moment', at('2026-11-28'), 0, at('2026-11-28')],
  ])('%s', (_, from, days, expected) => {
    expect(addWorkingDays(from, days, TZ).toISOString()).toBe(expected.toISOString());
  });

  test('the weekday is the business timezone\'s: Friday 23:30 UTC is already Saturday in Shanghai', () => {
    const fridayNightUtc = new Date('2026-11-27T23:30:00.000Z'); // Saturday 07:30 in Shanghai
    expect(isWorkingDay(fridayNightUtc, TZ)).toBe(false);
    expect(isWorkingDay(fridayNightUtc, 'UTC')).toBe(true);
    expect(addWorkingDays(fridayNightUtc, 1, TZ).toISOString()).toBe('2026-11-29T23:30:00.000Z'); // Monday 07:30 in Shanghai
    expect(addWorkingDays(fridayNightUtc, 1, 'UTC').toISOString()).toBe('2026-11-30T23:30:00.000Z'); // Monday in UTC
  });

  test('keeps the time of day and does not change its argument', () => {
    const from = at('2026-11-27', '01:23:45');
    const copy = new Date(from);
    expect(addWorkingDays(from, 2, TZ).toISOString()).toBe('2026-12-01T01:23:45.000Z');
    expect(from).toEqual(copy);
  });

  test('refuses negative or fractional days', () => {
    expect(() => addWorkingDays(at('2026-11-23'), -1, TZ)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-11-23'), 1.5, TZ)).toThrow(RangeError);
  });
});
