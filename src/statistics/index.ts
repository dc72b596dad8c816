/** Statistics and KPIs (SPEC §8): what other code may call. */
export { computeFigures, figureStatements, PeriodBucket, TARGETS, type FigureFilter, type FigureOptions } from './figures';
export { gradeOf, roundScore, technicianScorecards, weightedScore, workResults } from './scorecard';
export { StatisticsForbidden, StatisticsInvalid, type StatisticsAudience } from './sql';
export { StatisticsResolver } from './statistics.resolver';
