/**
 * The return visit (回訪, SPEC §4, seed 004): after a request is completed its RETURN_VISIT deadline is open;
 * customer service records the visit with the customer's satisfaction, which meets it; a dissatisfied
 * customer opens a follow-up (FOLLOW_UP) that customer service closes saying what was done.
 */
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, act, inProgressTask, latestAcceptance, ok, PASS, submittedRecord } from '../support/chain';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

async function completedRequest() {
  const sr = await acceptedRequest(t);
  const task = await inProgressTask(t, sr.id);
  await submittedRecord(t, task.id);
  await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: task.id });
  const acceptance = await latestAcceptance(t, task.id);
  await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acceptance.id, ...PASS, signerName: 'Alice Acme' });
  await ok(t, 'AGENT', 'verifyServiceAcceptance', { id: acceptance.id });
  return sr;
}

const READ = `query($id: ID!) { serviceRequest(id: $id) { state version returnVisitAt returnVisitSatisfaction returnVisitNote followUpNote deadlines { kind metAt } } }`;
const read = async (who: string, id: string) => (await t.gql(who, READ, { id })).data.serviceRequest;

test('a satisfied customer: the visit is recorded and the RETURN_VISIT deadline met; the request stays COMPLETED', async () => {
  const sr = await completedRequest();
  expect((await read('AGENT', sr.id)).deadlines.find((d: any) => d.kind === 'RETURN_VISIT')).toEqual({ kind: 'RETURN_VISIT', metAt: null });
  const done = await ok(t, 'AGENT', 'recordReturnVisitServiceRequest', { id: sr.id, satisfaction: 'SATISFIED', note: 'All good, pump runs.' });
  expect(done.state).toBe('COMPLETED');
  const seen = await read('AGENT', sr.id);
  expect(seen).toMatchObject({ returnVisitSatisfaction: 'SATISFIED', returnVisitNote: 'All good, pump runs.' });
  expect(seen.deadlines.find((d: any) => d.kind === 'RETURN_VISIT').metAt).not.toBeNull();
});

test('a dissatisfied customer opens a follow-up; customer service closes it; only customer service records either', async () => {
  const sr = await completedRequest();
  const refused = await act(t, 'CUSTOMER_ACME', 'recordReturnVisitServiceRequest', { id: sr.id, satisfaction: 'VERY_SATISFIED', note: 'I say so myself' });
  expect(refused.userErrors[0].code).toBe('FORBIDDEN');
  const blank = await act(t, 'AGENT', 'recordReturnVisitServiceRequest', { id: sr.id, satisfaction: 'DISSATISFIED', note: '' });
  expect(blank.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: 'note' });
  expect((await read('AGENT', sr.id)).returnVisitAt).toBeNull();
  const followUp = await ok(t, 'AGENT', 'recordReturnVisitServiceRequest', { id: sr.id, satisfaction: 'DISSATISFIED', note: 'The pump is noisy again.' });
  expect(followUp.state).toBe('FOLLOW_UP');
  // nothing archives a request whose follow-up is open
  expect((await act(t, 'ARCHIVIST', 'archiveServiceRequest', { id: sr.id })).userErrors[0].code).toMatch(/NOT_FOUND|INVALID_TRANSITION/);
  const closed = await ok(t, 'AGENT', 'closeFollowUpServiceRequest', { id: sr.id, note: 'Technician re-tightened the mount; customer satisfied.' });
  expect(closed.state).toBe('COMPLETED');
  expect((await read('CUSTOMER_ACME', sr.id)).followUpNote).toBe('Technician re-tightened the mount; customer satisfied.');
});
