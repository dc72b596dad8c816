/**
 * The benchmark dataset, seeded set-based as the database owner (INSERT …
 * SELECT generate_series), never through the API: 100,000 requests seed in
 * seconds.
 *
 * The dataset is a list of SEEDERS run in order: requests, then for each
 * request in service or done one or two tasks (in progress or completed),
 * one record per task and one verified acceptance per completed task.
 */
import { hashToken, generateToken } from '../src/auth/tokens';
import type { DataSource } from 'typeorm';

export interface SeedOptions {
  /** service requests (BENCH_REQUESTS) */
  requests: number;
  customers: number;
  departments: number;
  /** the DRAFT requests the transition scenario updates, forever (hot: the first 10) */
  draftTargets: number;
  /** RECEIVED complaints the complaint scenario classifies, each once (0: none) */
  complaintTargets?: number;
  /** DRAFT parts requisitions the requisition scenario submits, each once, by their technician (0: none) */
  requisitionTargets?: number;
}

export interface BenchIdentities {
  /** one portal user per customer: token and customer uuid */
  customers: Array<{ token: string; customerId: string; userId: string }>;
  agent: { token: string; userId: string };
  executive: { token: string; userId: string };
  departmentIds: string[];
  /** every technician (the requisitions' creators) */
  technicians: Array<{ token: string; userId: string }>;
}

interface Seeder {
  name: string;
  run(db: DataSource, o: SeedOptions): Promise<void>;
}

/**
 * State mix of the requests (cumulative thresholds on a per-row random
 * number): most are closed, a tenth are drafts, a fifth are in the pipeline.
 */
const STATE_MIX: Array<[string, number]> = [
  ['DRAFT', 0.1],
  ['SUBMITTED', 0.15],
  ['RETURNED', 0.18],
  ['ACCEPTED', 0.3],
  ['IN_SERVICE', 0.42],
  ['COMPLETED', 0.75],
  ['REJECTED', 0.8],
  ['CANCELLED', 0.85],
  ['ARCHIVED', 1.0],
];

const stateCase = (r: string) => `CASE ${STATE_MIX.map(([s, t]) => `WHEN ${r} < ${t} THEN '${s}'`).join(' ')} ELSE 'ARCHIVED' END`;

const SEEDERS: Seeder[] = [
  {
    name: 'departments',
    run: (db, o) =>
      db.query(`INSERT INTO department (code, name) SELECT 'D' || lpad(g::text, 2, '0'), 'Department ' || g FROM generate_series(1, $1) g`, [o.departments]),
  },
  {
    name: 'customers',
    run: (db, o) =>
      db.query(
        `INSERT INTO customer (code, name, tier) SELECT 'C' || lpad(g::text, 4, '0'), 'Customer ' || g || ' Co.', CASE WHEN g % 10 = 0 THEN 'KEY' ELSE 'STANDARD' END FROM generate_series(1, $1) g`,
        [o.customers],
      ),
  },
  {
    name: 'users',
    async run(db) {
      // one portal user per customer, a supervisor and two technicians per department, agents, an executive
      await db.query(`INSERT INTO app_user (name, login, roles, customer_id) SELECT 'Portal user of ' || c.code, 'portal-' || lower(c.code), '{CUSTOMER}', c.id FROM customer c`);
      await db.query(`INSERT INTO app_user (name, login, roles, department_id) SELECT 'Supervisor ' || d.code, 'sup-' || lower(d.code), '{SUPERVISOR}', d.id FROM department d`);
      await db.query(
        `INSERT INTO app_user (name, login, roles, department_id) SELECT 'Technician ' || d.code || '-' || t, 'tech-' || lower(d.code) || '-' || t, '{TECHNICIAN}', d.id FROM department d, generate_series(1, 2) t`,
      );
      await db.query(`INSERT INTO app_user (name, login, roles) SELECT 'Agent ' || g, 'agent-' || g, '{AGENT}' FROM generate_series(1, 5) g`);
      await db.query(`INSERT INTO app_user (name, login, roles) VALUES ('Executive', 'executive', '{EXECUTIVE}')`);
    },
  },
  {
    name: 'serviceRequests',
    async run(db, o) {
      // customers and departments numbered 1..n so row g can pick one arithmetically
      await db.query(`
        WITH c AS (SELECT row_number() OVER (ORDER BY c.code) AS i, c.id, u.id AS portal_user FROM customer c JOIN app_user u ON u.customer_id = c.id),
             d AS (SELECT row_number() OVER (ORDER BY code) AS i, id FROM department),
             a AS (SELECT row_number() OVER (ORDER BY login) AS i, id FROM app_user WHERE 'AGENT' = ANY (roles)),
             g AS (SELECT g, random() AS r, random() AS online,
                          now() - make_interval(secs => (random() * 730 * 86400)::int) AS created
                   FROM generate_series(1, $1) g)
        INSERT INTO service_request (number, state, version, created_by_id, created_at, updated_at, customer_id, contact_name, contact_phone, address,
          channel, category, service_type, description, expected_from, expected_to, urgency, urgency_rank, special_requirements, site_distance_km,
          estimated_amount, complexity, target_department_id, submitted_at, accepted_at, closed_at)
        SELECT 'SR-B' || to_char(g.created, 'YYYY') || '-' || lpad(g.g::text, 7, '0'),
               s.state, 1 + (g.g % 7), CASE WHEN g.online < 0.6 THEN c.portal_user ELSE a.id END, g.created, g.created + interval '1 day',
               c.id, 'Contact ' || g.g, '+86 21 5555 ' || lpad((g.g % 10000)::text, 4, '0'), g.g || ' Harbour Road',
               CASE WHEN g.online < 0.6 THEN 'ONLINE' ELSE (ARRAY['PHONE','PAPER','EMAIL'])[1 + g.g % 3] END,
               (ARRAY['PRE_SALES','IN_SALES','AFTER_SALES'])[1 + g.g % 3],
               (ARRAY['INSTALLATION','TRAINING','ONSITE_SUPPORT','REMOTE_SUPPORT','REPAIR','PARTS_SUPPLY','CONSULTATION'])[1 + g.g % 7],
               'Benchmark request ' || g.g || ': the feed pump stops after a few minutes under load.',
               g.created + interval '3 days', g.created + interval '4 days',
               (ARRAY['NORMAL','NORMAL','NORMAL','NORMAL','URGENT','CRITICAL'])[1 + g.g % 6],
               (ARRAY[0,0,0,0,1,2])[1 + g.g % 6],
               NULL, round((g.g % 500)::numeric / 3, 1), round((g.g % 100000)::numeric, 2), CASE WHEN g.g % 5 = 0 THEN 'COMPLEX' ELSE 'STANDARD' END,
               CASE WHEN s.state IN ('ACCEPTED','IN_SERVICE','COMPLETED','ARCHIVED') THEN d.id END,
               CASE WHEN s.state NOT IN ('DRAFT') THEN g.created + interval '1 hour' END,
               CASE WHEN s.state IN ('ACCEPTED','IN_SERVICE','COMPLETED','ARCHIVED') THEN g.created + interval '5 hours' END,
               CASE WHEN s.state IN ('COMPLETED','REJECTED','CANCELLED','ARCHIVED') THEN g.created + interval '1 day' END
        FROM g
        CROSS JOIN LATERAL (SELECT ${stateCase('g.r')} AS state) s
        JOIN c ON c.i = 1 + (g.g % $2)
        JOIN d ON d.i = 1 + ((g.g / $2) % $3)
        JOIN a ON a.i = 1 + (g.g % 5)`,
        [o.requests, o.customers, o.departments],
      );
      // the API numbers new requests after the seeded ones
      await db.query(`INSERT INTO document_counter (prefix, year, last) SELECT 'SR', y, $1 FROM generate_series(2020, 2035) y`, [o.requests]);
    },
  },
  {
    name: 'serviceTasks',
    async run(db) {
      // one or two tasks per request in service or done, in the request's department, assigned to one of its technicians
      await db.query(`
        WITH tech AS (SELECT department_id, array_agg(id ORDER BY login) AS ids FROM app_user WHERE 'TECHNICIAN' = ANY (roles) GROUP BY department_id),
             sup AS (SELECT department_id, min(id::text)::uuid AS id FROM app_user WHERE 'SUPERVISOR' = ANY (roles) GROUP BY department_id),
             r AS (SELECT sr.*, row_number() OVER (ORDER BY sr.number) AS i FROM service_request sr WHERE sr.state IN ('IN_SERVICE', 'COMPLETED', 'ARCHIVED'))
        INSERT INTO service_task (number, state, version, created_by_id, created_at, updated_at, request_id, customer_id, department_id, description,
          assignee_id, planned_start, planned_end, resources, estimated_cost, complexity, tier, approval_round, submitted_at, approved_at, confirmed_at,
          started_at, finished_at, completed_at)
        SELECT 'ST-B-' || lpad((r.i * 2 + k)::text, 8, '0'),
               CASE WHEN r.state = 'IN_SERVICE' THEN 'IN_PROGRESS' ELSE 'COMPLETED' END, 8, sup.id,
               r.accepted_at + interval '1 hour', r.accepted_at + interval '2 days', r.id, r.customer_id, r.target_department_id,
               'Benchmark task ' || k || ' of ' || r.number, tech.ids[1 + ((r.i + k) % array_length(tech.ids, 1))::int],
               r.expected_from, r.expected_to, 'seal kit', 900 + k * 100, 'STANDARD', 'SUPERVISOR', 1,
               r.accepted_at + interval '2 hours', r.accepted_at + interval '3 hours', r.accepted_at + interval '4 hours',
               r.expected_from, CASE WHEN r.state = 'IN_SERVICE' THEN NULL ELSE r.expected_to END, CASE WHEN r.state = 'IN_SERVICE' THEN NULL ELSE r.expected_to END
        FROM r JOIN tech ON tech.department_id = r.target_department_id JOIN sup ON sup.department_id = r.target_department_id
        CROSS JOIN LATERAL generate_series(1, 1 + (r.i % 2)::int) k`);
    },
  },
  {
    name: 'serviceRecords',
    run: (db) =>
      db.query(`
        INSERT INTO service_record (number, state, version, created_by_id, created_at, updated_at, task_id, request_id, department_id, customer_id, actual_start, actual_end)
        SELECT 'RC-B-' || substr(t.number, 6), CASE WHEN t.state = 'COMPLETED' THEN 'REVIEWED' ELSE 'SUBMITTED' END, 4, t.assignee_id,
               t.started_at, t.started_at + interval '5 hours', t.id, t.request_id, t.department_id, t.customer_id,
               date_trunc('minute', t.started_at), date_trunc('minute', t.started_at) + interval '4 hours'
        FROM service_task t`),
  },
  {
    name: 'serviceAcceptances',
    run: (db) =>
      db.query(`
        INSERT INTO service_acceptance (number, state, version, created_by_id, created_at, updated_at, task_id, request_id, customer_id, department_id, round,
          items_confirmed, quality_score, satisfaction, signer_name, signed_at, verified_at)
        SELECT 'AC-B-' || substr(t.number, 6), 'VERIFIED', 3, t.assignee_id, t.finished_at, t.completed_at, t.id, t.request_id, t.customer_id, t.department_id, 1,
               '{work done}', 5, 'SATISFIED', 'Signer', t.finished_at + interval '1 hour', t.completed_at
        FROM service_task t WHERE t.state = 'COMPLETED'`),
  },
  {
    name: 'transitionTargets',
    async run(db, o) {
      // benchmark-only table (not an application table): DRAFT requests numbered 1..n for pgbench and autocannon
      await db.query(`CREATE TABLE bench_target (n int PRIMARY KEY, id uuid NOT NULL)`);
      await db.query(`INSERT INTO bench_target (n, id) SELECT row_number() OVER (ORDER BY number), id FROM service_request WHERE state = 'DRAFT' ORDER BY number LIMIT $1`, [o.draftTargets]);
      await db.query(`GRANT SELECT ON bench_target TO sdd_app`);
    },
  },
  {
    name: 'complaintTargets',
    async run(db, o) {
      // RECEIVED complaints numbered 1..n, each classified once by the complaint scenario
      await db.query(`CREATE TABLE bench_complaint_target (n int PRIMARY KEY, id uuid NOT NULL)`);
      if (!o.complaintTargets) return;
      await db.query(
        `WITH c AS (SELECT row_number() OVER (ORDER BY code) AS i, id FROM customer), n AS (SELECT count(*) AS n FROM customer),
              agent AS (SELECT id FROM app_user WHERE login = 'agent-1')
         INSERT INTO complaint (number, state, version, created_by_id, created_at, updated_at, customer_id, channel, subject, description)
         SELECT 'CP-B-' || lpad(g::text, 7, '0'), 'RECEIVED', 1, agent.id, now() - interval '1 hour', now() - interval '1 hour', c.id, 'PHONE',
                'Benchmark complaint ' || g, 'The technician came a day late and left the site untidy.'
           FROM generate_series(1, $1) g CROSS JOIN agent CROSS JOIN n JOIN c ON c.i = 1 + (g % n.n)`,
        [o.complaintTargets],
      );
      await db.query(`INSERT INTO bench_complaint_target (n, id) SELECT row_number() OVER (ORDER BY number), id FROM complaint WHERE number LIKE 'CP-B-%'`);
      await db.query(`INSERT INTO document_counter (prefix, year, last) SELECT 'CP', y, $1 FROM generate_series(2020, 2035) y ON CONFLICT DO NOTHING`, [o.complaintTargets]);
    },
  },
  {
    name: 'requisitionTargets',
    async run(db, o) {
      // DRAFT requisitions on tasks in progress, three per task at most, made by the task's assignee
      await db.query(`CREATE TABLE bench_requisition_target (n int PRIMARY KEY, id uuid NOT NULL, creator_id uuid NOT NULL)`);
      if (!o.requisitionTargets) return;
      await db.query(
        `INSERT INTO parts_requisition (number, state, version, created_by_id, task_id, request_id, customer_id, department_id, lines, total_amount)
         SELECT 'PR-B-' || lpad((row_number() OVER (ORDER BY t.number, k))::text, 7, '0'), 'DRAFT', 1, t.assignee_id, t.id, t.request_id, t.customer_id, t.department_id,
                jsonb_build_array(jsonb_build_object('partNumber', 'P-' || k, 'partName', 'Seal kit', 'quantity', 2, 'unitCost', 150, 'underWarranty', k = 1)), 300
           FROM service_task t CROSS JOIN generate_series(1, 3) k
          WHERE t.state = 'IN_PROGRESS'
          ORDER BY t.number, k LIMIT $1`,
        [o.requisitionTargets],
      );
      await db.query(`INSERT INTO bench_requisition_target (n, id, creator_id) SELECT row_number() OVER (ORDER BY number), id, created_by_id FROM parts_requisition WHERE number LIKE 'PR-B-%'`);
      await db.query(`INSERT INTO document_counter (prefix, year, last) SELECT 'PR', y, $1 FROM generate_series(2020, 2035) y ON CONFLICT DO NOTHING`, [o.requisitionTargets]);
    },
  },
];

/** Tokens are stored hashed (sha256 hex), like issueToken does, but in one statement. */
async function issueTokens(db: DataSource, userIds: string[]): Promise<string[]> {
  const tokens = userIds.map(() => generateToken());
  await db.query(`INSERT INTO api_token (user_id, token_hash, label) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`, [
    userIds,
    tokens.map(hashToken),
    userIds.map(() => 'benchmark'),
  ]);
  return tokens;
}

export async function seedBenchData(db: DataSource, o: SeedOptions, log: (m: string) => void = () => undefined): Promise<BenchIdentities> {
  for (const seeder of SEEDERS) {
    const started = Date.now();
    await seeder.run(db, o);
    log(`seeded ${seeder.name} in ${Date.now() - started} ms`);
  }
  await db.query('ANALYZE');
  const portal: Array<{ id: string; customer_id: string }> = await db.query(`SELECT id, customer_id FROM app_user WHERE customer_id IS NOT NULL ORDER BY login`);
  const [agent] = await db.query(`SELECT id FROM app_user WHERE login = 'agent-1'`);
  const [executive] = await db.query(`SELECT id FROM app_user WHERE login = 'executive'`);
  const departments: Array<{ id: string }> = await db.query(`SELECT id FROM department ORDER BY code`);
  const technicians: Array<{ id: string }> = await db.query(`SELECT id FROM app_user WHERE 'TECHNICIAN' = ANY (roles) ORDER BY login`);
  const tokens = await issueTokens(db, [...portal.map((p) => p.id), agent.id, executive.id, ...technicians.map((t) => t.id)]);
  return {
    technicians: technicians.map((t, i) => ({ token: tokens[portal.length + 2 + i], userId: t.id })),
    customers: portal.map((p, i) => ({ token: tokens[i], customerId: p.customer_id, userId: p.id })),
    agent: { token: tokens[portal.length], userId: agent.id },
    executive: { token: tokens[portal.length + 1], userId: executive.id },
    departmentIds: departments.map((d) => d.id),
  };
}
