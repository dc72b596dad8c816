/**
 * GET /export/<name>.csv?purpose=…&<filters>: a list (or a registered export) as CSV, streamed.
 *
 * 1. the purpose is required (SPEC §7: every export is logged with who, what and why); the parameters are
 *    the list's filters, checked by the list's own GraphQL arguments;
 * 2. a SQL export opens a REPEATABLE READ, READ ONLY transaction on a connection of its own and counts its
 *    rows in it: the count logged is exactly what the stream then reads from the same snapshot;
 * 3. the export is logged (export_log_entry, and access_log_entry for rows only an access grant opened),
 *    committed before the first byte is sent: nothing leaves the server unlogged;
 * 4. the rows are read through a cursor (pg-query-stream) a batch at a time and written through csv-stringify
 *    to the response with backpressure (stream.pipeline): a slow client slows the cursor, and memory does not
 *    grow with the row count. A client that goes away ends the cursor and the connection's transaction.
 * Refusals are answered before any of it, as JSON errors like the rest of the edge. Refused attempts are
 * not in the export log (nothing was given out); the request log has them, with their status.
 */
import type http from 'node:http';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import QueryStream from 'pg-query-stream';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Caller } from '../auth/roles';
import type { Config } from '../config';
import type { Context } from '../graphql/context';
import { EXPORT_NAME, ExportRefusal, isSqlSource, type ExportSource, type ExportSpec } from './registry';

export const EXPORT_PATH = /^\/export\/([^/]+)\.csv$/;
const MAX_PURPOSE = 500;
// C0 controls other than tab and line breaks, and lone surrogates (PostgreSQL refuses them as text)
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface ExportDeps {
  dataSource: DataSource;
  config: Config;
  log: Logger;
  exports: ReadonlyMap<string, ExportSpec>;
}

type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;
const error = (message: string, code: string, field: string | null = null) => ({ errors: [{ message, extensions: { code, field } }] });

/** The purpose, or why it is refused. */
function purposeOf(params: URLSearchParams): string | ExportRefusal {
  const values = params.getAll('purpose');
  if (values.length === 0 || values.every((v) => v.trim() === ''))
    return new ExportRefusal('purpose is required: say why these documents are exported (it is logged with the export, SPEC §7).', 'purpose');
  if (values.length > 1) return new ExportRefusal('purpose takes one value.', 'purpose');
  const purpose = values[0].trim();
  if ([...purpose].length > MAX_PURPOSE) return new ExportRefusal(`purpose is longer than ${MAX_PURPOSE} characters.`, 'purpose');
  if (UNPRINTABLE.test(purpose)) return new ExportRefusal('purpose contains control characters.', 'purpose');
  return purpose;
}

/** The pool's own connection: held for the whole stream, in one transaction. */
const connect = (dataSource: DataSource): Promise<PoolClient> => (dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master.connect();

export class Exporter {
  private inFlight = 0;

  constructor(private readonly deps: ExportDeps) {}

  names(): string[] {
    return [...this.deps.exports.keys()].sort();
  }

  /** Answers GET /export/<name>.csv for an authenticated caller. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, caller: Caller, ctx: Context, send: Send): Promise<void> {
    const { config, log } = this.deps;
    const name = EXPORT_PATH.exec(url.pathname)?.[1] ?? '';
    const spec = EXPORT_NAME.test(name) ? this.deps.exports.get(name) : undefined;
    if (!spec) return send(404, error(`There is no export ${url.pathname}; the exports are ${this.names().map((n) => `/export/${n}.csv`).join(', ')}.`, 'NOT_FOUND'));
    if (req.method !== 'GET') return send(405, error('Exports are read with GET.', 'BAD_REQUEST'), { allow: 'GET' });
    const params = new URLSearchParams(url.search);
    const purpose = purposeOf(params);
    if (purpose instanceof ExportRefusal) return send(400, error(purpose.message, purpose.code, purpose.field));
    const bomParam = params.getAll('bom');
    if (bomParam.length > 1 || (bomParam.length === 1 && !/^(true|false)$/.test(bomParam[0]))) return send(400, error('bom is true (the default) or false.', 'VALIDATION', 'bom'));
    const bom = bomParam[0] !== 'false';
    params.delete('purpose');
    params.delete('bom');
    const parameters = Object.fromEntries([...new Set(params.keys())].map((k) => [k, params.getAll(k).length === 1 ? params.get(k) : params.getAll(k)]));
    if (this.inFlight >= config.exports.maxConcurrent) {
      return send(429, error(`${config.exports.maxConcurrent} exports are running in this process; retry when one has finished.`, 'RATE_LIMITED'), { 'retry-after': '5' });
    }
    this.inFlight++;
    try {
      let source: ExportSource;
      try {
        source = await spec.open({ caller, params, ctx });
      } catch (e) {
        if (e instanceof ExportRefusal) return send(e.code === 'FORBIDDEN' ? 403 : e.code === 'NOT_FOUND' ? 404 : 400, error(e.message, e.code, e.field));
        throw e;
      }
      const entry = { caller, name, purpose, parameters, requestId: ctx.meta.requestId, documentType: source.documentType ?? null };
      if (!isSqlSource(source)) {
        const exportId = await this.record(entry, source.rows.length, null);
        return await this.write(res, name, exportId, source.rows.length, source.columns, bom, Readable.from(source.rows), (r) => r as unknown[]);
      }
      const client = await connect(this.deps.dataSource);
      let healthy = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        // a long export may outlast the API's statement timeout: its own bound instead
        await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.trunc(config.exports.statementTimeoutMs))}`);
        const counted = await client.query<{ n: number; ids: string[] | null; grants: string[] | null }>(
          source.grantReads
            ? `SELECT count(*)::int AS n, array_agg(id) FILTER (WHERE via_grant IS NOT NULL) AS ids, array_agg(via_grant) FILTER (WHERE via_grant IS NOT NULL) AS grants FROM (${source.sql}) x`
            : `SELECT count(*)::int AS n FROM (${source.sql}) x`,
          source.params,
        );
        const { n, ids, grants } = counted.rows[0];
        const exportId = await this.record(entry, n, source.grantReads && ids?.length ? { documentType: source.grantReads.documentType, ids, grants: grants! } : null);
        const rows = client.query(new QueryStream(source.sql, source.params, { batchSize: config.exports.batchRows, highWaterMark: config.exports.batchRows }));
        await this.write(res, name, exportId, n, source.columns, bom, rows, source.row);
        await client.query('COMMIT');
        healthy = true;
      } finally {
        // a connection left mid-cursor (the client went away, an error) is closed rather than reused
        client.release(healthy ? undefined : true);
      }
    } catch (e) {
      if (!res.headersSent) throw e;
      // the answer had begun: the client sees a truncated chunked response (no final chunk), never a partial file passed off as whole
      log.warn({ err: e, requestId: ctx.meta.requestId, export: name }, 'export ended early');
      res.destroy();
    } finally {
      this.inFlight--;
    }
  }

  /** The export log entry (and the grant reads), committed before anything is sent; its id. */
  private async record(
    entry: { caller: Caller; name: string; purpose: string; parameters: Record<string, unknown>; requestId: string | null; documentType: string | null },
    rowCount: number,
    grantReads: { documentType: string; ids: string[]; grants: string[] } | null,
  ): Promise<string> {
    return this.deps.dataSource.transaction(async (manager) => {
      const [{ id }] = await manager.query(
        `INSERT INTO export_log_entry (at, user_id, user_name, roles, export_name, document_type, parameters, purpose, row_count, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [this.deps.config.clock(), entry.caller.userId, entry.caller.name, entry.caller.roles, entry.name, entry.documentType, entry.parameters, entry.purpose, rowCount, entry.requestId],
      );
      if (grantReads) {
        await manager.query(
          `INSERT INTO access_log_entry (access_request_id, reader_id, document_type, document_id, at, request_id)
           SELECT unnest($1::uuid[]), $2, $3, unnest($4::uuid[]), now(), $5`,
          [grantReads.grants, entry.caller.userId, grantReads.documentType, grantReads.ids, entry.requestId],
        );
      }
      return id as string;
    });
  }

  private async write(res: http.ServerResponse, name: string, exportId: string, rowCount: number, columns: string[], bom: boolean, rows: Readable, toRow: (raw: any) => unknown[]): Promise<void> {
    const stamp = this.deps.config.clock().toISOString().slice(0, 10);
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}-${stamp}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-export-id': exportId,
      'x-export-rows': String(rowCount),
    });
    const csv = stringify({
      header: true,
      columns,
      bom,
      // OWASP CSV injection: a cell starting with = + - @ (or tab, CR, their full-width forms) is prefixed with '
      escape_formulas: true,
      cast: { date: (d) => d.toISOString(), boolean: (b) => (b ? 'true' : 'false') },
    });
    const toCsvRow = new Transform({ objectMode: true, transform: (raw, _enc, done) => done(null, toRow(raw)) });
    await pipeline(rows, toCsvRow, csv, res);
  }
}
