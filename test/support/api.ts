/**
 * The real server on a database of its own, with the demo identities seeded:
 * tests talk to it over HTTP with bearer tokens, as a portal or an
 * automation would.
 */
import type { DataSource } from 'typeorm';
import { startApi, type Api } from '../../src/app';
import { loadConfig, type Config, type JobsConfig } from '../../src/config';
import { seedDemoData, type DemoIds, type DemoTokens } from '../../src/db/seed';
import { toGlobalId } from '../../src/graphql/global-id';
import { openTestDataSources } from './database';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
  headers: Headers;
}

export interface TestApi {
  api: Api;
  url: string;
  /** the app's own connection (login sdd_api, role sdd_app) */
  dataSource: DataSource;
  /** the database owner, for what the application may not do (tampering, privileges) */
  owner: DataSource;
  /** the owner's URL of the test database */
  databaseUrl: string;
  /** the API login's URL of the test database */
  appDatabaseUrl: string;
  tokens: DemoTokens;
  ids: DemoIds;
  /** global ids of the seeded organisation */
  gid: { department(code: string): string; customer(code: string): string; user(key: string): string };
  /** POST a GraphQL document as the named demo identity (or with no token: null) */
  gql<T = any>(who: string | null, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** One query answered by both read paths (compiled SQL and the resolvers), when a test asked for the comparison. */
export interface ReadPathComparison {
  who: string | null;
  query: string;
  variables?: Record<string, unknown>;
  compiled: unknown;
  resolvers: unknown;
}
let comparisons: ReadPathComparison[] | null = null;

/**
 * From now on, every query a test API of this test file answers is asked twice — on the compiled path and through
 * the resolvers (header x-read-path: resolvers) — and both answers are kept here; the test sees the compiled one.
 */
export function compareReadPaths(): ReadPathComparison[] {
  comparisons = [];
  return comparisons;
}

const isQuery = (query: string) => !/^\s*(mutation|subscription)\b/.test(query);

export async function startTestApi(overrides: Partial<Omit<Config, 'fairness' | 'jobs'>> & { fairness?: Partial<Config['fairness']>; jobs?: Partial<JobsConfig> } = {}): Promise<TestApi> {
  const { app: dataSource, owner, url: databaseUrl, appUrl: appDatabaseUrl } = await openTestDataSources();
  const { tokens, ids } = await seedDemoData(dataSource);
  const base = loadConfig({ NODE_ENV: 'test' });
  // no job runner unless a test asks for one: its polling would show up in the statement counts of other tests
  // tests drive the API harder than one person would: fairness limits are generous unless a test sets its own
  const generous = { ...base.fairness, maxConcurrentPerCaller: 64, mutationsPerSecond: 10_000, mutationBurst: 100_000, costPerSecond: 1e9, costBurst: 1e9 };
  const config: Config = { ...base, tokenCacheMs: 0, ...overrides, fairness: { ...generous, ...overrides.fairness }, jobs: { ...base.jobs, enabled: false, ...overrides.jobs } };
  const api = await startApi(dataSource, config, undefined, 0, databaseUrl);
  const gql = async (who: string | null, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const token = who === null ? null : tokens[who];
    if (who !== null && !token) throw new Error(`no demo token named ${who}`);
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: any };
    if (comparisons && isQuery(query)) {
      const other = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers, 'x-read-path': 'resolvers' },
        body: JSON.stringify({ query, variables }),
      });
      comparisons.push({ who, query, variables, compiled: { status: res.status, ...body }, resolvers: { status: other.status, ...((await other.json()) as object) } });
    }
    return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
  };
  return {
    api,
    url: api.url,
    dataSource,
    owner,
    databaseUrl,
    appDatabaseUrl,
    tokens,
    ids,
    gid: {
      department: (code) => toGlobalId('Department', ids.departments[code]),
      customer: (code) => toGlobalId('Customer', ids.customers[code]),
      user: (key) => toGlobalId('User', ids.users[key]),
    },
    gql,
    async close() {
      await api.close();
      await Promise.all([dataSource.destroy(), owner.destroy()]);
    },
  };
}
