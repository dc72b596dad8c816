/**
 * The customer's consent to the quote (SPEC §3.2, seed 004's repair flow): a chargeable task starts only
 * with the customer's consent to its quoted price and times as they are now; a change after consent needs
 * consent again; a decline returns the task to its supervisor; a warranty task needs none.
 */
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, act, assignedTask, ok } from '../support/chain';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const QUOTE = { chargeable: true, quotedPrice: 1800 };
const CONSENT_FIELDS = `id state version chargeable quotedPrice plannedStart declineReason consent { price plannedStart plannedEnd signerName channel at }
  availableEvents { event allowed code reason }`;

async function task(who: string, id: string) {
  const res = await t.gql(who, `query($id: ID!) { serviceTask(id: $id) { ${CONSENT_FIELDS} } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.serviceTask;
}
const allowed = (doc: any, event: string) => doc.availableEvents.find((e: any) => e.event === event);
async function historyOf(id: string) {
  const res = await t.gql('AGENT', `query($id: ID!) { serviceTask(id: $id) { history(first: 100) { nodes { event actor { name } } } } }`, { id });
  return res.data.serviceTask.history.nodes.map((h: any) => h.event);
}

test('a chargeable task needs its quoted price before it goes for approval', async () => {
  const sr = await acceptedRequest(t);
  const draft = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: sr.id, assigneeId: t.gid.user('TECHNICIAN'), description: 'Repair', plannedStart: '2026-12-01T01:00:00.000Z', plannedEnd: '2026-12-01T09:00:00.000Z', estimatedCost: 900, chargeable: true });
  const refused = await act(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: draft.id });
  expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'GUARD_FAILED', message: expect.stringContaining('quoted price') })]);
});

test('it cannot start before the customer consents; the customer sees the quote and consents in the portal', async () => {
  const sr = await acceptedRequest(t);
  const approved = await assignedTask(t, sr.id, QUOTE);
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: approved.id });
  const blocked = await act(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id });
  expect(blocked.userErrors).toEqual([expect.objectContaining({ code: 'GUARD_FAILED', message: expect.stringContaining('consented') })]);
  expect(blocked.doc.state).toBe('CONFIRMED');

  // the customer sees the plan and the quote, and may consent or decline
  const seen = await task('CUSTOMER_ACME', approved.id);
  expect(seen).toMatchObject({ state: 'CONFIRMED', chargeable: true, quotedPrice: 1800, consent: null });
  expect(allowed(seen, 'CONSENT')).toMatchObject({ allowed: true });
  expect(allowed(seen, 'DECLINE')).toMatchObject({ allowed: true });
  expect(allowed(seen, 'START')).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  // another organisation's portal user cannot even see it
  expect((await t.gql('CUSTOMER_HUAXIA', `query($id: ID!) { serviceTask(id: $id) { id } }`, { id: approved.id })).data.serviceTask).toBeNull();

  await ok(t, 'CUSTOMER_ACME', 'consentServiceTask', { id: approved.id });
  const consented = await task('CUSTOMER_ACME', approved.id);
  expect(consented.consent).toMatchObject({ price: 1800, plannedStart: '2026-12-01T01:00:00.000Z', signerName: 'Alice Acme', channel: 'PORTAL' });
  // consenting twice to the same terms is refused
  expect(allowed(consented, 'CONSENT')).toMatchObject({ allowed: false, code: 'GUARD_FAILED' });
  expect((await ok(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).state).toBe('IN_PROGRESS');
  expect(await historyOf(approved.id)).toEqual(expect.arrayContaining(['CONSENT', 'START']));
});

test('a change of the quoted price or times after consent needs consent again, recorded by an agent from a phone call', async () => {
  const sr = await acceptedRequest(t);
  const approved = await assignedTask(t, sr.id, QUOTE);
  await ok(t, 'CUSTOMER_ACME', 'consentServiceTask', { id: approved.id });
  // the supervisor raises the price: the consent no longer covers the quote
  await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: approved.id, quotedPrice: 2100 });
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: approved.id });
  expect((await task('AGENT', approved.id)).consent).toBeNull();
  expect((await act(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).userErrors[0].code).toBe('GUARD_FAILED');

  // customer service records consent given by phone: the person's name and the channel are required
  const nameless = await act(t, 'AGENT', 'consentServiceTask', { id: approved.id, channel: 'PHONE' });
  expect(nameless.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'signerName' })]);
  expect(nameless.doc.version).toBe((await task('AGENT', approved.id)).version);
  await ok(t, 'AGENT', 'consentServiceTask', { id: approved.id, channel: 'PHONE', signerName: 'Alice Acme (by phone)' });
  expect((await task('AGENT', approved.id)).consent).toMatchObject({ price: 2100, channel: 'PHONE', signerName: 'Alice Acme (by phone)' });

  // a later change of the planned times needs consent again as well
  await ok(t, 'SUPERVISOR_TECH', 'updateServiceTask', { id: approved.id, plannedStart: '2026-12-02T01:00:00.000Z', plannedEnd: '2026-12-02T09:00:00.000Z' });
  expect((await act(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).userErrors[0].code).toBe('GUARD_FAILED');
  await ok(t, 'CUSTOMER_ACME', 'consentServiceTask', { id: approved.id });
  expect((await ok(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).state).toBe('IN_PROGRESS');
});

test('a decline returns the task to its supervisor, who revises it; the revised quote goes through approval and consent again', async () => {
  const sr = await acceptedRequest(t);
  const approved = await assignedTask(t, sr.id, QUOTE);
  const noReason = await act(t, 'CUSTOMER_ACME', 'declineServiceTask', { id: approved.id, reason: '' });
  expect(noReason.userErrors[0].code).toBe('VALIDATION');
  const declined = await ok(t, 'CUSTOMER_ACME', 'declineServiceTask', { id: approved.id, reason: 'Too expensive for us this quarter.' });
  expect(declined.state).toBe('QUOTE_DECLINED');
  expect((await task('SUPERVISOR_TECH', approved.id)).declineReason).toBe('Too expensive for us this quarter.');
  // nobody starts a declined task; only its supervisor revises or cancels it
  expect((await act(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).userErrors[0].code).toBe('INVALID_TRANSITION');
  expect((await act(t, 'CUSTOMER_ACME', 'reviseServiceTask', { id: approved.id, quotedPrice: 1 })).userErrors[0].code).toBe('FORBIDDEN');
  const revised = await ok(t, 'SUPERVISOR_TECH', 'reviseServiceTask', { id: approved.id, quotedPrice: 1500 });
  expect(revised.state).toBe('DRAFT');
  await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: approved.id });
  await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: approved.id });
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: approved.id });
  expect((await act(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).userErrors[0].code).toBe('GUARD_FAILED');
  await ok(t, 'CUSTOMER_ACME', 'consentServiceTask', { id: approved.id });
  expect((await task('CUSTOMER_ACME', approved.id)).consent.price).toBe(1500);
  expect((await ok(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).state).toBe('IN_PROGRESS');
});

test('a warranty task needs no consent: the customer is not asked, and the work starts', async () => {
  const sr = await acceptedRequest(t);
  const approved = await assignedTask(t, sr.id);
  const seen = await task('CUSTOMER_ACME', approved.id);
  expect(seen).toMatchObject({ chargeable: false, consent: null });
  expect(allowed(seen, 'CONSENT')).toMatchObject({ allowed: false, code: 'GUARD_FAILED' });
  expect((await act(t, 'CUSTOMER_ACME', 'consentServiceTask', { id: approved.id })).userErrors[0].code).toBe('GUARD_FAILED');
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: approved.id });
  expect((await ok(t, 'TECHNICIAN', 'startServiceTask', { id: approved.id })).state).toBe('IN_PROGRESS');
  expect(await historyOf(approved.id)).not.toContain('CONSENT');
});

test('only the request\'s customer or customer service answers the quote', async () => {
  const sr = await acceptedRequest(t);
  const approved = await assignedTask(t, sr.id, QUOTE);
  expect((await act(t, 'TECHNICIAN', 'consentServiceTask', { id: approved.id })).userErrors[0].code).toBe('FORBIDDEN');
  expect((await act(t, 'SUPERVISOR_TECH', 'declineServiceTask', { id: approved.id, reason: 'no' })).userErrors[0].code).toBe('FORBIDDEN');
  expect((await task('AGENT', approved.id)).version).toBe(approved.version);
});
