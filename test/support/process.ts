/**
 * The API as a separate process, started the way `npm start` starts it
 * (src/main.ts), on a test database: for what only a real process shows
 * (signals, several processes on one database).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  tokens: () => Record<string, string>;
  /** resolves with the exit code */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ApiProcessOptions {
  /** more environment (JOBS=off, …) */
  env?: Record<string, string>;
  /** modules loaded before src/main.ts (e.g. a test's outbox consumer) */
  preload?: string[];
  /** its own process group, as a terminal gives a foreground command: kill(-pid) then signals it and its children, as Ctrl-C does */
  ownProcessGroup?: boolean;
}

/** `databaseUrl` null: no DATABASE_URL, so the process starts its embedded PostgreSQL in dataDir, as `npm start` does (set EMBEDDED_PG_PORT) */
export async function startApiProcess(databaseUrl: string | null, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-proc-')), options: ApiProcessOptions = {}): Promise<ApiProcess> {
  const port = await freePort();
  const root = path.resolve(__dirname, '../..');
  const preload = (options.preload ?? []).flatMap((m) => ['-r', m]);
  const { DATABASE_URL: _url, DATABASE_APP_PASSWORD: _password, ...inherited } = process.env;
  // the API's own login: the same password globalSetup gave it (an API process would otherwise reset it for the others)
  const database = databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_APP_PASSWORD: process.env.SDD_TEST_APP_PASSWORD ?? '' } : {};
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', ...preload, path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...inherited, ...database, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'info', TOKEN_CACHE_MS: '0', MAX_CONCURRENT_PER_CALLER: '64', MUTATIONS_PER_SECOND: '10000', MUTATION_BURST: '100000', QUERY_COST_PER_SECOND: '1000000000', QUERY_COST_BURST: '1000000000', TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup === true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  while (!out.includes('is serving')) {
    if (child.exitCode !== null) throw new Error(`the API process exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`the API process did not start in time:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    tokens: () => JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-tokens.json'), 'utf8')),
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function post(url: string, token: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as any };
}
