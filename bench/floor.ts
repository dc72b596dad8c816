/**
 * The floor: the least a server can do to answer the benchmark's questions —
 * node:http + pg, hand-written SQL, one statement per read request with the
 * JSON built in PostgreSQL, bearer tokens checked against an in-memory map
 * (like the API's token cache). No GraphQL, no ORM, no validation beyond
 * what the SQL needs. Run as its own process by bench/run.ts:
 *   DATABASE_URL=… PORT=… node -r ts-node/register/transpile-only bench/floor.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10), options: '-c role=sdd_app' });

interface Caller {
  userId: string;
  customerId: string | null;
  staff: boolean;
}
const callers = new Map<string, Caller>();

const uuidOf = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const GID = (col: string) => `translate(encode(convert_to('ServiceRequest:' || ${col}, 'UTF8'), 'base64'), '+/=', '-_')`;

/** status: serviceRequest(id) { number state updatedAt } */
const STATUS = `
SELECT json_build_object('data', json_build_object('serviceRequest',
  (SELECT json_build_object('number', number, 'state', state, 'updatedAt', updated_at) FROM service_request
   WHERE id = $1 AND ($2::uuid IS NULL OR customer_id = $2))))::text AS body`;

/**
 * portal list (bench/scenarios.ts PORTAL_LIST), with a customer's visibility (SPEC §7, as the API applies it):
 * tasks once approved, acceptances of their organisation, field records once filed (not OPEN: the customer signs them, issue 13).
 */
const PORTAL_LIST = `
WITH page AS (
  SELECT * FROM service_request WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 + 1
)
SELECT json_build_object('data', json_build_object('serviceRequests', json_build_object(
  'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > $2),
  'nodes', coalesce((
    SELECT json_agg(json_build_object('id', ${GID('p.id::text')}, 'number', p.number, 'state', p.state, 'updatedAt', p.updated_at,
      'targetDepartment', CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('name', d.name) END,
      'tasks', coalesce((
        SELECT json_agg(json_build_object('number', t.number, 'state', t.state, 'plannedStart', t.planned_start, 'plannedEnd', t.planned_end,
          'assignee', (SELECT json_build_object('name', u.name) FROM app_user u WHERE u.id = t.assignee_id),
          'department', (SELECT json_build_object('name', td.name) FROM department td WHERE td.id = t.department_id),
          'records', coalesce((SELECT json_agg(json_build_object('number', r.number, 'state', r.state) ORDER BY r.created_at, r.id)
                               FROM service_record r WHERE r.task_id = t.id AND r.customer_id = $1 AND r.state <> 'OPEN'), '[]'::json),
          'acceptances', coalesce((SELECT json_agg(json_build_object('round', a.round, 'state', a.state) ORDER BY a.created_at, a.id)
                                   FROM service_acceptance a WHERE a.task_id = t.id AND a.customer_id = $1), '[]'::json))
          ORDER BY t.created_at, t.id)
        FROM service_task t WHERE t.request_id = p.id AND t.customer_id = $1 AND t.approved_at IS NOT NULL), '[]'::json))
      ORDER BY p.created_at DESC, p.id DESC)
    FROM (SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT $2) p
    LEFT JOIN department d ON d.id = p.target_department_id), '[]'::json))))::text AS body`;

/** statistics-ready: serviceRequests(first: n, filter: {state, departmentId, createdFrom, createdTo}) { totalCount nodes { id number state createdAt } } */
const STATS = `
WITH m AS (
  SELECT id, number, state, created_at FROM service_request
  WHERE state = ANY($1::text[]) AND target_department_id = $2 AND created_at >= $3 AND created_at < $4
)
SELECT json_build_object('data', json_build_object('serviceRequests', json_build_object(
  'totalCount', (SELECT count(*) FROM m),
  'nodes', coalesce((SELECT json_agg(json_build_object('id', ${GID('p.id::text')}, 'number', p.number, 'state', p.state, 'createdAt', p.created_at) ORDER BY p.created_at DESC, p.id DESC)
                     FROM (SELECT * FROM m ORDER BY created_at DESC, id DESC LIMIT $5) p), '[]'::json))))::text AS body`;

/** transition: the pgbench script's statements, with the document id as $1 and the new value as $2 */
function transitionStatements(): string[] {
  const script = fs.readFileSync(path.join(__dirname, 'transition.sql'), 'utf8');
  const sql = script
    .split('\n')
    .filter((l) => !l.startsWith('--') && !l.startsWith('\\'))
    .join('\n');
  const statements = sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s && s !== 'BEGIN' && s !== 'END');
  return statements.map((s) => s.replaceAll('(SELECT id FROM bench_target WHERE n = :n)', '$1::uuid').replace(/(?<!:):v\b/g, '$2'));
}
const [LOCK, UPDATE_AND_AUDIT] = transitionStatements();

async function transition(id: string, value: string): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query({ name: 'lock', text: LOCK, values: [id] });
    const { rows } = await client.query({ name: 'update', text: UPDATE_AND_AUDIT, values: [id, value.replace(/^bench /, '')] });
    await client.query('COMMIT');
    return rows[0]?.body ?? '{"data":{"updateServiceRequest":{"serviceRequest":null,"userErrors":[{"code":"INVALID_TRANSITION"}]}}}';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function one(name: string, text: string, values: unknown[]): Promise<string> {
  const { rows } = await pool.query({ name, text, values });
  return rows[0].body;
}

function readBody(req: http.IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const token = (req.headers.authorization ?? '').slice(7);
    const caller = callers.get(createHash('sha256').update(token).digest('hex'));
    if (!caller) {
      res.writeHead(401).end('{"errors":[{"message":"unauthenticated"}]}');
      return;
    }
    const body = await readBody(req);
    const v = body.variables ?? {};
    let out: string;
    switch (req.url) {
      case '/status':
        out = await one('status', STATUS, [uuidOf(v.id), caller.staff ? null : caller.customerId]);
        break;
      case '/portal-list':
        out = await one('portal', PORTAL_LIST, [caller.customerId, v.first]);
        break;
      case '/stats':
        out = await one('stats', STATS, [v.filter.state, uuidOf(v.filter.departmentId), v.filter.createdFrom, v.filter.createdTo, v.first]);
        break;
      case '/transition':
        out = await transition(uuidOf(v.id), v.value);
        break;
      default:
        res.writeHead(404).end();
        return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  } catch (error) {
    res.writeHead(500).end(JSON.stringify({ errors: [{ message: String(error) }] }));
  }
});
server.keepAliveTimeout = 65_000;

async function main() {
  const { rows } = await pool.query(
    `SELECT t.token_hash, u.id, u.customer_id, u.roles FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.revoked_at IS NULL AND u.active`,
  );
  for (const r of rows) callers.set(r.token_hash, { userId: r.id, customerId: r.customer_id, staff: r.customer_id === null });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`floor is serving http://127.0.0.1:${process.env.PORT}`));
}
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
