/**
 * The WebSocket edge: GraphQL subscriptions over the graphql-ws protocol (graphql-transport-ws) on the same
 * HTTP server and path as the API (/graphql). Queries and mutations stay on HTTP, where idempotency keys and
 * the mutation allowance live; the HTTP edge in turn refuses subscriptions (OPERATION_NOT_SUPPORTED).
 *
 * Authentication: the bearer token of the connection_init payload (`{ authorization: 'Bearer <token>' }`),
 * or else the upgrade request's Authorization header. Without a valid one the socket is closed with 4401
 * Unauthorized and nothing is subscribed. The token is verified again for every event delivered (cached
 * exactly, src/auth/tokens.ts): a revoked token or a deactivated user closes the socket the same way.
 *
 * Limits: each subscription document passes the same limits as a query (tokens, depth, aliases, directives,
 * graphql-armor's cost, and the price of src/graphql/limits.ts charged to the caller's cost allowance), and
 * a caller may hold `maxPerCaller` subscriptions at once in one process (refused RATE_LIMITED).
 * Errors go through the API's error formatter: no internals, no stack traces.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { SubscriptionsConfig, Config } from '../config';
import type { Caller } from '../auth/roles';
import type { TokenVerifier } from '../auth/tokens';
import type { WorkflowEngine } from '../workflow/engine';
import type { OutboxFeed } from '../jobs/outbox-feed';
import type { Context } from './context';
import { createErrorFormatter } from './errors';
import { createLoaders } from './loaders';
import { priceOf, type CallerLimits } from './limits';


export interface WebSocketDeps {
  server: http.Server;
  schema: GraphQLSchema;
  dataSource: DataSource;
  config: Config;
  log: Logger;
  engine: WorkflowEngine;
  tokens: TokenVerifier;
  limits: CallerLimits;
  feed: OutboxFeed;
  /** graphql-armor's validation rules, as the HTTP edge applies them */
  validationRules: ValidationRule[];
}

/** what a connection knows once authenticated */
interface Session {
  token: string;
  caller: Caller;
  /** the release of each active subscription's slot, by subscription id */
  slots: Map<string, () => void>;
}

const bearer = (value: unknown): string | null => (typeof value === 'string' ? (/^bearer +(\S+) *$/i.exec(value)?.[1] ?? null) : null);

/** parse and validation errors carry Apollo's codes, as they do over HTTP (Apollo overrides a rule's own code too) */
const withCode = (error: GraphQLError, code: string): GraphQLError =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: { ...error.extensions, code } });

export function attachSubscriptions(deps: WebSocketDeps): { close(): Promise<void> } {
  const { server, schema, dataSource, config, log, engine, tokens, limits, feed, validationRules } = deps;
  const formatError = createErrorFormatter(log, config.production);
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));
  const sessions = new WeakMap<WebSocket, Session>();
  const perCaller = new Map<string, number>();
  let closing = false;

  const take = (session: Session, id: string): boolean => {
    const n = perCaller.get(session.caller.userId) ?? 0;
    if (n >= config.subscriptions.maxPerCaller) return false;
    perCaller.set(session.caller.userId, n + 1);
    session.slots.set(id, () => {
      session.slots.delete(id);
      const left = (perCaller.get(session.caller.userId) ?? 1) - 1;
      if (left <= 0) perCaller.delete(session.caller.userId);
      else perCaller.set(session.caller.userId, left);
    });
    return true;
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxBodyBytes });
  const onUpgrade = (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/graphql' || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  type Ctx = WsContext<Record<string, unknown>, { socket: WebSocket; request: http.IncomingMessage }>;
  const unauthorized = (ctx: Ctx) => ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized: a valid bearer token is required');

  const disposable = useServer<Record<string, unknown>, { socket: WebSocket; request: http.IncomingMessage }>(
    {
      isProd: config.production,
      async onConnect(ctx) {
        const given = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const token = given !== undefined ? bearer(given) : bearer(ctx.extra.request.headers.authorization);
        const caller = token ? await tokens.verify(token) : null;
        if (!token || !caller) {
          unauthorized(ctx);
          return false; // the socket is closing already: graphql-ws's own 4403 is not sent
        }
        sessions.set(ctx.extra.socket, { token, caller, slots: new Map() });
        log.info({ callerId: caller.userId }, 'websocket connected');
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const session = sessions.get(ctx.extra.socket);
        if (!session) return [new GraphQLError('Not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } })];
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: config.limits.maxTokens });
        } catch (error) {
          return [withCode(error instanceof GraphQLError ? error : new GraphQLError(String(error)), 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...validationRules]);
        if (invalid.length) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Name the operation to run (operationName).', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
        if (operation.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', { extensions: { code: 'OPERATION_NOT_SUPPORTED' } })];
        }
        const variables = payload.variables ?? {};
        const price = priceOf(schema, document, operation, variables, limits.config);
        if (price > limits.config.maxQueryCost) {
          return [new GraphQLError(`This subscription could return too much per event: it is priced at ${price}, above the limit of ${limits.config.maxQueryCost}.`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', price, maxPrice: limits.config.maxQueryCost } })];
        }
        const cost = limits.charge(session.caller.userId, 'cost', price);
        if (!cost.ok) return [new GraphQLError(`You have spent your query allowance for now; retry in ${cost.retryAfter} s.`, { extensions: { code: 'RATE_LIMITED', retryAfter: cost.retryAfter } })];
        if (!take(session, id)) {
          return [new GraphQLError(`You hold ${config.subscriptions.maxPerCaller} subscriptions already; complete one first.`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        const requestId = randomUUID();
        const contextValue: Context = {
          caller: session.caller,
          meta: { requestId, idempotencyKey: null },
          loaders: createLoaders(dataSource, session.caller, requestId),
          engine,
          dataSource,
          config,
          log: log.child({ requestId, subscription: id }),
          idempotencyRefusal: 'Mutations are not served over WebSocket.',
          effects: { committed: false },
          live: {
            feed,
            maxQueue: config.subscriptions.maxQueue,
            async refreshCaller() {
              const caller = await tokens.verify(session.token);
              if (caller) session.caller = caller;
              else unauthorized(ctx);
              return caller;
            },
          },
        };
        log.info({ requestId, callerId: session.caller.userId, subscription: id, operation: operation.name?.value ?? null }, 'subscription started');
        return { schema, document, operationName: payload.operationName, variableValues: variables, contextValue };
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (result.errors?.length) return { ...result, errors: format(result.errors) };
      },
      onError(_ctx, _id, _payload, errors) {
        return format(errors);
      },
      onComplete(ctx, id) {
        sessions.get(ctx.extra.socket)?.slots.get(id)?.();
      },
      onClose(ctx) {
        const session = sessions.get(ctx.extra.socket);
        if (session) for (const release of [...session.slots.values()]) release();
      },
    },
    wss,
    config.subscriptions.keepAliveMs,
  );

  return {
    async close() {
      closing = true;
      server.off('upgrade', onUpgrade);
      // 1001 Going Away (graphql-ws's dispose): clients reconnect, to another process, and subscribe again; one that does not answer the close is cut after a second
      const cut = setTimeout(() => wss.clients.forEach((socket) => socket.terminate()), 1_000);
      await disposable.dispose();
      clearTimeout(cut);
    },
  };
}
