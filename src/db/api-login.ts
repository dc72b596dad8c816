/**
 * The API's own database login (issue #9, item 4).
 *
 * Migrations, graphile-worker's schema and the job runner's queue connections
 * use the owner (DATABASE_URL, or the embedded superuser). The API's DataSource
 * logs in as a role of its own, `sdd_api` by default: LOGIN, not a superuser,
 * no CREATEROLE/CREATEDB/REPLICATION/BYPASSRLS, and a member of nothing but
 * `sdd_app` (INHERIT and SET, no ADMIN). Its sessions still start as `sdd_app`
 * (`-c role=sdd_app`), but unlike the owner it has nothing else to become:
 * `SET ROLE postgres` and `SET SESSION AUTHORIZATION` are refused, and after
 * `RESET ROLE` it is `sdd_api`, whose only privileges are sdd_app's — so
 * UPDATE, DELETE and TRUNCATE on the append-only tables stay refused whatever
 * the session does.
 *
 * The owner creates or updates the role at every start, after the migrations
 * (only when the login does not already work as described: several processes
 * start at once). `assertLeastPrivilege` then checks, on the API's own
 * connection, that nothing it can reach may alter an append-only table.
 */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { APP_ROLE } from './data-source';
import { scramVerifier } from './passwords';

export const API_LOGIN = 'sdd_api';

/** the tables the API may only read and append to (AuditAppendOnly, AccessRequests migrations) */
export const APPEND_ONLY_TABLES = ['audit_event', 'access_log_entry'] as const;

export interface DatabaseLogin {
  user: string;
  password: string;
}

/** The same server and database as `url`, logged in as `login`. */
export function urlFor(url: string, login: DatabaseLogin): string {
  const u = new URL(url);
  u.username = encodeURIComponent(login.user);
  u.password = encodeURIComponent(login.password);
  return u.toString();
}

export function loginOf(url: string): DatabaseLogin {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** whether the API's URL opens a session as the API opens it (SET ROLE sdd_app at connect) */
async function loginWorks(appUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: appUrl, options: `-c role=${APP_ROLE}`, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** the role has exactly the attributes and the one membership it should */
const ROLE_IS_RIGHT = `
  SELECT r.rolcanlogin AND r.rolinherit AND NOT (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls)
     AND EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid AND m.roleid = $2::regrole AND NOT m.admin_option)
     AND NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid AND m.roleid <> $2::regrole) AS ok
  FROM pg_roles r WHERE r.rolname = $1`;

export type EnsureResult = 'unchanged' | 'created' | 'updated' | 'not-managed';

/**
 * Creates the API login, or brings an existing one back to the attributes, the
 * one membership and the password it should have. Run by the owner, after the
 * migrations (sdd_app must exist). An owner without the right to manage roles
 * leaves an existing role alone ('not-managed'): assertLeastPrivilege decides.
 */
export async function ensureApiLogin(ownerUrl: string, appUrl: string): Promise<EnsureResult> {
  const login = loginOf(appUrl);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(login.user)) throw new Error(`the API's database user must be a plain lower-case identifier, got "${login.user}"`);
  const owner = new Client({ connectionString: ownerUrl, connectionTimeoutMillis: 5_000 });
  await owner.connect();
  try {
    const right = async () => (await owner.query(ROLE_IS_RIGHT, [login.user, APP_ROLE])).rows[0]?.ok === true;
    if ((await right()) && (await loginWorks(appUrl))) return 'unchanged';
    const found = (await owner.query(`SELECT rolsuper, rolname = current_user AS is_owner FROM pg_roles WHERE rolname = $1`, [login.user])).rows[0] as { rolsuper: boolean; is_owner: boolean } | undefined;
    // never demote the owner or a superuser because the API's URL was set to theirs by mistake
    if (found && (found.rolsuper || found.is_owner)) throw new Error(`the API's database login "${login.user}" is ${found.is_owner ? 'the owner' : 'a superuser'}: give the API a login of its own (DATABASE_APP_URL, DATABASE_APP_USER)`);
    const existed = found !== undefined;
    const modern = Number((await owner.query(`SHOW server_version_num`)).rows[0].server_version_num) >= 160000;
    const exec = async (template: string, ...args: string[]) => {
      const { sql } = (await owner.query(`SELECT format($1, ${args.map((_, i) => `$${i + 2}::text`).join(', ')}) AS sql`, [template, ...args])).rows[0];
      await owner.query(sql);
    };
    try {
      await owner.query('BEGIN');
      // processes on the same database start one at a time here (role changes are catalog updates)
      await owner.query(`SELECT pg_advisory_xact_lock(hashtext('sdd api login'))`);
      const exists = (await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [login.user])).rowCount === 1;
      const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
      await exec(`${exists ? 'ALTER' : 'CREATE'} ROLE %I WITH ${attributes} PASSWORD %L`, login.user, scramVerifier(login.password) ?? login.password);
      // a member of sdd_app and of nothing else: no other role to SET ROLE to, no ADMIN to hand sdd_app on
      const others = (
        await owner.query(
          `SELECT m.roleid::regrole::text AS role, m.grantor::regrole::text AS grantor FROM pg_auth_members m WHERE m.member = $1::regrole AND (m.roleid <> $2::regrole OR m.admin_option)`,
          [login.user, APP_ROLE],
        )
      ).rows as Array<{ role: string; grantor: string }>;
      for (const o of others) {
        if (o.role === APP_ROLE) await exec(`REVOKE ADMIN OPTION FOR %I FROM %I GRANTED BY %I`, APP_ROLE, login.user, o.grantor);
        else await exec(`REVOKE %I FROM %I GRANTED BY %I`, o.role, login.user, o.grantor);
      }
      await exec(`GRANT %I TO %I${modern ? ' WITH INHERIT TRUE, SET TRUE' : ''}`, APP_ROLE, login.user);
      await owner.query('COMMIT');
      return existed ? 'updated' : 'created';
    } catch (error) {
      await owner.query('ROLLBACK').catch(() => undefined);
      // an owner that may not manage roles (no CREATEROLE / ADMIN on the role): a role managed by the DBA is used as it is
      if ((error as { code?: string }).code === '42501' && existed) return 'not-managed';
      throw error;
    }
  } finally {
    await owner.end();
  }
}

/**
 * The URL the API's DataSource uses, from the configuration: the embedded server's
 * generated login; DATABASE_APP_URL; DATABASE_APP_USER/PASSWORD on DATABASE_URL's
 * server. `managed: false` is the fallback — no login configured outside production:
 * the owner's URL, with the session role sdd_app only (the caller warns).
 */
export function apiDatabaseUrl(
  ownerUrl: string,
  app: { url: string | undefined; user: string; password: string | undefined },
  options: { production: boolean; embeddedPassword?: string },
): { url: string; managed: boolean } {
  if (options.embeddedPassword) return { url: urlFor(ownerUrl, { user: API_LOGIN, password: options.embeddedPassword }), managed: true };
  if (app.url) return { url: app.url, managed: true };
  if (app.password) return { url: urlFor(ownerUrl, { user: app.user, password: app.password }), managed: true };
  if (options.production) {
    throw new Error(
      'DATABASE_URL is set but the API has no login of its own: set DATABASE_APP_PASSWORD (the login DATABASE_APP_USER, default sdd_api, is created with it) ' +
        'or DATABASE_APP_URL. Production refuses to serve as the database owner, who could alter the audit trail.',
    );
  }
  return { url: ownerUrl, managed: false };
}

export interface PrivilegeFinding {
  role: string;
  why: string;
}

/**
 * What the session's login (session_user) could use to alter an append-only table:
 * itself or any role it may become (SET ROLE) or inherits from, if that role is a
 * superuser, may create roles, owns the table, or holds UPDATE, DELETE or TRUNCATE
 * on it. Empty when the login is least-privileged. Run on the API's own connection.
 */
export async function privilegeFindings(dataSource: DataSource): Promise<PrivilegeFinding[]> {
  return dataSource.query(
    `SELECT r.rolname AS role,
            concat_ws(', ',
              CASE WHEN r.rolsuper THEN 'superuser' END,
              CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END,
              CASE WHEN r.oid = c.relowner THEN 'owns ' || c.relname END,
              CASE WHEN has_any_column_privilege(r.oid, c.oid, 'UPDATE') THEN 'UPDATE on ' || c.relname END,
              CASE WHEN has_table_privilege(r.oid, c.oid, 'DELETE') THEN 'DELETE on ' || c.relname END,
              CASE WHEN has_table_privilege(r.oid, c.oid, 'TRUNCATE') THEN 'TRUNCATE on ' || c.relname END) AS why
     FROM pg_roles r
     CROSS JOIN pg_class c
     WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) t)
       AND pg_has_role(session_user, r.oid, 'MEMBER')
       AND (r.rolsuper OR r.rolcreaterole OR r.oid = c.relowner
            OR has_any_column_privilege(r.oid, c.oid, 'UPDATE') OR has_table_privilege(r.oid, c.oid, 'DELETE') OR has_table_privilege(r.oid, c.oid, 'TRUNCATE'))
     ORDER BY 1, 2`,
    [APPEND_ONLY_TABLES],
  );
}

/** Refuses (throws) when the API's login could alter the audit trail. */
export async function assertLeastPrivilege(dataSource: DataSource): Promise<void> {
  const findings = await privilegeFindings(dataSource);
  if (findings.length === 0) return;
  const [{ login }] = await dataSource.query(`SELECT session_user AS login`);
  throw new Error(
    `the API's database login "${login}" could alter the append-only audit trail: ${findings.map((f) => `${f.role} (${f.why})`).join('; ')}. ` +
      `Give the API a login of its own (DATABASE_APP_URL or DATABASE_APP_PASSWORD): see README, Configuration.`,
  );
}
