/**
 * How a statistics request (the GraphQL query or the CSV export) becomes the figures' filter: one reading
 * of the period (default: this month in the company time zone) and of the global ids.
 */
import type { Context } from '../graphql/context';
import { idOf } from '../graphql/global-id';
import type { FigureFilter } from './figures';
import { StatisticsInvalid } from './sql';

/** 'YYYY-MM' of an instant in the company time zone */
export const monthOf = (at: Date, timezone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }).format(at).slice(0, 7);

/** A global id of the given type, or a VALIDATION error naming the field. */
export function uuidOf(globalId: string | null | undefined, type: string, field: string): string | undefined {
  if (globalId === null || globalId === undefined) return undefined;
  const id = idOf(globalId, type);
  if (!id) throw new StatisticsInvalid(`${field} must be the id of a ${type}`, field);
  return id;
}

/** What a `statistics` query asks, as the figures' filter: global ids checked, the period defaulting to this month. */
export interface StatisticsRequest {
  from?: Date | null;
  to?: Date | null;
  departmentId?: string | null;
  serviceType?: string | null;
  customerIds?: string[] | null;
  technicianId?: string | null;
}

/** The filter of a statistics request (GraphQL or CSV export): one reading of the period and the ids. */
export async function figureFilterOf(ctx: Context, f: StatisticsRequest): Promise<FigureFilter> {
  const tz = ctx.config.timezone;
  let { from, to } = f;
  if (!from || !to) {
    // the current month in the company time zone
    const [month] = await ctx.dataSource.query(`SELECT ($1::date::timestamp AT TIME ZONE $2) AS f, (($1::date + interval '1 month')::timestamp AT TIME ZONE $2) AS t`, [
      `${monthOf(ctx.config.clock(), tz)}-01`,
      tz,
    ]);
    from = from ?? month.f;
    to = to ?? month.t;
  }
  return {
    from: new Date(from!),
    to: new Date(to!),
    departmentId: uuidOf(f.departmentId, 'Department', 'filter.departmentId'),
    serviceType: f.serviceType ?? undefined,
    customerIds: f.customerIds?.map((c, i) => uuidOf(c, 'Customer', `filter.customerIds.${i}`)!),
    technicianId: uuidOf(f.technicianId, 'User', 'filter.technicianId'),
  };
}
