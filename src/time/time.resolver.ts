/**
 * The calendar (read by anyone signed in, changed by ADMIN, each change audited in calendar_change) and
 * escalations (read and acknowledged by those they are addressed to).
 */
import { changedRows } from '../db/returning';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { hasRole, Role, type Caller } from '../auth/roles';
import type { Context } from '../graphql/context';
import { idOf, toGlobalId } from '../graphql/global-id';
import { CursorError } from '../graphql/connection';
import { UserErrorCode } from '../workflow/errors';
import { CalendarDayKind } from './calendar';
import { loadCalendarDays } from './calendar-store';
import { ESCALATION, EscalationLevel } from './escalations';
import { registerNoticeAudience } from '../graphql/subscriptions';
import {
  AcknowledgeEscalationInput,
  CalendarDayPayload,
  CalendarDaysArgs,
  CalendarDayType,
  ClearCalendarDayInput,
  EscalationConnection,
  EscalationPayload,
  EscalationsArgs,
  EscalationType,
  SetCalendarDayInput,
} from './time.types';
import { setCurrentCalendar } from './working-days';
import { Calendar } from './calendar';

const validDate = (date: string): boolean => !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;

/** Escalations addressed to the caller: SUPERVISOR ones to the supervisors of their department, EXECUTIVE ones to executives. */
function addressedTo(caller: Caller, alias = 'e'): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (hasRole(caller, Role.SUPERVISOR) && caller.departmentId) {
    params.push(caller.departmentId);
    clauses.push(`(${alias}.level = 'SUPERVISOR' AND ${alias}.department_id = $${params.length})`);
  }
  if (hasRole(caller, Role.EXECUTIVE)) clauses.push(`${alias}.level = 'EXECUTIVE'`);
  return { sql: clauses.length ? `(${clauses.join(' OR ')})` : 'false', params };
}

interface EscalationRow {
  id: string;
  level: EscalationLevel;
  kind: string;
  document_type: string;
  document_id: string;
  department_id: string | null;
  due_at: Date;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by_id: string | null;
}

const toEscalation = (r: EscalationRow): EscalationType => ({
  id: toGlobalId('Escalation', r.id),
  level: r.level,
  kind: r.kind as EscalationType['kind'],
  documentType: r.document_type,
  documentId: toGlobalId(r.document_type, r.document_id),
  departmentId: r.department_id ? toGlobalId('Department', r.department_id) : null,
  dueAt: r.due_at,
  raisedAt: r.raised_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedById: r.acknowledged_by_id ? toGlobalId('User', r.acknowledged_by_id) : null,
});

const COLUMNS = `e.id::text, e.level, e.kind, e.document_type, e.document_id, e.department_id, e.due_at, e.raised_at, e.acknowledged_at, e.acknowledged_by_id`;

const cursorOf = (r: EscalationRow) => Buffer.from(JSON.stringify([new Date(r.raised_at).toISOString(), r.id])).toString('base64url');
function decode(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && !Number.isNaN(Date.parse(v[0])) && /^[0-9a-f-]{36}$/i.test(v[1])) return v as [string, string];
  } catch {
    /* fall through */
  }
  throw new CursorError('after is not a cursor this list gave out');
}

// an escalation reaches, over the `escalations` subscription, exactly those it is addressed to (the same rule as the query)
registerNoticeAudience(ESCALATION, async (event, ctx) => {
  const { sql, params } = addressedTo(ctx.caller);
  const rows = await ctx.dataSource.query(`SELECT 1 FROM escalation e WHERE e.id = $${params.length + 1} AND ${sql}`, [...params, event.documentId]);
  return rows.length > 0;
});

@Resolver()
export class TimeResolver {
  @Query(() => [CalendarDayType], { description: 'The days from … to (inclusive) that are not plain Monday–Friday: holidays, make-up working days (調休), explicit working days' })
  async calendarDays(@Args(() => CalendarDaysArgs) args: CalendarDaysArgs, @Ctx() ctx: Context): Promise<CalendarDayType[]> {
    const from = args.from ?? `${ctx.config.clock().getUTCFullYear()}-01-01`;
    const to = args.to ?? `${from.slice(0, 4)}-12-31`;
    if (!validDate(from) || !validDate(to) || Date.parse(to) - Date.parse(from) > 400 * 86_400_000) return [];
    return ctx.dataSource.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_day WHERE timezone = $1 AND date BETWEEN $2 AND $3 ORDER BY date`,
      [ctx.config.timezone, from, to],
    );
  }

  @Mutation(() => CalendarDayPayload, { description: 'ADMIN: make a day a holiday, a make-up working day or a working day (audited; every API process reloads the calendar)' })
  setCalendarDay(@Arg('input', () => SetCalendarDayInput) input: SetCalendarDayInput, @Ctx() ctx: Context): Promise<CalendarDayPayload> {
    return changeDay(ctx, input.date, { kind: input.kind, name: input.name ?? null });
  }

  @Mutation(() => CalendarDayPayload, { description: 'ADMIN: the day follows Monday–Friday again (audited)' })
  clearCalendarDay(@Arg('input', () => ClearCalendarDayInput) input: ClearCalendarDayInput, @Ctx() ctx: Context): Promise<CalendarDayPayload> {
    return changeDay(ctx, input.date, null);
  }

  @Query(() => EscalationConnection, { description: 'Escalations addressed to you (supervisors: your department\'s; executives: executive-level ones), newest first' })
  async escalations(@Args(() => EscalationsArgs) args: EscalationsArgs, @Ctx() ctx: Context): Promise<EscalationConnection> {
    const { sql, params } = addressedTo(ctx.caller);
    const where = [sql];
    const f = args.filter ?? {};
    if (f.acknowledged === true) where.push('e.acknowledged_at IS NOT NULL');
    if (f.acknowledged === false) where.push('e.acknowledged_at IS NULL');
    if (f.level?.length) {
      params.push(f.level);
      where.push(`e.level = ANY($${params.length})`);
    }
    const total: Array<{ n: number }> = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM escalation e WHERE ${where.join(' AND ')}`, params);
    const pageParams = [...params];
    if (args.after) {
      const [at, id] = decode(args.after);
      pageParams.push(at, id);
      where.push(`(e.raised_at, e.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`);
    }
    const first = Math.min(args.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize);
    pageParams.push(first + 1);
    const rows: EscalationRow[] = await ctx.dataSource.query(`SELECT ${COLUMNS} FROM escalation e WHERE ${where.join(' AND ')} ORDER BY e.raised_at DESC, e.id DESC LIMIT $${pageParams.length}`, pageParams);
    const page = rows.slice(0, first);
    const edges = page.map((r) => ({ cursor: cursorOf(r), node: toEscalation(r) }));
    return { edges, nodes: edges.map((e) => e.node), pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: total[0].n };
  }

  @Mutation(() => EscalationPayload, { description: 'Acknowledge an escalation addressed to you' })
  async acknowledgeEscalation(@Arg('input', () => AcknowledgeEscalationInput) input: AcknowledgeEscalationInput, @Ctx() ctx: Context): Promise<EscalationPayload> {
    const id = idOf(input.id, 'Escalation');
    const notFound = { escalation: null, userErrors: [{ code: UserErrorCode.NOT_FOUND, message: 'No such escalation addressed to you.', field: 'id' }] };
    if (!id) return notFound;
    const { sql, params } = addressedTo(ctx.caller);
    return ctx.dataSource.transaction(async (m) => {
      const [row]: EscalationRow[] = await m.query(`SELECT ${COLUMNS} FROM escalation e WHERE e.id = $${params.length + 1} AND ${sql} FOR UPDATE`, [...params, id]);
      if (!row) return notFound;
      if (row.acknowledged_at) return { escalation: toEscalation(row), userErrors: [{ code: UserErrorCode.INVALID_TRANSITION, message: 'The escalation was already acknowledged.', field: null }] };
      const [updated] = await changedRows<EscalationRow>(m, `UPDATE escalation e SET acknowledged_at = $2, acknowledged_by_id = $3 WHERE e.id = $1 RETURNING ${COLUMNS}`, [id, ctx.config.clock(), ctx.caller.userId]);
      ctx.effects.committed = true;
      return { escalation: toEscalation(updated), userErrors: [] };
    });
  }
}

async function changeDay(ctx: Context, date: string, after: { kind: CalendarDayKind; name: string | null } | null): Promise<CalendarDayPayload> {
  if (!hasRole(ctx.caller, Role.ADMIN)) return { calendarDay: null, userErrors: [{ code: UserErrorCode.FORBIDDEN, message: 'Only an administrator changes the working-day calendar.', field: null }] };
  if (!validDate(date)) return { calendarDay: null, userErrors: [{ code: UserErrorCode.VALIDATION, message: 'date must be a real day (YYYY-MM-DD)', field: 'date' }] };
  const timezone = ctx.config.timezone;
  await ctx.dataSource.transaction(async (m) => {
    const [before]: Array<{ kind: string; name: string | null }> = await m.query(`SELECT kind, name FROM calendar_day WHERE timezone = $1 AND date = $2 FOR UPDATE`, [timezone, date]);
    if (after) {
      await m.query(
        `INSERT INTO calendar_day (timezone, date, kind, name, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (timezone, date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at`,
        [timezone, date, after.kind, after.name, ctx.config.clock()],
      );
    } else {
      await m.query(`DELETE FROM calendar_day WHERE timezone = $1 AND date = $2`, [timezone, date]);
    }
    await m.query(`INSERT INTO calendar_change (timezone, date, actor_id, actor_name, at, before, after, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      timezone,
      date,
      ctx.caller.userId,
      ctx.caller.name,
      ctx.config.clock(),
      before ? JSON.stringify(before) : null,
      after ? JSON.stringify(after) : null,
      ctx.meta.requestId,
    ]);
  });
  ctx.effects.committed = true;
  // this process at once; the others on the notification
  setCurrentCalendar(new Calendar(await loadCalendarDays(ctx.dataSource.manager, timezone), timezone, ctx.config.deadlines.businessHours));
  return { calendarDay: after ? { date, ...after } : null, userErrors: [] };
}
