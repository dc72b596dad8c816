/**
 * Assembles the API on a DataSource that is already migrated: schema,
 * Apollo, the engine and the HTTP edge. Used by main.ts and by the tests,
 * so the tests run the real server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { TokenVerifier } from './auth/tokens';
import { WorkflowEngine } from './workflow/engine';
import type { Context } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { createHttpHandler } from './graphql/http';
import { buildApiSchema } from './graphql/schema';

export interface Api {
  server: http.Server;
  url: string;
  engine: WorkflowEngine;
  close(): Promise<void>;
}

export async function startApi(dataSource: DataSource, config: Config, log: Logger = pino({ level: config.logLevel }), port = config.port): Promise<Api> {
  const schema = await buildApiSchema();
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    formatError: createErrorFormatter(log),
    // the default landing page loads from a CDN these machines cannot reach
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const engine = new WorkflowEngine(dataSource, undefined, { executiveThreshold: config.executiveThreshold });
  const tokens = new TokenVerifier(dataSource, config.tokenCacheMs);
  const handler = createHttpHandler({ apollo, dataSource, config, log, engine, tokens });
  const server = http.createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${address.port}/graphql`,
    engine,
    async close() {
      // stop taking connections, let in-flight requests finish
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
