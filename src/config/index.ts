/**
 * The one typed configuration object. Everything tunable is read from the
 * environment here and nowhere else.
 */
import path from 'node:path';

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

export interface Config {
  /** production hides introspection and field suggestions */
  production: boolean;
  port: number;
  /** interface to listen on; 0.0.0.0 behind a load balancer */
  host: string;
  /** external PostgreSQL; when unset an embedded server is started under dataDir */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  /** business timezone: document-number years and working days are counted in it */
  timezone: string;
  /** amounts at or above this (CNY) need an executive's sign-off (SPEC §2) */
  executiveThreshold: number;
  /** hard cap on `first` for every connection */
  maxPageSize: number;
  defaultPageSize: number;
  /** HTTP request bodies larger than this are refused */
  maxBodyBytes: number;
  /** how long a verified bearer token is trusted without asking the database again */
  tokenCacheMs: number;
  logLevel: string;
  /** how often expired access grants are moved to EXPIRED */
  grantExpirySweepMs: number;
  /** per-request GraphQL limits (graphql-armor) */
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxDirectives: number; maxCost: number };
  seedDemoData: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    production,
    port: int('PORT', 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54329),
    timezone: env.BUSINESS_TIMEZONE || 'Asia/Shanghai',
    executiveThreshold: num('EXECUTIVE_THRESHOLD', 50_000),
    maxPageSize: int('MAX_PAGE_SIZE', 100),
    defaultPageSize: int('DEFAULT_PAGE_SIZE', 20),
    maxBodyBytes: int('MAX_BODY_BYTES', 1_000_000),
    tokenCacheMs: int('TOKEN_CACHE_MS', 30_000),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    seedDemoData: env.SEED_DEMO_DATA !== 'false',
    grantExpirySweepMs: int('GRANT_EXPIRY_SWEEP_MS', 60_000),
    limits: {
      maxDepth: int('GRAPHQL_MAX_DEPTH', 12),
      maxAliases: int('GRAPHQL_MAX_ALIASES', 15),
      maxTokens: int('GRAPHQL_MAX_TOKENS', 2000),
      maxDirectives: int('GRAPHQL_MAX_DIRECTIVES', 20),
      maxCost: int('GRAPHQL_MAX_COST', 20000),
    },
  };
}
