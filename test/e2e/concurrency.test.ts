/**
 * Two API processes on one database, many clients firing conflicting events
 * at a few hot documents. Afterwards every document's audit chain must be
 * gap-free and replay through the machine to the stored state, and every
 * success a client saw must be in the history exactly once.
 */
import { serviceRequestDefinition } from '../../src/documents/service-request/service-request.definition';
import { transitionsFrom } from '../../src/workflow/introspection';
import { createTestDatabase } from '../support/database';
import { COMPLETE_REQUEST } from '../support/documents';
import { post, startApiProcess, type ApiProcess } from '../support/process';

const HOT_DOCUMENTS = 4;
const CLIENTS = 16;
const EVENTS_PER_CLIENT = 25;

/** Each move: who sends it and the mutation; the marker goes in the audit reason. */
const MOVES = [
  { who: 'CUSTOMER_ACME', mutation: 'updateServiceRequest', input: 'UpdateServiceRequestInput', field: 'comment' },
  { who: 'AGENT', mutation: 'updateServiceRequest', input: 'UpdateServiceRequestInput', field: 'comment' },
  { who: 'CUSTOMER_ACME', mutation: 'submitServiceRequest', input: 'DocumentEventInput', field: 'comment' },
  { who: 'AGENT', mutation: 'returnServiceRequest', input: 'ReasonEventInput', field: 'reason' },
  { who: 'AUTOMATION_DISPATCH', mutation: 'returnServiceRequest', input: 'ReasonEventInput', field: 'reason' },
  { who: 'CUSTOMER_ACME', mutation: 'resubmitServiceRequest', input: 'UpdateServiceRequestInput', field: 'comment' },
  { who: 'AGENT_2', mutation: 'resubmitServiceRequest', input: 'UpdateServiceRequestInput', field: 'comment' },
] as const;

let processes: ApiProcess[] = [];
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
});

test(`${CLIENTS} clients × ${EVENTS_PER_CLIENT} events on ${HOT_DOCUMENTS} hot documents through two processes: nothing lost, nothing doubled`, async () => {
  const { url: databaseUrl } = await createTestDatabase();
  const first = await startApiProcess(databaseUrl); // seeds the demo identities
  const second = await startApiProcess(databaseUrl);
  processes = [first, second];
  const tokens = first.tokens();

  const ids: string[] = [];
  for (let i = 0; i < HOT_DOCUMENTS; i++) {
    const res = await post(first.url, tokens.CUSTOMER_ACME, `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } } }`, { input: COMPLETE_REQUEST });
    ids.push(res.body.data.createServiceRequest.serviceRequest.id);
  }

  const successes: Array<{ id: string; marker: string; event: string }> = [];
  const refusals = new Map<string, number>();
  const served = [0, 0];
  const lastVersion = new Map<string, number>();

  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < EVENTS_PER_CLIENT; i++) {
        const target = (client + i) % 2;
        const id = ids[(client * 7 + i * 3) % HOT_DOCUMENTS];
        const move = MOVES[(client + i * 5) % MOVES.length];
        const marker = `m-${client}-${i}`;
        // a third of the clients pass the last version they saw, to provoke STALE_VERSION
        const expectedVersion = client % 3 === 0 ? lastVersion.get(id) : undefined;
        const res = await post(processes[target].url, tokens[move.who], `mutation($input: ${move.input}!) { ${move.mutation}(input: $input) { serviceRequest { version } userErrors { code } } }`, {
          input: { id, [move.field]: marker, ...(expectedVersion ? { expectedVersion } : {}) },
        });
        // clients never see a serialization failure, a deadlock or any other error
        expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
        served[target]++;
        const payload = res.body.data[move.mutation];
        if (payload.serviceRequest) lastVersion.set(id, payload.serviceRequest.version);
        if (payload.userErrors.length === 0) successes.push({ id, marker, event: move.mutation });
        else for (const e of payload.userErrors) refusals.set(e.code, (refusals.get(e.code) ?? 0) + 1);
      }
    }),
  );

  expect(served[0]).toBeGreaterThan(0);
  expect(served[1]).toBeGreaterThan(0);
  expect(successes.length).toBeGreaterThan(CLIENTS); // the mix must really move the documents
  expect([...refusals.keys()].every((c) => ['INVALID_TRANSITION', 'STALE_VERSION'].includes(c))).toBe(true);

  const machine = serviceRequestDefinition.machine;
  for (const id of ids) {
    const res = await post(second.url, tokens.AGENT, `query($id: ID!) { serviceRequest(id: $id) { state version history(first: 100) { nodes { seq event fromState toState version reason } } } verifyAuditChain(documentId: $id) { valid eventCount } }`, { id });
    const { serviceRequest: doc, verifyAuditChain } = res.body.data;
    const history = doc.history.nodes as Array<{ seq: number; event: string; fromState: string | null; toState: string; version: number; reason: string | null }>;
    expect(verifyAuditChain).toEqual({ valid: true, eventCount: history.length });
    // gap-free: seq and version contiguous, each event starts where the previous ended
    history.forEach((h, i) => {
      expect([h.seq, h.version]).toEqual([i + 1, i + 1]);
      if (i > 0) expect(h.fromState).toBe(history[i - 1].toState);
    });
    // replaying through the machine: every step is a transition the machine has, ending in the stored state
    for (const h of history.slice(1)) {
      expect(transitionsFrom(machine, h.fromState!).some((t) => t.event === h.event && t.to === h.toState)).toBe(true);
    }
    expect([doc.state, doc.version]).toEqual([history.at(-1)!.toState, history.length]);
    // every success seen by a client is there exactly once, and nothing else
    const mine = successes.filter((s) => s.id === id).map((s) => s.marker).sort();
    const recorded = history.slice(1).map((h) => h.reason).sort();
    expect(recorded).toEqual(mine);
  }
  console.log(`concurrency: ${CLIENTS} clients, ${CLIENTS * EVENTS_PER_CLIENT} events, ${successes.length} applied, refusals ${JSON.stringify(Object.fromEntries(refusals))}, served ${served.join('/')}`);
});
