/**
 * Assembles the API on a DataSource that is already migrated: schema,
 * Apollo, the engine and the HTTP edge. Used by main.ts and by the tests,
 * so the tests run the real server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { DataSource } from 'typeorm';
import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { TokenVerifier } from './auth/tokens';
import { WorkflowEngine } from './workflow/engine';
import type { Context } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { createHttpHandler, httpOperationsOnly } from './graphql/http';
import { CallerLimits, fairnessPlugin } from './graphql/limits';
import { IdempotencyStore } from './graphql/idempotency';
import { startJobRunner, type JobRunner } from './jobs/runner';
import { buildApiSchema } from './graphql/schema';
import { attachSubscriptions } from './graphql/websocket';
import { OutboxFeed } from './jobs/outbox-feed';
import { compiledTextPlugin } from './graphql/compiled-reads';
import { CalendarStore } from './time/calendar-store';
import { checkDeadlineRules } from './time/deadlines';
import { documentDefinitions, documentModules } from './documents';
import { Exporter } from './export/export.http';
import { documentListExports } from './export/document-lists';
import { registeredExports } from './export/registry';
import { SettingsService } from './config/settings';
import { upperSnake } from './records/retention';
import { ConsoleSite } from './console/static-site';

export interface Api {
  server: http.Server;
  url: string;
  engine: WorkflowEngine;
  /** subscriptions this process is serving now (WebSocket) */
  liveSubscriptions(): number;
  close(): Promise<void>;
}

/**
 * `dataSource` is the API's own (least-privileged) login; `ownerUrl` is needed only when the job runner runs
 * (config.jobs.enabled): graphile-worker's tables answer only their owner (src/jobs/runner.ts).
 */
export async function startApi(dataSource: DataSource, config: Config, log: Logger = pino({ level: config.logLevel }), port = config.port, ownerUrl?: string): Promise<Api> {
  if (config.jobs.enabled && !ownerUrl) throw new Error('the job runner needs the owner database URL (startApi ownerUrl)');
  const schema = await buildApiSchema();
  // abuse limits: rejected while parsing or validating, before any resolver (or SQL) runs
  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth },
    maxAliases: { n: config.limits.maxAliases },
    maxTokens: { n: config.limits.maxTokens },
    maxDirectives: { n: config.limits.maxDirectives },
    costLimit: { maxCost: config.limits.maxCost },
    blockFieldSuggestion: { enabled: config.production },
  }).protect();
  const limits = new CallerLimits(config.fairness);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // a hash-only body would carry no query to judge (idempotency needs to see the operation)
    persistedQueries: false,
    formatError: createErrorFormatter(log, config.production),
    validationRules: armor.validationRules,
    // the default landing page loads from a CDN these machines cannot reach
    // no cache hints are used; the default cache-control plugin would otherwise wrap every field resolver (willResolveField)
    // compiledTextPlugin last: a wholly compiled query is answered as text after every check above has passed
    plugins: [...armor.plugins, ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), httpOperationsOnly, fairnessPlugin(limits), compiledTextPlugin],
    // Apollo's CSRF check would refuse plain GETs (GraphQL over HTTP allows them). It is not needed here: every
    // request must carry an Authorization: Bearer header, which a browser never adds to a cross-site request
    // without a CORS preflight this server does not grant, and no cookie authenticates anyone.
    csrfPrevention: false,
  });
  await apollo.start();
  // every deadline rule names a real event; the calendar loaded (seeded the first time) before any deadline is computed
  checkDeadlineRules(documentDefinitions);
  const calendar = new CalendarStore(dataSource, config.timezone, config.deadlines.businessHours, log);
  await calendar.start();
  // the policy settings (threshold, deadlines, retention, weights): versioned data, reloaded when any process changes one
  const settings = new SettingsService(dataSource, config, documentDefinitions.map((d) => upperSnake(d.type)), log);
  await settings.start();
  const engine = new WorkflowEngine(dataSource, config.clock, settings);
  const tokens = new TokenVerifier(dataSource, config.tokenCacheMs);
  await tokens.listen();
  // every committed outbox row, heard by this process whichever process committed it: the subscriptions' source
  const feed = new OutboxFeed(dataSource, log.child({ component: 'outbox-feed' }));
  await feed.listen();
  // CSV exports: every document list, and what other modules registered (statistics, reports)
  const exporter = new Exporter({ dataSource, config, log, exports: new Map([...documentListExports(schema, apollo, dataSource, documentModules), ...registeredExports()]) });
  const consoleSite = new ConsoleSite(config.consoleDir);
  if (!consoleSite.available) log.warn({ dir: config.consoleDir }, 'the console is not built (npm run build); / answers 404');
  const handler = createHttpHandler({ apollo, dataSource, config, log, engine, tokens, limits, exporter, consoleSite, idempotency: new IdempotencyStore(dataSource) });
  let draining = false;
  // the outbox relay, and grant expiry and later timers on graphile-worker; JOBS=off serves the API only (the outbox is still written)
  // what listens on the process's one LISTEN connection: closed on a failed start too, so that connection goes back
  // to the pool (a DataSource being destroyed waits for every connection it lent)
  const closeListeners = () => Promise.all([tokens.close(), feed.close(), calendar.close(), settings.close()]);
  const jobs: JobRunner | null = config.jobs.enabled
    ? await startJobRunner({ dataSource, ownerUrl: ownerUrl!, engine, log, config: config.jobs, clock: config.clock, records: config.records, onOutboxCommit: (wake) => feed.onCommit(wake) }).catch(async (error) => {
        await closeListeners();
        throw error;
      })
    : null;
  const server = http.createServer((req, res) => {
    // while draining, every answer closes its connection so server.close() can finish
    if (draining) res.setHeader('connection', 'close');
    void handler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  // subscriptions: graphql-ws on the same server and path (/graphql), upgraded from HTTP
  const websocket = attachSubscriptions({ server, schema, dataSource, config, log, engine, tokens, limits, feed, validationRules: armor.validationRules });
  await new Promise<void>((resolve, reject) => {
    // a server that cannot listen stops its job runner too, so nothing keeps the process alive
    const failed = (error: Error) => void Promise.all([jobs?.stop(), websocket.close(), closeListeners()]).finally(() => reject(error));
    server.once('error', failed);
    server.listen(port, config.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}/graphql`,
    engine,
    liveSubscriptions: () => feed.size,
    async close() {
      // stop taking connections, let in-flight requests finish, close keep-alive sockets as they fall idle
      draining = true;
      // subscribers are told to go (1001) and reconnect elsewhere; server.close() then waits only for HTTP requests
      await websocket.close();
      // running jobs finish alongside the in-flight requests; none starts after this
      const jobsStopped = jobs?.stop();
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearInterval(sweep);
      await Promise.all([apollo.stop(), jobsStopped, tokens.close(), feed.close(), calendar.close(), settings.close()]);
    },
  };
}
