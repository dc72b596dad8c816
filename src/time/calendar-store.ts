/**
 * The calendar table, in memory: loaded at start, seeded from `chinese-days` for the years the package
 * covers and the table has not had yet, and reloaded whenever any process changes a day (the table's
 * trigger notifies `sdd_calendar_changed` on commit; this process also reloads right after its own
 * change). What it loads becomes the process's current calendar (src/time/working-days.ts).
 */
import { ChannelListener } from '../db/notifications';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Calendar, CalendarDayKind, defaultChineseDays, type BusinessHours, type CalendarDay } from './calendar';
import { setCurrentCalendar } from './working-days';

export const CALENDAR_CHANGED = 'sdd_calendar_changed';

/** Seeds the years `chinese-days` covers that this timezone's table has not seen; a year is seeded once, so later ADMIN edits stay. */
export async function seedCalendar(manager: EntityManager, timezone: string): Promise<number> {
  const byYear = new Map<number, CalendarDay[]>();
  for (const d of defaultChineseDays()) {
    const year = Number(d.date.slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), d]);
  }
  let seeded = 0;
  for (const [year, days] of byYear) {
    // many processes may start at once: the year's row is claimed by one of them
    const claimed: unknown[] = await manager.query(`INSERT INTO calendar_seeded_year (timezone, year, source) VALUES ($1, $2, 'chinese-days') ON CONFLICT DO NOTHING RETURNING year`, [timezone, year]);
    if (!claimed.length) continue;
    await manager.query(
      `INSERT INTO calendar_day (timezone, date, kind, name) SELECT $1, d.date, d.kind, d.name FROM jsonb_to_recordset($2::jsonb) AS d(date date, kind text, name text) ON CONFLICT DO NOTHING`,
      [timezone, JSON.stringify(days)],
    );
    seeded += days.length;
  }
  return seeded;
}

export async function loadCalendarDays(manager: EntityManager, timezone: string): Promise<CalendarDay[]> {
  const rows: Array<{ date: string; kind: CalendarDayKind; name: string | null }> = await manager.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_day WHERE timezone = $1`, [timezone]);
  return rows;
}

export class CalendarStore {
  private readonly listener: ChannelListener;

  constructor(
    private readonly dataSource: DataSource,
    readonly timezone: string,
    private readonly hours: BusinessHours,
    private readonly log?: Logger,
  ) {
    const reload = () => this.reload().catch((err) => this.log?.warn({ err }, 'calendar reload failed'));
    this.listener = new ChannelListener(dataSource, CALENDAR_CHANGED, (timezone) => timezone === this.timezone && void reload(), reload, log);
  }

  /** seeds (in one transaction), loads, and listens for changes */
  async start(): Promise<void> {
    const seeded = await this.dataSource.transaction((m) => seedCalendar(m, this.timezone));
    if (seeded) this.log?.info({ seeded, timezone: this.timezone }, 'calendar seeded from chinese-days');
    await this.listener.listen();
    await this.reload();
  }

  async reload(): Promise<void> {
    const days = await loadCalendarDays(this.dataSource.manager, this.timezone);
    setCurrentCalendar(new Calendar(days, this.timezone, this.hours));
  }

  async close(): Promise<void> {
    await this.listener.close();
  }
}
