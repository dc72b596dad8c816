/**
 * The lean transition (issue 12): an event that has nothing else to do — no facts from other rows, no deadline,
 * no records-register change, no reaction — sends exactly BEGIN, one statement that locks the row within the
 * caller's scope and reads the head of its audit chain, one statement that writes the changed columns, the
 * audit event, the outbox row (and the Idempotency-Key's mark), and COMMIT; in two round trips (BEGIN goes out
 * with the lock, COMMIT with the write: src/db/pipelined-transaction.ts). Counted on the wire (pg's Client#query,
 * and the writes to the connection's socket) around a real HTTP request to the in-process API, for two document types.
 *
 * Not counted: the token lookup (cached: the API verifies a token by a query at most once per TOKEN_CACHE_MS) and
 * the outbox feed's load of the committed row (every API process loads each committed outbox row once for its live
 * subscriptions, after the commit, on its own connection — not part of the request).
 */
import { startTestApi, type TestApi } from '../support/api';
import { appendAuditEvent, verifyChain } from '../../src/workflow/audit';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { fromGlobalId } from '../../src/graphql/global-id';
import { countStatements } from '../support/sql-counter';
import { createRequest } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ tokenCacheMs: 600_000 });
});
afterAll(() => t.close());

const FEED_LOAD = /FROM outbox_event o LEFT JOIN audit_event a/;
const flat = (s: string) => s.replace(/\s+/g, ' ');

async function statementsOf(request: () => Promise<any>) {
  const { result, statements, sent, writes, sentTogether } = await countStatements(request);
  // the writes to the connection that ran the transition's lock statement: its round trips
  const lock = sent.findIndex((s) => /^SELECT l\.\*/.test(s.text));
  return {
    result,
    statements: statements.filter((s) => !FEED_LOAD.test(s)).map(flat),
    roundTrips: lock >= 0 ? writes.get(sent[lock].socket) : undefined,
    beginWithLock: lock > 0 && sent[lock - 1].text === 'BEGIN' && sentTogether(lock - 1, lock),
  };
}

/** asserts the four statements of a lean transition on `table` */
function expectLean(statements: string[], table: string, idempotent = false) {
  expect(statements).toHaveLength(4);
  const [begin, lock, write, commit] = statements;
  expect(begin).toBe('BEGIN');
  expect(lock).toMatch(new RegExp(`FROM "${table}" d WHERE d\\.id = \\$\\d+.* FOR UPDATE OF d\\) l LEFT JOIN LATERAL audit_chain_head\\(l\\.id\\)`));
  expect(write).toMatch(new RegExp(`^WITH doc AS \\(UPDATE "${table}" SET .*INSERT INTO audit_event .*INSERT INTO outbox_event .* SELECT ev\\.id::text AS id FROM ev, ob$`));
  // no job queued per event: the relay reads the outbox table after commit
  expect(write).not.toMatch(/graphile_worker|outbox_enqueue|add_job/);
  expect(write.includes('UPDATE idempotency_record')).toBe(idempotent);
  expect(commit).toBe('COMMIT');
}

async function chainOf(globalId: string) {
  const id = fromGlobalId(globalId)!.id;
  const events = await t.dataSource.getRepository(AuditEvent).find({ where: { documentId: id }, order: { seq: 'ASC' } });
  return { events, verification: verifyChain(events) };
}

const UPDATE = 'mutation($id: ID!, $value: String) { updateServiceRequest(input: { id: $id, specialRequirements: $value }) { serviceRequest { state version specialRequirements } userErrors { code message } } }';

describe('a service request UPDATE (DRAFT → DRAFT) by an agent', () => {
  test('four statements: BEGIN, lock with the chain head, one write, COMMIT; the chain, the outbox row and the answer are as before', async () => {
    const sr = await createRequest(t, 'AGENT');
    await t.gql('AGENT', UPDATE, { id: sr.id, value: 'warm the token cache' });
    const { result, statements, roundTrips } = await statementsOf(() => t.gql('AGENT', UPDATE, { id: sr.id, value: 'counted' }));
    expect(result.data.updateServiceRequest).toEqual({ serviceRequest: { state: 'DRAFT', version: 3, specialRequirements: 'counted' }, userErrors: [] });
    expectLean(statements, 'service_request');
    // two writes to the lock's connection: BEGIN with the lock, the write with COMMIT (nothing else used it meanwhile)
    expect(roundTrips).toBe(2);

    const { events, verification } = await chainOf(sr.id);
    expect(verification.valid).toBe(true);
    expect(events.map((e) => e.event)).toEqual(['CREATE', 'UPDATE', 'UPDATE']);
    expect(events[2]).toMatchObject({ seq: 3, version: 3, fromState: 'DRAFT', toState: 'DRAFT', prevHash: events[1].hash, changes: { specialRequirements: { from: 'warm the token cache', to: 'counted' } } });
    const [outbox] = await t.owner.query(`SELECT audit_seq, event, processed_at FROM outbox_event o WHERE audit_event_id = $1`, [events[2].id]);
    expect(outbox).toEqual({ audit_seq: 3, event: 'UPDATE', processed_at: null });
  });

  test('with an Idempotency-Key the mark is in the same write: still four statements in the transaction', async () => {
    const sr = await createRequest(t, 'AGENT');
    const key = `lean-${sr.id}`;
    const { result, statements } = await statementsOf(() => t.gql('AGENT', UPDATE, { id: sr.id, value: 'with a key' }, { 'idempotency-key': key }));
    expect(result.data.updateServiceRequest.userErrors).toEqual([]);
    const tx = statements.slice(statements.indexOf('BEGIN'), statements.indexOf('COMMIT') + 1);
    expectLean(tx, 'service_request', true);
    const [record] = await t.owner.query(`SELECT status, applied_at IS NOT NULL AS applied FROM idempotency_record WHERE key = $1`, [key]);
    expect(record).toEqual({ status: 'DONE', applied: true });
  });

  test('a refusal writes nothing: STALE_VERSION after the lock, BEGIN + lock + ROLLBACK', async () => {
    const sr = await createRequest(t, 'AGENT');
    const { result, statements, beginWithLock } = await statementsOf(() =>
      t.gql('AGENT', 'mutation($id: ID!) { updateServiceRequest(input: { id: $id, expectedVersion: 7, specialRequirements: "no" }) { userErrors { code } } }', { id: sr.id }),
    );
    expect(result.data.updateServiceRequest.userErrors).toEqual([{ code: 'STALE_VERSION' }]);
    expect(statements.slice(0, 3).map((s) => s.slice(0, 20))).toEqual(['BEGIN', expect.stringMatching(/^SELECT l\.\*/), 'ROLLBACK']);
    // BEGIN went with the lock; ROLLBACK on its own (the refusal's answer then reads the document, outside the transaction)
    expect(beginWithLock).toBe(true);
    expect((await chainOf(sr.id)).events).toHaveLength(1);
  });
});

describe('the chain head is read under the lock', () => {
  test('an event appended by a transaction the transition waited for (without touching the row, as a legal hold does) is the one it links to', async () => {
    const sr = await createRequest(t, 'AGENT');
    const id = fromGlobalId(sr.id)!.id;
    const runner = t.owner.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let answered: Promise<any> | null = null;
    try {
      await runner.query(`SELECT id FROM service_request WHERE id = $1 FOR UPDATE`, [id]);
      answered = t.gql('AGENT', UPDATE, { id: sr.id, value: 'after the wait' });
      // the mutation's lock statement is waiting for this transaction's row lock (polled, bounded)
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND usename = 'sdd_api' AND query LIKE 'SELECT l.*%'`);
        if (n > 0) break;
        if (Date.now() > deadline) throw new Error('the transition never waited for the lock: ' + JSON.stringify(await t.owner.query(`SELECT usename, state, wait_event_type, wait_event, left(query, 80) AS q FROM pg_stat_activity WHERE datname = current_database()`)));
        await new Promise((r) => setTimeout(r, 20));
      }
      await appendAuditEvent(runner.manager, { documentType: 'ServiceRequest', documentId: id, event: 'NOTE', fromState: 'DRAFT', toState: 'DRAFT', version: 1, actorId: t.ids.users.AGENT, actorName: 'test', actorRoles: [], at: new Date(), reason: 'appended while the transition waits', changes: {}, requestId: null, idempotencyKey: null });
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await answered!).data.updateServiceRequest.userErrors).toEqual([]);
    const { events, verification } = await chainOf(sr.id);
    expect(events.map((e) => [e.seq, e.event])).toEqual([
      [1, 'CREATE'],
      [2, 'NOTE'],
      [3, 'UPDATE'],
    ]);
    expect(events[2].prevHash).toBe(events[1].hash);
    expect(verification.valid).toBe(true);
  });
});

describe('a complaint CLASSIFY (RECEIVED → CLASSIFIED) by an agent', () => {
  test('four statements, the same shape, generated from the complaint entity', async () => {
    const filed = await t.gql(
      'AGENT',
      'mutation($input: CreateComplaintInput!) { createComplaint(input: $input) { complaint { id state } userErrors { code } } }',
      { input: { customerId: t.gid.customer('ACME'), channel: 'PHONE', subject: 'Late visit', description: 'The technician came two hours late.' } },
    );
    const cp = filed.data.createComplaint.complaint;
    const { result, statements, roundTrips } = await statementsOf(() =>
      t.gql('AGENT', 'mutation($input: ClassifyComplaintInput!) { classifyComplaint(input: $input) { complaint { state version category severity } userErrors { code } } }', {
        input: { id: cp.id, category: 'SERVICE_ATTITUDE', severity: 'MEDIUM' },
      }),
    );
    expect(result.data.classifyComplaint).toEqual({ complaint: { state: 'CLASSIFIED', version: 2, category: 'SERVICE_ATTITUDE', severity: 'MEDIUM' }, userErrors: [] });
    expectLean(statements, 'complaint');
    expect(roundTrips).toBe(2);
    const { events, verification } = await chainOf(cp.id);
    expect(verification.valid).toBe(true);
    expect(events.map((e) => [e.seq, e.event, e.toState])).toEqual([
      [1, 'CREATE', 'RECEIVED'],
      [2, 'CLASSIFY', 'CLASSIFIED'],
    ]);
  });
});
