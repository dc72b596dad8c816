/**
 * Statistics (SPEC §8) over GraphQL: `statistics` (every KPI, scoped like every read), `technicianScorecards`,
 * and `rateTechnician` (a supervisor's monthly rating of attitude and ability). Thin: the figures are
 * src/statistics/figures.ts, the scorecard src/statistics/scorecard.ts.
 */
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { hasRole, Role } from '../auth/roles';
import type { Context } from '../graphql/context';
import { idOf, toGlobalId } from '../graphql/global-id';
import { IdempotencyRefusal, InputValidationAsUserErrors } from '../graphql/mutation-middleware';
import { UserErrorCode } from '../workflow/errors';
import { computeFigures, PeriodBucket } from './figures';
import { figureFilterOf, monthOf, uuidOf } from './statistics.filter';
import './statistics.export';
import { parsePeriod, technicianScorecards } from './scorecard';
import { StatisticsForbidden, StatisticsInvalid } from './sql';
import { RateTechnicianInput, RateTechnicianPayload, ScorecardArgs, Statistics, StatisticsArgs, TechnicianRating, TechnicianScorecard } from './statistics.types';

/** Refusals of a query: FORBIDDEN or VALIDATION errors (codes the error formatter lets through); anything else is internal. */
function asGraphQLError(error: unknown): unknown {
  if (error instanceof StatisticsForbidden) return new GraphQLError(error.message, { extensions: { code: 'FORBIDDEN' } });
  if (error instanceof StatisticsInvalid) return new GraphQLError(error.message, { extensions: { code: 'VALIDATION', field: error.field } });
  return error;
}


@Resolver()
export class StatisticsResolver {
  @Query(() => Statistics, {
    description:
      'The KPIs of SPEC §8 for a period, over your scope: a supervisor their department, a customer its organisation (service figures only), a technician their own work, customer service and executives everything; others are refused (FORBIDDEN)',
  })
  async statistics(@Args(() => StatisticsArgs) args: StatisticsArgs, @Ctx() ctx: Context): Promise<Statistics> {
    try {
      const filter = await figureFilterOf(ctx, args.filter ?? {});
      const tz = ctx.config.timezone;
      return (await computeFigures(ctx.dataSource.manager, ctx.caller, filter, { bucket: args.bucket ?? PeriodBucket.MONTH, timezone: tz })) as unknown as Statistics;
    } catch (error) {
      throw asGraphQLError(error);
    }
  }

  @Query(() => [TechnicianScorecard], {
    description: 'Technician scorecards for a month (default: the current one) or a quarter: executives and customer service see all technicians, a supervisor their department\'s, a technician their own',
  })
  async technicianScorecards(@Args(() => ScorecardArgs) args: ScorecardArgs, @Ctx() ctx: Context): Promise<TechnicianScorecard[]> {
    try {
      const period = parsePeriod(args.month, args.quarter) ?? parsePeriod(monthOf(ctx.config.clock(), ctx.config.timezone), null)!;
      const rows = await technicianScorecards(ctx.dataSource.manager, ctx.caller, period, {
        timezone: ctx.config.timezone,
        weights: ctx.engine.policy.current().weights,
        departmentId: uuidOf(args.departmentId, 'Department', 'departmentId'),
        technicianId: uuidOf(args.technicianId, 'User', 'technicianId'),
      });
      return rows.map((r) => ({ ...r, technicianId: toGlobalId('User', r.technicianId), departmentId: r.departmentId ? toGlobalId('Department', r.departmentId) : null }));
    } catch (error) {
      throw asGraphQLError(error);
    }
  }

  @Mutation(() => RateTechnicianPayload, { description: 'A supervisor of the technician\'s department rates their attitude and ability (1–5) for a month; one rating per month, final once given' })
  @UseMiddleware(IdempotencyRefusal, InputValidationAsUserErrors)
  async rateTechnician(@Arg('input', () => RateTechnicianInput) input: RateTechnicianInput, @Ctx() ctx: Context): Promise<RateTechnicianPayload> {
    const refuse = (code: UserErrorCode, message: string, field: string | null = null): RateTechnicianPayload => ({ rating: null, userErrors: [{ code, message, field }] });
    const caller = ctx.caller;
    if (!hasRole(caller, Role.SUPERVISOR) || !caller.departmentId) return refuse(UserErrorCode.FORBIDDEN, 'Only a supervisor of the technician\'s department rates a technician.');
    const technicianId = idOf(input.technicianId, 'User');
    const [tech]: Array<{ id: string; department_id: string | null; roles: string[] }> = technicianId
      ? await ctx.dataSource.query(`SELECT id, department_id, roles FROM app_user WHERE id = $1 AND 'TECHNICIAN' = ANY(roles)`, [technicianId])
      : [];
    if (!tech) return refuse(UserErrorCode.NOT_FOUND, 'No technician with this id.', 'technicianId');
    if (tech.department_id !== caller.departmentId) return refuse(UserErrorCode.FORBIDDEN, 'Only a supervisor of the technician\'s department rates a technician.', 'technicianId');
    if (tech.id === caller.userId) return refuse(UserErrorCode.SEGREGATION_OF_DUTIES, 'Nobody rates themselves.', 'technicianId');
    if (input.month > monthOf(ctx.config.clock(), ctx.config.timezone)) return refuse(UserErrorCode.VALIDATION, 'A month is rated once it has begun, never ahead.', 'month');
    const [row] = await ctx.dataSource.query(
      `INSERT INTO technician_rating (technician_id, department_id, month, attitude, ability, comment, rated_by_id, rated_by_name, rated_at, request_id)
       VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (technician_id, month) DO NOTHING
       RETURNING id, technician_id, to_char(month, 'YYYY-MM') AS month, attitude, ability, comment, rated_by_id, rated_by_name, rated_at`,
      [tech.id, tech.department_id, `${input.month}-01`, input.attitude, input.ability, input.comment ?? null, caller.userId, caller.name, ctx.config.clock(), ctx.meta.requestId],
    );
    if (!row) return refuse(UserErrorCode.VALIDATION, `The technician is already rated for ${input.month}; a rating is final.`, 'month');
    ctx.effects.committed = true;
    const rating: TechnicianRating = {
      id: toGlobalId('TechnicianRating', row.id),
      technicianId: toGlobalId('User', row.technician_id),
      month: row.month,
      attitude: row.attitude,
      ability: row.ability,
      comment: row.comment,
      ratedById: toGlobalId('User', row.rated_by_id),
      ratedByName: row.rated_by_name,
      ratedAt: row.rated_at,
    };
    return { rating, userErrors: [] };
  }
}
