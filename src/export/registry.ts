/**
 * What can be exported as CSV (GET /export/<name>.csv): every document list, derived from the schema
 * (./document-lists.ts), and whatever else registers here — statistics, a report — in a few lines:
 *
 *   registerExport('statistics', {
 *     description: 'the KPI figures of a period',
 *     async open({ caller, params, ctx }) {
 *       const period = params.get('period') ?? refuse('period is required', 'period');
 *       const figures = await kpis(ctx, caller, period);           // scoped like the GraphQL query
 *       return { columns: ['figure', 'value'], rows: figures.map((f) => [f.name, f.value]) };
 *     },
 *   });
 *
 * An export returns either rows it already holds (small: figures, a report) or a SQL statement that is
 * streamed through a cursor. Either way it is counted and logged before its first byte is sent, and every
 * cell goes through the same CSV writer (formula cells escaped).
 */
import type { Caller } from '../auth/roles';
import type { Context } from '../graphql/context';

/** A refusal of the caller's request (unknown parameter, bad value): answered 400 with this message. */
export class ExportRefusal extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
    readonly code = 'VALIDATION',
  ) {
    super(message);
  }
}

export const refuse = (message: string, field: string | null = null): never => {
  throw new ExportRefusal(message, field);
};

/** Rows already computed; each row has one value per column, in order. */
export interface RowsSource {
  columns: string[];
  rows: ReadonlyArray<ReadonlyArray<unknown>>;
  /** the document type, for the log, when the rows are documents */
  documentType?: string | null;
}

/** A statement streamed through a cursor, in one REPEATABLE READ snapshot (counted in it first). */
export interface SqlSource {
  columns: string[];
  /** positional parameters ($1 …) */
  sql: string;
  params: unknown[];
  /** one CSV row from one result row */
  row(raw: Record<string, unknown>): unknown[];
  documentType?: string | null;
  /**
   * Reads through access grants (SPEC §3.7) are logged like any other read of them: the statement then
   * selects `id` (the document's) and `via_grant` (the grant that opened it, or null).
   */
  grantReads?: { documentType: string };
}

export type ExportSource = RowsSource | SqlSource;

export interface ExportRequest {
  caller: Caller;
  /** the URL's parameters other than purpose and bom */
  params: URLSearchParams;
  /** a context as a GraphQL request of this caller would have it (loaders, config, clock) */
  ctx: Context;
}

export interface ExportSpec {
  description: string;
  /** the rows the caller may have, or an ExportRefusal */
  open(request: ExportRequest): Promise<ExportSource>;
}

const registered = new Map<string, ExportSpec>();
export const EXPORT_NAME = /^[a-z][a-z0-9-]{0,60}$/;

/** Adds an export at /export/<name>.csv (call it at module load, like a document module's registration). */
export function registerExport(name: string, spec: ExportSpec): void {
  if (!EXPORT_NAME.test(name)) throw new Error(`export name ${name} must be lower-case kebab-case`);
  if (registered.has(name)) throw new Error(`export ${name} is registered twice`);
  registered.set(name, spec);
}

export const registeredExports = (): ReadonlyMap<string, ExportSpec> => registered;

export const isSqlSource = (source: ExportSource): source is SqlSource => 'sql' in source;
