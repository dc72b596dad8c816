/**
 * The monthly processing of returned old parts and supplier claims (二次索賠, SPEC §3.6, seed 003 §3.7.5, §3.8),
 * over HTTP with demo tokens on the real server: the store receives old parts, the monthly run gathers them into
 * one batch and draws up one claim per department and supplier — once, however many runs at once — and the claim
 * is followed to its settlement by the store or the department's supervisor, never by a technician or a customer.
 */
import { OldPartBatch, OldPartBatchItem, SupplierClaim } from '../../src/documents/supplier-claim/supplier-claim.entity';
import { processOldParts } from '../../src/documents/supplier-claim/supplier-claim.processing';
import { idOf } from '../../src/graphql/global-id';
import { crontab, OLD_PARTS_TASK } from '../../src/jobs/runner';
import { loadConfig } from '../../src/config';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, inProgressTask, submittedRecord } from '../support/chain';
import { USER_ERRORS } from '../support/documents';
import { until } from '../support/ws';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

type Payload = { doc: any; userErrors: Array<{ code: string; message: string; field: string | null }> };

const PR_INPUT: Record<string, string> = { create: 'CreatePartsRequisitionInput', consume: 'ConsumePartsRequisitionInput', receiveOldParts: 'ReceiveOldPartsPartsRequisitionInput' };
async function parts(who: string, verb: string, input: Record<string, unknown>) {
  const res = await t.gql(who, `mutation($input: ${PR_INPUT[verb] ?? 'DocumentEventInput'}!) { r: ${verb}PartsRequisition(input: $input) { partsRequisition { id number } ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  expect(res.data.r.userErrors).toEqual([]);
  return res.data.r.partsRequisition;
}

const SC_FIELDS = `id number state version periodFrom supplier claimedAmount acceptedAmount supplierReference rejectionReason cancellationReason settlementNote submittedAt decidedAt settledAt
  department { code } lines { requisitionNumber line partNumber partName quantity unitCost amount receivedAt }`;
const SC_INPUT: Record<string, string> = { submit: 'SubmitSupplierClaimInput', accept: 'AcceptSupplierClaimInput', settle: 'SettleSupplierClaimInput', reject: 'ReasonEventInput', cancel: 'ReasonEventInput' };
async function act(who: string, verb: string, input: Record<string, unknown>): Promise<Payload> {
  const mutation = `${verb}SupplierClaim`;
  const res = await t.gql(who, `mutation($input: ${SC_INPUT[verb] ?? 'DocumentEventInput'}!) { ${mutation}(input: $input) { supplierClaim { ${SC_FIELDS} } ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return { doc: res.data[mutation].supplierClaim, userErrors: res.data[mutation].userErrors };
}
async function ok(who: string, verb: string, input: Record<string, unknown>) {
  const out = await act(who, verb, input);
  expect({ verb, userErrors: out.userErrors }).toEqual({ verb, userErrors: [] });
  return out.doc;
}
const row = (id: string) => t.dataSource.getRepository(SupplierClaim).findOneByOrFail({ id: idOf(id, 'SupplierClaim')! });
async function expectUnchanged(id: string, code: string, attempt: () => Promise<Payload>): Promise<Payload> {
  const documentId = idOf(id, 'SupplierClaim')!;
  const before = await row(id);
  const events = await t.dataSource.getRepository(AuditEvent).countBy({ documentId });
  const out = await attempt();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await row(id)).toEqual(before);
  expect(await t.dataSource.getRepository(AuditEvent).countBy({ documentId })).toBe(events);
  return out;
}

const BEARING = { partNumber: 'FP-BRG-6205', partName: 'Bearing 6205-2RS', quantity: 2, unitCost: 300, underWarranty: true };
const IMPELLER = { partNumber: 'FP-IMP-80', partName: 'Impeller 80 mm', quantity: 1, unitCost: 1250.5, underWarranty: true };
const SEAL = { partNumber: 'FP-SEAL-40', partName: 'Mechanical seal', quantity: 1, unitCost: 150, underWarranty: false };

/** an issued requisition of TECHNICIAN's working task, consumed with every old part RETURNED */
async function consumedWithReturns(lines: unknown[]) {
  const task = await inProgressTask(t, (await acceptedRequest(t)).id);
  const record = await submittedRecord(t, task.id);
  const pr = await parts('TECHNICIAN', 'create', { taskId: task.id, lines });
  await parts('TECHNICIAN', 'submit', { id: pr.id });
  await parts('SUPERVISOR_TECH', 'approve', { id: pr.id });
  await parts('STOREKEEPER', 'issue', { id: pr.id });
  await parts('TECHNICIAN', 'consume', { id: pr.id, recordId: record.id, lines: lines.map((_, i) => ({ line: i + 1, oldPart: 'RETURNED' })) });
  return pr;
}

/** the second of the month after `months` months from now, in UTC: its previous month in Asia/Shanghai is now's month + months - 1 */
function monthAfter(months: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 2, 6));
}
const thisMonth = (months = 0) => {
  const d = monthAfter(months);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
};

const counts = async () => ({
  batches: await t.dataSource.getRepository(OldPartBatch).count(),
  items: await t.dataSource.getRepository(OldPartBatchItem).count(),
  claims: await t.dataSource.getRepository(SupplierClaim).count(),
});

let claimId: string;

describe('the monthly processing of returned old parts', () => {
  test('runs from the crontab once a month (OLD_PARTS_CRON, a day\'s fill, one job key)', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.jobs.oldPartsCron).toBe('0 2 1 * *');
    expect(crontab(config.jobs, { breachCron: '* * * * *' }).split('\n')).toContain(`0 2 1 * * ${OLD_PARTS_TASK} ?fill=1d&jobKey=${OLD_PARTS_TASK}`);
  });

  test('two runs at once make one batch and one claim per department and supplier; a third run makes nothing', async () => {
    const a = await consumedWithReturns([BEARING, SEAL]);
    const b = await consumedWithReturns([IMPELLER]);
    const late = await consumedWithReturns([BEARING]);
    await parts('STOREKEEPER', 'receiveOldParts', { id: a.id, lines: [{ line: 1, supplier: 'Harbin Bearing Co.', supplierWarranty: true }, { line: 2, supplier: 'Pump Seals Ltd' }] });
    // the same supplier, written differently: one claim
    await parts('STOREKEEPER', 'receiveOldParts', { id: b.id, lines: [{ line: 1, supplier: ' harbin bearing co. ', supplierWarranty: true }] });
    const before = await counts();
    expect(before).toEqual({ batches: 0, items: 0, claims: 0 });

    const runs = await Promise.all([processOldParts(t.dataSource, t.api.engine, monthAfter(1)), processOldParts(t.dataSource, t.api.engine, monthAfter(1))]);
    expect(runs.map((r) => r.processed).sort()).toEqual([false, true]);
    expect(runs.find((r) => r.processed)).toEqual({ periodFrom: thisMonth(1), processed: true, items: 3, claims: 1 });
    expect(await counts()).toEqual({ batches: 1, items: 3, claims: 1 });
    expect(await processOldParts(t.dataSource, t.api.engine, monthAfter(1))).toEqual({ periodFrom: thisMonth(1), processed: false, items: 0, claims: 0 });
    expect(await counts()).toEqual({ batches: 1, items: 3, claims: 1 });

    // the claim: the two supplier-warranty parts, not the seal (no supplier warranty), not the part not yet received
    const list = await t.gql('STOREKEEPER', `{ supplierClaims(first: 10) { totalCount nodes { ${SC_FIELDS} } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.supplierClaims.totalCount).toBe(1);
    const claim = list.data.supplierClaims.nodes[0];
    claimId = claim.id;
    expect(claim).toMatchObject({ state: 'DRAFT', number: expect.stringMatching(/^SC-\d{4}-\d{6}$/), periodFrom: thisMonth(1), supplier: 'Harbin Bearing Co.', claimedAmount: 1850.5, department: { code: 'TECH' } });
    expect(claim.lines.map((l: any) => [l.requisitionNumber, l.line, l.partNumber, l.quantity, l.amount])).toEqual(
      [
        [a.number, 1, 'FP-BRG-6205', 2, 600],
        [b.number, 1, 'FP-IMP-80', 1, 1250.5],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    // drawn up by the system, in its history
    const history = await t.gql('AGENT', `query($id: ID!) { supplierClaim(id: $id) { history { nodes { event toState actor { name } } } } }`, { id: claimId });
    expect(history.data.supplierClaim.history.nodes).toEqual([{ event: 'CREATE', toState: 'DRAFT', actor: { name: 'system' } }]);

    // a part received after the run goes into the next month's batch (and its own claim); the processed ones never again
    await parts('STOREKEEPER', 'receiveOldParts', { id: late.id, lines: [{ line: 1, supplier: 'Wuxi Bearings', supplierWarranty: true }] });
    expect(await processOldParts(t.dataSource, t.api.engine, monthAfter(2))).toEqual({ periodFrom: thisMonth(2), processed: true, items: 1, claims: 1 });
    expect(await counts()).toEqual({ batches: 2, items: 4, claims: 2 });

    // the store reads the batches: which old parts went into a claim, which are left to scrap or keep
    const q = `{ oldPartBatches { periodFrom itemCount claimCount items { requisitionNumber line partNumber supplier supplierWarranty underWarranty claim { id } } } }`;
    const batches = await t.gql('STOREKEEPER', q);
    expect(batches.errors).toBeUndefined();
    expect(batches.data.oldPartBatches.map((b: any) => [b.periodFrom, b.itemCount, b.claimCount])).toEqual([[thisMonth(2), 1, 1], [thisMonth(1), 3, 1]]);
    const items = batches.data.oldPartBatches[1].items.map((i: any) => [i.requisitionNumber, i.line, i.supplier, i.supplierWarranty, i.claim?.id ?? null]);
    expect(items).toEqual(
      [
        [a.number, 1, 'Harbin Bearing Co.', true, claimId],
        [a.number, 2, 'Pump Seals Ltd', false, null],
        [b.number, 1, 'harbin bearing co.', true, claimId],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0])) || Number(x[1]) - Number(y[1])),
    );
    // a supervisor reads their department's parts only; technicians and customers not at all
    expect((await t.gql('SUPERVISOR_SALES', q)).data.oldPartBatches.map((b: any) => b.items)).toEqual([[], []]);
    expect((await t.gql('SUPERVISOR_TECH', q)).data.oldPartBatches[1].items).toHaveLength(3);
    for (const who of ['TECHNICIAN', 'CUSTOMER_ACME']) expect((await t.gql(who, q)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the cron task on the job runner', () => {
  test('process_old_parts_monthly runs in the API\'s job runner, by its clock; two queued runs make one batch', async () => {
    // the runner's clock on the 2nd of March (Shanghai): it processes February
    const jobs = await startTestApi({ clock: () => new Date('2027-03-02T01:00:00.000Z'), jobs: { enabled: true, concurrency: 2 } });
    try {
      await jobs.owner.query(`SELECT graphile_worker.add_job($1), graphile_worker.add_job($1)`, [OLD_PARTS_TASK]);
      const left = async () => Number((await jobs.owner.query(`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = $1`, [OLD_PARTS_TASK]))[0].n);
      await until('both queued runs done', async () => (await left()) === 0, 30_000);
      expect(await jobs.owner.query(`SELECT to_char(period_from, 'YYYY-MM-DD') AS period, item_count::int AS items, claim_count::int AS claims FROM old_part_batch`)).toEqual([{ period: '2027-02-01', items: 0, claims: 0 }]);
    } finally {
      await jobs.close();
    }
  });
});

describe('a supplier claim', () => {
  test('is handled by the store or the department\'s supervisor, from DRAFT to SETTLED; each refusal changes nothing', async () => {
    // no create mutation: only the monthly processing draws a claim up
    const mutations = (await t.gql('AGENT', `{ __schema { mutationType { fields { name } } } }`)).data.__schema.mutationType.fields.map((f: any) => f.name);
    expect(mutations.filter((m: string) => m.endsWith('SupplierClaim')).sort()).toEqual(['acceptSupplierClaim', 'archiveSupplierClaim', 'cancelSupplierClaim', 'rejectSupplierClaim', 'settleSupplierClaim', 'submitSupplierClaim']);

    // a technician, another department's supervisor and a customer do not see it; acting on it is acting on nothing
    for (const who of ['TECHNICIAN', 'SUPERVISOR_SALES', 'CUSTOMER_ACME']) await expectUnchanged(claimId, 'NOT_FOUND', () => act(who, 'submit', { id: claimId }));
    await expectUnchanged(claimId, 'INVALID_TRANSITION', () => act('STOREKEEPER', 'accept', { id: claimId, acceptedAmount: 1 }));

    const sent = await ok('STOREKEEPER', 'submit', { id: claimId, supplierReference: 'HBC-RMA-2026-118' });
    expect(sent).toMatchObject({ state: 'SUBMITTED', supplierReference: 'HBC-RMA-2026-118', submittedAt: expect.any(String) });
    const tooMuch = await expectUnchanged(claimId, 'VALIDATION', () => act('SUPERVISOR_TECH', 'accept', { id: claimId, acceptedAmount: 1850.51 }));
    expect(tooMuch.userErrors[0]).toMatchObject({ field: 'acceptedAmount', message: expect.stringMatching(/at most the claimed 1850.5/) });
    await expectUnchanged(claimId, 'VALIDATION', () => act('SUPERVISOR_TECH', 'accept', { id: claimId, acceptedAmount: -1 }));
    const accepted = await ok('SUPERVISOR_TECH', 'accept', { id: claimId, acceptedAmount: 1600 });
    expect(accepted).toMatchObject({ state: 'ACCEPTED', acceptedAmount: 1600, decidedAt: expect.any(String) });
    await expectUnchanged(claimId, 'VALIDATION', () => act('STOREKEEPER', 'settle', { id: claimId, settlementNote: '  ' }));
    const settled = await ok('STOREKEEPER', 'settle', { id: claimId, settlementNote: 'Credit note HBC-CN-5521 against the next order' });
    expect(settled).toMatchObject({ state: 'SETTLED', settlementNote: 'Credit note HBC-CN-5521 against the next order', settledAt: expect.any(String) });
    await expectUnchanged(claimId, 'INVALID_TRANSITION', () => act('STOREKEEPER', 'reject', { id: claimId, reason: 'late' }));

    const res = await t.gql('SUPERVISOR_TECH', `query($id: ID!) { supplierClaim(id: $id) { history { nodes { event toState actor { name } } } } verifyAuditChain(documentId: $id) { valid } }`, { id: claimId });
    expect(res.data.supplierClaim.history.nodes.map((h: any) => [h.event, h.toState, h.actor.name])).toEqual([
      ['CREATE', 'DRAFT', 'system'],
      ['SUBMIT', 'SUBMITTED', 'He Ping (備件管理員)'],
      ['ACCEPT', 'ACCEPTED', 'Wang Qiang (技術支持部主管)'],
      ['SETTLE', 'SETTLED', 'He Ping (備件管理員)'],
    ]);
    expect(res.data.verifyAuditChain).toEqual({ valid: true });
  });

  test('rejected by the supplier with a reason (required, as for withdrawing a draft)', async () => {
    const claims = (await t.gql('STOREKEEPER', `{ supplierClaims(filter: { state: [DRAFT] }) { nodes { id supplier } } }`)).data.supplierClaims.nodes;
    expect(claims.map((c: any) => c.supplier)).toEqual(['Wuxi Bearings']);
    const id = claims[0].id;
    await expectUnchanged(id, 'VALIDATION', () => act('STOREKEEPER', 'cancel', { id, reason: '' }));
    await ok('STOREKEEPER', 'submit', { id });
    await expectUnchanged(id, 'VALIDATION', () => act('SUPERVISOR_TECH', 'reject', { id, reason: ' ' }));
    expect(await ok('SUPERVISOR_TECH', 'reject', { id, reason: 'Outside the supplier\'s 12-month warranty' })).toMatchObject({ state: 'REJECTED', rejectionReason: 'Outside the supplier\'s 12-month warranty' });
  });

  test('who reads claims: the store, the department\'s supervisors, customer service and executives — never a technician or a customer', async () => {
    const q = `query($id: ID!) { supplierClaims(first: 10) { totalCount } node(id: $id) { id } supplierClaim(id: $id) { id claimedAmount } }`;
    for (const who of ['STOREKEEPER', 'SUPERVISOR_TECH', 'AGENT', 'EXECUTIVE']) {
      const res = await t.gql(who, q, { id: claimId });
      expect({ who, data: res.data }).toEqual({ who, data: { supplierClaims: { totalCount: 2 }, node: { id: claimId }, supplierClaim: { id: claimId, claimedAmount: 1850.5 } } });
    }
    for (const who of ['TECHNICIAN', 'TECHNICIAN_2', 'SUPERVISOR_SALES', 'CUSTOMER_ACME', 'ARCHIVIST']) {
      const res = await t.gql(who, q, { id: claimId });
      expect({ who, data: res.data }).toEqual({ who, data: { supplierClaims: { totalCount: 0 }, node: null, supplierClaim: null } });
    }
  });
});
