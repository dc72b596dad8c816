/**
 * The HTTP edge, on node:http (no framework): /healthz, /readyz and
 * /graphql (POST, and GET for queries), /export/<list>.csv (src/export), the console at / (src/console). Authentication happens here, before
 * GraphQL: a request without a valid bearer token is answered 401
 * UNAUTHENTICATED without parsing its query.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { TokenVerifier } from '../auth/tokens';
import { WorkflowEngine } from '../workflow/engine';
import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { IdempotencyStore, MAX_KEY_LENGTH, requestHash, type Claim } from './idempotency';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from './errors';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { spliceCompiledText } from './compiled-reads';
import type { CallerLimits } from './limits';
import type { Caller } from '../auth/roles';
import type { Exporter } from '../export/export.http';
import type { ConsoleSite } from '../console/static-site';

const REQUEST_ID = /^[\w.:-]{1,100}$/;
const IDEMPOTENCY_KEY = new RegExp(`^[\\x21-\\x7e]{1,${MAX_KEY_LENGTH}}$`);

/** Does the request run a mutation? (unparseable requests are left to Apollo to refuse) */
function isMutation(body: unknown): boolean {
  const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  try {
    const operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const chosen = operations.length === 1 ? operations[0] : operations.find((o) => o.name?.value === operationName);
    return chosen?.operation === 'mutation';
  } catch {
    return false;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const graphqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/** Subscriptions are not served over plain HTTP: a request error (bad request), never an internal one. */
export const httpOperationsOnly: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError('Subscriptions are not served over HTTP GET or POST; send a query or a mutation.', { extensions: { code: 'OPERATION_NOT_SUPPORTED', http: { status: 400 } } });
        }
      },
    };
  },
};

/**
 * Error codes of a well-formed request GraphQL could not execute because of its document or variables.
 * (A malformed request — a query that is not a string, say — stays 400 BAD_REQUEST whatever it accepts.)
 */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'VALIDATION', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'OPERATION_NOT_SUPPORTED', 'RESPONSE_TOO_LARGE']);

/**
 * The status GraphQL over HTTP asks for a request error (a document that does not parse or validate,
 * variables that do not coerce, an operation the method does not serve): 400 when the client accepts
 * application/graphql-response+json, 200 for the legacy application/json (the errors are in the body).
 * Other answers keep their status. Only answers without `data` are looked at, so executed requests pay nothing.
 */
function requestErrorStatus(status: number, contentType: string | undefined, body: string): number {
  if (status === 200 && !body.startsWith('{"errors"')) return status;
  if (status !== 200 && status !== 400 && status !== 500) return status;
  let parsed: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  try {
    parsed = JSON.parse(body);
  } catch {
    return status;
  }
  if ('data' in parsed || !parsed.errors?.length) return status;
  if (!parsed.errors.every((e) => REQUEST_ERROR_CODES.has(e.extensions?.code ?? ''))) return status;
  return contentType?.startsWith('application/graphql-response+json') ? 400 : 200;
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface HttpDeps {
  apollo: ApolloServer<Context>;
  dataSource: DataSource;
  config: Config;
  log: Logger;
  engine: WorkflowEngine;
  tokens: TokenVerifier;
  idempotency: IdempotencyStore;
  limits: CallerLimits;
  /** GET /export/<list>.csv (src/export) */
  exporter?: Exporter;
  /** GET / and /assets/*: the service-desk console (src/console, built from console/) */
  consoleSite?: ConsoleSite;
}

export function createHttpHandler(deps: HttpDeps) {
  const { apollo, dataSource, config, log, engine, tokens, idempotency, limits, exporter, consoleSite } = deps;
  /** what a resolver may use, for one request of one caller */
  const contextFor = (caller: Caller, requestId: string, idempotencyKey: string | null, idempotencyRefusal: string | null, effects: { committed: boolean }): Context => ({
    caller,
    meta: { requestId, idempotencyKey },
    loaders: createLoaders(dataSource, caller, requestId),
    engine,
    dataSource,
    config,
    log: log.child({ requestId }),
    idempotencyRefusal,
    effects,
    compiledReads: config.compiledReads.enabled,
    compiledText: { enabled: config.compiledReads.enabled },
    forgetCaller: (userId) => tokens.forget(userId),
  });

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let callerId: string | null = null;
    res.on('finish', () => {
      if (req.url?.startsWith('/healthz') || req.url?.startsWith('/readyz')) return;
      log.info({ requestId, callerId, method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    const requestId = typeof req.headers['x-request-id'] === 'string' && REQUEST_ID.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID();
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        try {
          await dataSource.query('SELECT 1');
          return sendJson(res, 200, { status: 'ready' });
        } catch {
          return sendJson(res, 503, { status: 'database unreachable' });
        }
      }
      const isExport = exporter !== undefined && url.pathname.startsWith('/export/');
      // the console's own files (no token: it signs in with one, then calls /graphql)
      if (url.pathname !== '/graphql' && !isExport && consoleSite?.serve(req, res, url.pathname)) return;
      if (url.pathname !== '/graphql' && !isExport) return sendJson(res, 404, { error: 'not found; the API is at /graphql' });
      if (!isExport && req.method !== 'GET' && req.method !== 'POST') return sendJson(res, 405, graphqlError('Use POST, or GET for queries.', 'BAD_REQUEST'), { allow: 'GET, POST' });

      // the scheme is case-insensitive (RFC 7235 §2.1)
      const token = /^bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const caller = token ? await tokens.verify(token) : null;
      callerId = caller?.userId ?? null;
      if (!caller) return sendJson(res, 401, graphqlError('A valid bearer token is required (Authorization: Bearer <token>).', 'UNAUTHENTICATED'), { 'www-authenticate': 'Bearer' });
      // one caller's requests at once, in this process: the rest wait for nothing and are told to come back
      const leave = limits.enter(caller.userId);
      if (!leave) return sendJson(res, 429, graphqlError(`You have ${limits.config.maxConcurrentPerCaller} requests in flight; retry when one has finished.`, 'RATE_LIMITED'), { 'retry-after': '1' });
      res.on('close', leave);
      if (isExport) return await exporter.handle(req, res, url, caller, contextFor(caller, requestId, null, null, { committed: false }), (status, body, headers) => sendJson(res, status, body, headers));

      let body: unknown = undefined;
      if (req.method === 'POST') {
        const text = await readBody(req, config.maxBodyBytes);
        const contentType = req.headers['content-type'] ?? '';
        if (!contentType.includes('application/json')) return sendJson(res, 415, graphqlError('Send the request as application/json.', 'BAD_REQUEST'));
        try {
          body = JSON.parse(text);
        } catch {
          return sendJson(res, 400, graphqlError('The request body is not valid JSON.', 'BAD_REQUEST'));
        }
      }

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method as 'GET' | 'POST', headers, search: url.search, body };
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        return sendJson(res, 400, graphqlError(`Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters.`, 'BAD_REQUEST'));
      }
      let claim: Claim | null = null;
      if (idempotencyKey && req.method === 'POST' && isMutation(body)) {
        claim = await idempotency.claim(caller.userId, idempotencyKey, requestHash(body));
        if (claim.kind === 'replay') {
          res.writeHead(claim.status, { 'content-type': 'application/json; charset=utf-8', 'idempotent-replayed': 'true' });
          return void res.end(claim.body);
        }
      }
      const effects = { committed: false };
      let context: Context | undefined;
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => {
          context = contextFor(caller, requestId, idempotencyKey, claim?.kind === 'refuse' ? claim.message : null, effects);
          // tests compare the read paths on the same request (src/graphql/compiled-reads.ts): through the resolvers, or
          // compiled into objects that graphql-js executes (not answered as text)
          if (config.compiledReads.perRequestSwitch && req.headers['x-read-path'] === 'resolvers') context.compiledReads = false;
          if (config.compiledReads.perRequestSwitch && req.headers['x-read-path'] === 'objects') context.compiledText = { enabled: false };
          return context;
        },
      }).catch(async (error) => {
        if (claim?.kind === 'run' && !effects.committed) await claim.release().catch(() => undefined);
        throw error;
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        // a wholly compiled query's texts, in place of their placeholders
        const answer = spliceCompiledText(response.body.string, context?.compiledText?.answers);
        res.statusCode = requestErrorStatus(res.statusCode, response.headers.get('content-type'), answer);
        // (a mutation that committed is answered whatever its size: its answer is the Idempotency-Key's for good)
        if (!effects.committed && answer.length > config.maxResponseBytes / 3 && Buffer.byteLength(answer) > config.maxResponseBytes) {
          // a backstop behind the price limit: nothing this large leaves the server
          res.removeHeader('content-length');
          if (claim?.kind === 'run') await claim.release();
          const tooLarge = graphqlError(`The answer is larger than ${config.maxResponseBytes} bytes; ask for smaller pages or fewer fields.`, 'RESPONSE_TOO_LARGE');
          const contentType = response.headers.get('content-type');
          return sendJson(res, requestErrorStatus(400, contentType, JSON.stringify(tooLarge)), tooLarge, contentType ? { 'content-type': contentType } : {});
        }
        if (claim?.kind === 'run') {
          // once a mutation committed, its answer is the key's for good; if nothing did (refusals, failures), a retry may run
          if (effects.committed) await claim.finish(res.statusCode, answer);
          else await claim.release();
        }
        res.end(answer);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(res, 413, graphqlError(`The request body is larger than ${config.maxBodyBytes} bytes.`, 'BAD_REQUEST'));
      if (isDatabaseUnavailable(error)) {
        log.warn({ err: error, requestId }, 'database unavailable');
        if (!res.headersSent) return sendJson(res, 503, graphqlError(DATABASE_UNAVAILABLE, 'SERVICE_UNAVAILABLE'), { 'retry-after': '1' });
        return void res.end();
      }
      log.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, graphqlError('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    }
  };
}
