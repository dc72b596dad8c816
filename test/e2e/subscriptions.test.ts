/**
 * Subscriptions over a real WebSocket (graphql-ws) on the real server: committed document events, filtered to
 * what each subscriber may see; bearer tokens as on HTTP; the query limits and a per-caller cap; and an event
 * committed through one API process reaching a subscriber of another.
 */
import { idOf } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, draftTask, ok } from '../support/chain';
import { COMPLETE_REQUEST, createRequest } from '../support/documents';
import { post, startApiProcess, type ApiProcess } from '../support/process';
import { subscribe, until, type Subscriber } from '../support/ws';

const EVENTS = `subscription($types: [String!], $documentId: ID) {
  documentEvents(types: $types, documentId: $documentId) {
    documentType documentId
    event { seq event fromState toState actor { name } changes }
    document { id ... on ServiceRequest { number requestState: state estimatedAmount } ... on ServiceTask { taskState: state estimatedCost description } }
  }
}`;

/** [type, event, document id] of what a subscriber received */
const seen = (s: Subscriber) => s.received.map((r) => [r.documentEvents.documentType, r.documentEvents.event.event, r.documentEvents.documentId]);
const has = (s: Subscriber, documentId: string, event: string) => s.received.some((r) => r.documentEvents.documentId === documentId && r.documentEvents.event.event === event);

describe('documentEvents over graphql-ws', () => {
  let t: TestApi;
  const open: Subscriber[] = [];
  const sub = (who: string | null, query = EVENTS, variables?: Record<string, unknown>, via?: 'payload' | 'header' | 'none') => {
    const s = subscribe(t.url, who ? t.tokens[who as keyof typeof t.tokens] : null, query, variables, via);
    open.push(s);
    return s;
  };
  beforeAll(async () => {
    t = await startTestApi({ subscriptions: { maxPerCaller: 2, maxQueue: 1000, keepAliveMs: 12_000 } });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
    await until('every subscription ended', () => t.api.liveSubscriptions() === 0);
  });
  afterAll(() => t.close());

  test('a customer receives its own request’s events and nothing of another organisation’s or of staff-only steps; an agent receives all', async () => {
    const customer = sub('CUSTOMER_ACME');
    const agent = sub('AGENT');
    await until('both subscribed', () => t.api.liveSubscriptions() === 2);

    const mine = await acceptedRequest(t); // create → submit → accept
    const theirs = await createRequest(t, 'CUSTOMER_HUAXIA', { contactName: 'Hu Xia' });
    const task = await draftTask(t, mine.id);
    await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: task.id });
    // a barrier: once the customer has this, it has judged every earlier event (each subscription keeps commit order)
    const barrier = await createRequest(t);
    await until('the customer has the barrier', () => has(customer, barrier.id, 'CREATE'));
    await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id, comment: 'ok' });
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: task.id });
    await until('both have the confirmation', () => has(customer, task.id, 'CONFIRM') && has(agent, task.id, 'CONFIRM'));

    expect(seen(agent)).toEqual([
      ['ServiceRequest', 'CREATE', mine.id],
      ['ServiceRequest', 'SUBMIT', mine.id],
      ['ServiceRequest', 'ACCEPT', mine.id],
      ['ServiceRequest', 'CREATE', theirs.id],
      ['ServiceTask', 'CREATE', task.id],
      ['ServiceTask', 'SUBMIT', task.id],
      ['ServiceRequest', 'CREATE', barrier.id],
      ['ServiceTask', 'APPROVE', task.id],
      ['ServiceRequest', 'START', mine.id],
      ['ServiceTask', 'CONFIRM', task.id],
    ]);
    // not Huaxia's request; not the task before it was approved, nor its staff-only SUBMIT and APPROVE
    expect(seen(customer)).toEqual([
      ['ServiceRequest', 'CREATE', mine.id],
      ['ServiceRequest', 'SUBMIT', mine.id],
      ['ServiceRequest', 'ACCEPT', mine.id],
      ['ServiceRequest', 'CREATE', barrier.id],
      ['ServiceRequest', 'START', mine.id],
      ['ServiceTask', 'CONFIRM', task.id],
    ]);
    const confirmed = (s: Subscriber) => s.received.find((r) => r.documentEvents.documentId === task.id && r.documentEvents.event.event === 'CONFIRM').documentEvents;
    // the document through the caller's scope: staff-only fields null for the portal user, as in queries
    expect(confirmed(customer).document).toEqual({ id: task.id, taskState: 'CONFIRMED', estimatedCost: null, description: task.description });
    expect(confirmed(agent).document.estimatedCost).toBe(1200);
    expect(confirmed(customer).event).toMatchObject({ event: 'CONFIRM', fromState: 'ASSIGNED', toState: 'CONFIRMED', actor: { name: expect.any(String) } });
    // the event carries the document's history seq: the customer can page history from there
    const history = await t.gql('CUSTOMER_ACME', `query($id: ID!) { serviceRequest(id: $id) { history { nodes { seq event } } } }`, { id: mine.id });
    const fromHistory = history.data.serviceRequest.history.nodes.map((n: { seq: number; event: string }) => [n.seq, n.event]);
    expect(customer.received.filter((r) => r.documentEvents.documentId === mine.id).map((r) => [r.documentEvents.event.seq, r.documentEvents.event.event])).toEqual(fromHistory);
  });

  test('filters: some types, or one document', async () => {
    const oneDoc = await createRequest(t);
    const byDocument = sub('CUSTOMER_ACME', EVENTS, { documentId: oneDoc.id });
    const tasksOnly = sub('AGENT', EVENTS, { types: ['ServiceTask'] });
    await until('both subscribed', () => t.api.liveSubscriptions() === 2);
    const other = await createRequest(t);
    await ok(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: other.id });
    await ok(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: oneDoc.id });
    const accepted = await ok(t, 'AGENT', 'acceptServiceRequest', { id: oneDoc.id, targetDepartmentId: t.gid.department('TECH') });
    const task = await draftTask(t, accepted.id);
    await until('the filtered events', () => has(byDocument, oneDoc.id, 'ACCEPT') && has(tasksOnly, task.id, 'CREATE'));
    expect(seen(byDocument)).toEqual([
      ['ServiceRequest', 'SUBMIT', oneDoc.id],
      ['ServiceRequest', 'ACCEPT', oneDoc.id],
    ]);
    expect(seen(tasksOnly)).toEqual([['ServiceTask', 'CREATE', task.id]]);

    const bad = sub('AGENT', EVENTS, { types: ['NoSuchType'] });
    await bad.completed;
    expect(JSON.stringify(bad.received)).toMatch(/Not document types: NoSuchType/);
  });

  test('authentication: the token in connection_init or the upgrade header; a bad or missing one closes 4401, and so does a token revoked while subscribed', async () => {
    expect(await sub(null, EVENTS, undefined, 'none').closed).toBe(4401);
    const bad = subscribe(t.url, 'sdd_not-a-token', EVENTS);
    open.push(bad);
    expect(await bad.closed).toBe(4401);
    const badHeader = subscribe(t.url, 'sdd_not-a-token', EVENTS, undefined, 'header');
    open.push(badHeader);
    expect(await badHeader.closed).toBe(4401);
    expect(bad.received).toEqual([]);

    const viaHeader = sub('CUSTOMER_ACME_2', EVENTS, undefined, 'header');
    await until('subscribed', () => t.api.liveSubscriptions() === 1);
    const sr = await createRequest(t, 'CUSTOMER_ACME_2');
    await until('the header-authenticated subscriber has it', () => has(viaHeader, sr.id, 'CREATE'));

    // revoked while connected: the next event closes the socket instead of being delivered
    await t.owner.query(`UPDATE api_token SET revoked_at = now() WHERE user_id = $1`, [t.ids.users.CUSTOMER_ACME_2]);
    const after = await createRequest(t);
    expect(await viaHeader.closed).toBe(4401);
    expect(has(viaHeader, after.id, 'CREATE')).toBe(false);
    await t.owner.query(`UPDATE api_token SET revoked_at = NULL WHERE user_id = $1`, [t.ids.users.CUSTOMER_ACME_2]);
  });

  test('limits: the query limits apply to subscription documents; a caller holds at most maxPerCaller at once; HTTP still refuses subscriptions', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: documentType`).join(' ');
    const wide = `subscription { documentEvents { ${aliases} } }`;
    const tooWide = sub('AGENT', wide);
    await tooWide.completed;
    // refused as the same document is refused over HTTP (before the HTTP edge's own refusal of subscriptions)
    const overHttpWide = await t.gql('AGENT', wide);
    expect(overHttpWide.errors?.[0].message).toMatch(/^Aliases limit of 15 exceeded/);
    expect(tooWide.errors).toEqual([[expect.objectContaining({ message: overHttpWide.errors?.[0].message, extensions: overHttpWide.errors?.[0].extensions })]]);

    const overWs = sub('AGENT', `{ departments { code } }`);
    await overWs.completed;
    expect(overWs.errors).toEqual([[expect.objectContaining({ extensions: { code: 'OPERATION_NOT_SUPPORTED' } })]]);

    const first = sub('AGENT');
    const second = sub('AGENT');
    await until('two held', () => t.api.liveSubscriptions() === 2);
    const third = sub('AGENT');
    await third.completed;
    expect(third.errors).toEqual([[expect.objectContaining({ extensions: { code: 'RATE_LIMITED' } })]]);
    await first.dispose();
    await until('one released', () => t.api.liveSubscriptions() === 1);
    const fourth = sub('AGENT');
    await until('a slot again', () => t.api.liveSubscriptions() === 2);
    const sr = await createRequest(t);
    await until('both get it', () => has(second, sr.id, 'CREATE') && has(fourth, sr.id, 'CREATE'));

    const overHttp = await t.gql('AGENT', `subscription { documentEvents { documentType } }`);
    expect(overHttp.errors?.[0].extensions?.code).toBe('OPERATION_NOT_SUPPORTED');
  });
});

describe('two API processes', () => {
  let t: TestApi;
  let other: ApiProcess | null = null;
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await t?.close();
  });

  test('an event committed through one process reaches a subscriber of the other', async () => {
    t = await startTestApi();
    other = await startApiProcess(t.databaseUrl, undefined, { env: { JOBS: 'off' } });
    const agent = subscribe(t.url, t.tokens.AGENT, EVENTS);
    try {
      await until('subscribed', () => t.api.liveSubscriptions() === 1);
      const res = await post(other.url, t.tokens.CUSTOMER_ACME, `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } userErrors { code } } }`, { input: COMPLETE_REQUEST });
      expect(res.body.data.createServiceRequest.userErrors).toEqual([]);
      const id = res.body.data.createServiceRequest.serviceRequest.id;
      await until('the other process’s event', () => has(agent, id, 'CREATE'));
      expect(idOf(agent.received[0].documentEvents.documentId, 'ServiceRequest')).not.toBeNull();
    } finally {
      await agent.dispose();
    }
  });
});
