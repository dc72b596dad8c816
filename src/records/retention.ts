/**
 * Retention (SPEC §5): a closed document is kept for its type's years (src/config: RETENTION_YEARS, and
 * RETENTION_YEARS_<TYPE> per type) from the moment it closed — the end of the service. One rule, used by
 * the `retentionUntil` field, the archive lists, the purge mutations and the scheduled purge.
 */
import type { RecordsConfig } from '../config';

/** ServiceRequest → SERVICE_REQUEST (the environment's spelling of a type) */
export const upperSnake = (type: string): string => type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

export const retentionYearsOf = (config: RecordsConfig, type: string): number => config.retentionYears[upperSnake(type)] ?? config.defaultRetentionYears;

/** closedAt + the type's years (calendar years, as PostgreSQL's interval adds them), or null while open */
export function retentionUntil(config: RecordsConfig, type: string, closedAt: Date | null): Date | null {
  if (!closedAt) return null;
  const until = new Date(closedAt);
  until.setUTCFullYear(until.getUTCFullYear() + retentionYearsOf(config, type));
  return until;
}

/** SQL: the retention end of the document_record row aliased `r`, for the given types */
export function retentionUntilSql(config: RecordsConfig, types: string[], alias = 'r'): string {
  const cases = types.map((t) => `WHEN '${t.replace(/'/g, "''")}' THEN ${retentionYearsOf(config, t)}`).join(' ');
  return `(${alias}.closed_at + make_interval(years => CASE ${alias}.document_type ${cases} ELSE ${config.defaultRetentionYears} END))`;
}
