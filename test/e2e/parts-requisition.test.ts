/**
 * Parts requisitions (備件領料單, SPEC §3.6, seed 003 §3.6–3.7) over HTTP with demo tokens: asked for by a
 * technician working on the task, approved by tier like the task, issued by the store, written off against a
 * record of the task with the old parts accounted for; never visible to portal users.
 */
import { ApprovalSignature } from '../../src/approval/approval.entity';
import { PartsRequisition } from '../../src/documents/parts-requisition/parts-requisition.entity';
import { idOf } from '../../src/graphql/global-id';
import { AuditEvent } from '../../src/workflow/workflow.entities';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, assignedTask, inProgressTask, ok as chainOk, pendingTask, submittedRecord } from '../support/chain';
import { USER_ERRORS } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const PR_FIELDS = `id number state version totalAmount tier approvalRound rejectionReason cancellationReason submittedAt approvedAt issuedAt consumedAt
  lines { line partNumber partName quantity unitCost amount underWarranty oldPart oldPartNote keptBy oldPartReceivedAt oldPartReceivedBy { name } supplier supplierWarranty }
  writeOffApprovedAt writeOffApprovedBy { name } writeOffComment writtenOffAt writtenOffBy { name }
  requester { name } issuedBy { name } department { code } customer { code } task { id } consumedInRecord { id }
  approvals { round step decision tier signerRole signerName comment }`;

const INPUT_TYPES: Record<string, string> = {
  create: 'CreatePartsRequisitionInput',
  update: 'UpdatePartsRequisitionInput',
  consume: 'ConsumePartsRequisitionInput',
  reject: 'ReasonEventInput',
  receiveOldParts: 'ReceiveOldPartsPartsRequisitionInput',
  cancel: 'ReasonEventInput',
};

type Payload = { doc: any; userErrors: Array<{ code: string; message: string; field: string | null }> };

/** `verb` of a parts requisition (createPartsRequisition, approvePartsRequisition, …) */
async function act(who: string, verb: string, input: Record<string, unknown>): Promise<Payload> {
  const mutation = `${verb}PartsRequisition`;
  const res = await t.gql(who, `mutation($input: ${INPUT_TYPES[verb] ?? 'DocumentEventInput'}!) { ${mutation}(input: $input) { partsRequisition { ${PR_FIELDS} } ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return { doc: res.data[mutation].partsRequisition, userErrors: res.data[mutation].userErrors };
}

async function ok(who: string, verb: string, input: Record<string, unknown>): Promise<any> {
  const out = await act(who, verb, input);
  expect({ verb, userErrors: out.userErrors }).toEqual({ verb, userErrors: [] });
  return out.doc;
}

const row = (id: string) => t.dataSource.getRepository(PartsRequisition).findOneByOrFail({ id: idOf(id, 'PartsRequisition')! });

/** Refused with `code`; the requisition's row, its audit trail and its signatures are exactly as before. */
async function expectUnchanged(id: string, code: string, attempt: () => Promise<Payload>): Promise<Payload> {
  const documentId = idOf(id, 'PartsRequisition')!;
  const before = await row(id);
  const events = await t.dataSource.getRepository(AuditEvent).countBy({ documentId });
  const signatures = await t.dataSource.getRepository(ApprovalSignature).countBy({ documentId });
  const out = await attempt();
  expect(out.userErrors.map((e) => e.code)).toEqual([code]);
  expect(await row(id)).toEqual(before);
  expect(await t.dataSource.getRepository(AuditEvent).countBy({ documentId })).toBe(events);
  expect(await t.dataSource.getRepository(ApprovalSignature).countBy({ documentId })).toBe(signatures);
  return out;
}

const SEAL = { partNumber: 'FP-SEAL-40', partName: 'Feed pump mechanical seal', quantity: 2, unitCost: 150.25, underWarranty: false };
const BEARING = { partNumber: 'FP-BRG-6205', partName: 'Bearing 6205-2RS', quantity: 1, unitCost: 300, underWarranty: true };

/** An IN_PROGRESS task of TECHNICIAN (TECHNICIAN_2 helping), for `customer`. */
async function workingTask(customer = 'CUSTOMER_ACME') {
  const sr = await acceptedRequest(t, customer);
  return inProgressTask(t, sr.id, { helperIds: [t.gid.user('TECHNICIAN_2')] });
}

async function pending(taskId: string, lines: unknown[] = [SEAL, BEARING]) {
  const pr = await ok('TECHNICIAN', 'create', { taskId, lines });
  return ok('TECHNICIAN', 'submit', { id: pr.id });
}

async function approved(taskId: string, lines: unknown[] = [SEAL, BEARING]) {
  const pr = await pending(taskId, lines);
  return ok('SUPERVISOR_TECH', 'approve', { id: pr.id, comment: 'ok' });
}

async function issued(taskId: string, lines: unknown[] = [SEAL, BEARING]) {
  const pr = await approved(taskId, lines);
  return ok('STOREKEEPER', 'issue', { id: pr.id });
}

describe('asking for parts', () => {
  test('a technician working on the task asks; the total is computed from the lines, and replaced lines recompute it', async () => {
    const task = await workingTask();
    const pr = await ok('TECHNICIAN', 'create', { taskId: task.id, lines: [SEAL, BEARING] });
    expect(pr).toMatchObject({ state: 'DRAFT', totalAmount: 600.5, tier: null, approvalRound: 0, requester: { name: 'Zhang Wei (服務人員)' }, department: { code: 'TECH' }, customer: { code: 'ACME' }, task: { id: task.id } });
    expect(pr.number).toMatch(/^PR-\d{4}-\d{6}$/);
    expect(pr.lines.map((l: any) => [l.line, l.partNumber, l.quantity, l.unitCost, l.amount, l.underWarranty, l.oldPart])).toEqual([
      [1, 'FP-SEAL-40', 2, 150.25, 300.5, false, null],
      [2, 'FP-BRG-6205', 1, 300, 300, true, null],
    ]);
    // amounts are summed in fen: 3 × 0.1 is 0.3, not 0.30000000000000004
    const updated = await ok('TECHNICIAN', 'update', { id: pr.id, lines: [{ ...SEAL, quantity: 3, unitCost: 0.1 }] });
    expect(updated).toMatchObject({ totalAmount: 0.3, lines: [expect.objectContaining({ amount: 0.3 })] });
    expect((await row(pr.id)).totalAmount).toBe(0.3);

    // a helper asks too
    expect((await ok('TECHNICIAN_2', 'create', { taskId: task.id, lines: [BEARING] })).requester).toEqual({ name: 'Huang Lei (服務人員)' });
  });

  test('who may not ask, for which tasks, and which lines are refused', async () => {
    const task = await workingTask();
    const count = () => t.dataSource.getRepository(PartsRequisition).count();
    const before = await count();
    // supervisors, customers and the store do not ask for parts (refused before the task is even looked up)
    for (const who of ['SUPERVISOR_TECH', 'CUSTOMER_ACME', 'STOREKEEPER', 'AGENT']) {
      expect((await act(who, 'create', { taskId: task.id, lines: [SEAL] })).userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    }
    // a technician not on the task does not see it
    // (one that goes through, so the count below is seen to move)
    await pending((await workingTask()).id);
    const stranger = await assignedTask(t, (await acceptedRequest(t)).id, { assigneeId: t.gid.user('TECHNICIAN_2') });
    expect((await act('TECHNICIAN', 'create', { taskId: stranger.id, lines: [SEAL] })).userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: 'taskId' })]);
    // a task not yet confirmed is not open for parts
    expect((await act('TECHNICIAN_2', 'create', { taskId: stranger.id, lines: [SEAL] })).userErrors).toEqual([expect.objectContaining({ code: 'GUARD_FAILED', message: expect.stringMatching(/CONFIRMED or IN_PROGRESS/) })]);
    // lines: whole pieces ≥ 1, costs ≥ 0 with at most 2 decimals, text without NUL
    for (const [line, field] of [
      [{ ...SEAL, quantity: 0 }, 'lines.0.quantity'],
      [{ ...SEAL, unitCost: 1.005 }, 'lines.0.unitCost'],
      [{ ...SEAL, unitCost: -1 }, 'lines.0.unitCost'],
      [{ ...SEAL, partNumber: '  ' }, 'lines.0.partNumber'],
      [{ ...SEAL, partName: 'a\u0000b' }, 'lines.0.partName'],
    ] as const) {
      expect((await act('TECHNICIAN', 'create', { taskId: task.id, lines: [line] })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field })]);
    }
    // the message says what is wrong, not "must be a number conforming to the specified constraints"
    expect((await act('TECHNICIAN', 'create', { taskId: task.id, lines: [{ ...SEAL, unitCost: 120.555 }] })).userErrors[0].message).toBe('unitCost must be a number with at most 2 decimals');
    // a total beyond what the amount column holds
    const huge = { ...SEAL, quantity: 1_000_000, unitCost: 999_999_999 };
    expect((await act('TECHNICIAN', 'create', { taskId: task.id, lines: [huge] })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: 'lines' })]);
    expect(await count()).toBe(before + 1);
  });

  test('only the requester changes or submits it, and not without a line', async () => {
    const task = await workingTask();
    const pr = await ok('TECHNICIAN', 'create', { taskId: task.id });
    await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('TECHNICIAN', 'submit', { id: pr.id }));
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN_2', 'update', { id: pr.id, lines: [SEAL] }));
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN_2', 'submit', { id: pr.id }));
    await ok('TECHNICIAN', 'update', { id: pr.id, lines: [SEAL] });
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('SUPERVISOR_TECH', 'submit', { id: pr.id }));
    expect(await ok('TECHNICIAN', 'submit', { id: pr.id })).toMatchObject({ state: 'PENDING_APPROVAL', approvalRound: 1, submittedAt: expect.any(String) });
    // no changes once it is out for approval
    await expectUnchanged(pr.id, 'INVALID_TRANSITION', () => act('TECHNICIAN', 'update', { id: pr.id, lines: [BEARING] }));
  });
});

describe('approval tiers (SPEC §2)', () => {
  test('below the executive threshold the department supervisor\'s approval completes it; the requester never signs', async () => {
    const task = await workingTask();
    const pr = await pending(task.id, [{ ...SEAL, quantity: 1, unitCost: 49_999.99 }]);
    expect(pr).toMatchObject({ state: 'PENDING_APPROVAL', tier: 'SUPERVISOR', totalAmount: 49_999.99 });
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN', 'approve', { id: pr.id }));
    // another department's supervisor does not even see it
    await expectUnchanged(pr.id, 'NOT_FOUND', () => act('SUPERVISOR_SALES', 'approve', { id: pr.id }));
    const done = await ok('SUPERVISOR_TECH', 'approve', { id: pr.id, comment: 'Routine spares.' });
    expect(done).toMatchObject({ state: 'APPROVED', approvedAt: expect.any(String) });
    expect(done.approvals).toEqual([
      expect.objectContaining({ round: 1, step: 'SUPERVISOR', decision: 'APPROVE', tier: 'SUPERVISOR', signerRole: 'SUPERVISOR', signerName: 'Wang Qiang (技術支持部主管)', comment: 'Routine spares.' }),
    ]);
  });

  test('at the threshold the supervisor endorses, cannot approve a second time, and an executive approves', async () => {
    const task = await workingTask();
    const pr = await pending(task.id, [{ ...BEARING, quantity: 4, unitCost: 12_500 }]);
    expect(pr).toMatchObject({ tier: 'EXECUTIVE', totalAmount: 50_000 });
    const early = await expectUnchanged(pr.id, 'APPROVAL_TIER', () => act('EXECUTIVE', 'approve', { id: pr.id }));
    expect(early.userErrors[0].message).toMatch(/endorsement/);
    expect(await ok('SUPERVISOR_TECH', 'approve', { id: pr.id, comment: 'Endorsed.' })).toMatchObject({ state: 'PENDING_EXECUTIVE' });
    for (const who of ['SUPERVISOR_TECH', 'SUPERVISOR_TECH_2']) {
      const refused = await expectUnchanged(pr.id, 'APPROVAL_TIER', () => act(who, 'approve', { id: pr.id }));
      expect(refused.userErrors[0].message).toMatch(/only an executive/);
    }
    const done = await ok('EXECUTIVE', 'approve', { id: pr.id, comment: 'Approved.' });
    expect(done.state).toBe('APPROVED');
    expect(done.approvals.map((a: any) => [a.round, a.step, a.decision, a.signerRole, a.tier])).toEqual([
      [1, 'SUPERVISOR', 'ENDORSE', 'SUPERVISOR', 'EXECUTIVE'],
      [1, 'EXECUTIVE', 'APPROVE', 'EXECUTIVE', 'EXECUTIVE'],
    ]);
  });

  test.each([
    ['a KEY customer\'s task', 'CUSTOMER_HUAXIA', {}],
    ['a COMPLEX task', 'CUSTOMER_ACME', { complexity: 'COMPLEX' }],
  ])('%s raises even a small requisition to the executive tier', async (_name, customer, plan) => {
    // the task itself is executive-tier: endorsed, approved by an executive, confirmed
    const task = await pendingTask(t, (await acceptedRequest(t, customer)).id, plan);
    await chainOk(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id });
    await chainOk(t, 'EXECUTIVE', 'approveServiceTask', { id: task.id });
    await chainOk(t, 'TECHNICIAN', 'confirmServiceTask', { id: task.id });
    // a CONFIRMED task is open for parts: the technician takes them along (seed 003 §3.4.1)
    const pr = await pending(task.id, [SEAL]);
    expect(pr).toMatchObject({ tier: 'EXECUTIVE', totalAmount: 300.5 });
    expect((await ok('SUPERVISOR_TECH', 'approve', { id: pr.id })).state).toBe('PENDING_EXECUTIVE');
  });

  test('rejected (reason required, signature recorded) and resubmitted: a new round in which earlier signatures no longer count', async () => {
    const task = await workingTask();
    const pr = await pending(task.id, [{ ...BEARING, quantity: 5, unitCost: 12_000 }]);
    await ok('SUPERVISOR_TECH', 'approve', { id: pr.id });
    const blank = await expectUnchanged(pr.id, 'VALIDATION', () => act('EXECUTIVE', 'reject', { id: pr.id, reason: '   ' }));
    expect(blank.userErrors[0].field).toBe('reason');
    const rejected = await ok('EXECUTIVE', 'reject', { id: pr.id, reason: 'Five bearings for one pump? Take two.' });
    expect(rejected).toMatchObject({ state: 'DRAFT', rejectionReason: 'Five bearings for one pump? Take two.', approvalRound: 1 });
    expect(rejected.approvals.map((a: any) => [a.round, a.decision, a.signerRole, a.comment])).toEqual([
      [1, 'ENDORSE', 'SUPERVISOR', null],
      [1, 'REJECT', 'EXECUTIVE', 'Five bearings for one pump? Take two.'],
    ]);
    await ok('TECHNICIAN', 'update', { id: pr.id, lines: [{ ...BEARING, quantity: 5, unitCost: 11_000 }] });
    const again = await ok('TECHNICIAN', 'submit', { id: pr.id });
    expect(again).toMatchObject({ state: 'PENDING_APPROVAL', approvalRound: 2, tier: 'EXECUTIVE', totalAmount: 55_000 });
    // the round-1 endorsement does not count: the same supervisor endorses round 2, the executive approves
    expect((await ok('SUPERVISOR_TECH', 'approve', { id: pr.id })).state).toBe('PENDING_EXECUTIVE');
    const done = await ok('EXECUTIVE', 'approve', { id: pr.id });
    expect(done.state).toBe('APPROVED');
    expect(done.approvals.map((a: any) => [a.round, a.decision])).toEqual([[1, 'ENDORSE'], [1, 'REJECT'], [2, 'ENDORSE'], [2, 'APPROVE']]);
  });
});

describe('the store and the write-off', () => {
  test('the storekeeper sees approved requisitions and issues them; a technician cannot', async () => {
    const task = await workingTask();
    const draft = await ok('TECHNICIAN', 'create', { taskId: task.id, lines: [SEAL] });
    const pr = await approved(task.id);
    const node = `query($id: ID!) { node(id: $id) { id } }`;
    expect((await t.gql('STOREKEEPER', node, { id: draft.id })).data.node).toBeNull();
    const queue = await t.gql('STOREKEEPER', `query($task: ID!) { partsRequisitions(filter: { state: [APPROVED], taskId: $task }) { totalCount nodes { id } } }`, { task: task.id });
    expect(queue.data.partsRequisitions).toEqual({ totalCount: 1, nodes: [{ id: pr.id }] });
    // the storekeeper does not read the task or anything else of the chain
    expect((await t.gql('STOREKEEPER', node, { id: task.id })).data.node).toBeNull();
    expect((await t.gql('STOREKEEPER', `query($id: ID!) { partsRequisition(id: $id) { task { id } } }`, { id: pr.id })).data.partsRequisition).toEqual({ task: null });

    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN', 'issue', { id: pr.id }));
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('SUPERVISOR_TECH', 'issue', { id: pr.id }));
    // the store does not call a requisition off
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('STOREKEEPER', 'cancel', { id: pr.id, reason: 'out of stock' }));
    const out = await ok('STOREKEEPER', 'issue', { id: pr.id });
    expect(out).toMatchObject({ state: 'ISSUED', issuedAt: expect.any(String), issuedBy: { name: 'He Ping (備件管理員)' } });
    // once issued it cannot be called off
    await expectUnchanged(pr.id, 'INVALID_TRANSITION', () => act('TECHNICIAN', 'cancel', { id: pr.id, reason: 'not needed' }));
    await expectUnchanged(pr.id, 'INVALID_TRANSITION', () => act('STOREKEEPER', 'issue', { id: pr.id }));
  });

  test('consumed against a record of the task, every warranty part\'s old part accounted for', async () => {
    const task = await workingTask();
    const record = await submittedRecord(t, task.id);
    const otherTask = await workingTask();
    const otherRecord = await submittedRecord(t, otherTask.id);
    const pr = await issued(task.id);
    const lines = [
      { line: 1, oldPart: 'NOT_RETURNED', note: 'seal destroyed on removal' },
      { line: 2, oldPart: 'RETURNED' },
    ];

    // a record of another task, or no record at all
    const wrong = await expectUnchanged(pr.id, 'VALIDATION', () => act('TECHNICIAN', 'consume', { id: pr.id, recordId: otherRecord.id, lines }));
    expect(wrong.userErrors[0].field).toBe('recordId');
    await expectUnchanged(pr.id, 'VALIDATION', () => act('TECHNICIAN', 'consume', { id: pr.id, recordId: task.id, lines }));
    // the warranty line (2) without its old part
    const warranty = await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('TECHNICIAN', 'consume', { id: pr.id, recordId: record.id, lines: [lines[0], { line: 2, oldPart: 'NOT_RETURNED' }] }));
    expect(warranty.userErrors[0].message).toMatch(/warranty part.*old part returned.*seed 003 §3\.6/);
    // every line once
    for (const partial of [[lines[0]], [lines[0], lines[0]], [...lines, { line: 3, oldPart: 'RETURNED' }]]) {
      const refused = await expectUnchanged(pr.id, 'VALIDATION', () => act('TECHNICIAN', 'consume', { id: pr.id, recordId: record.id, lines: partial }));
      expect(refused.userErrors[0].field).toBe('lines');
    }
    // only the requester writes them off
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN_2', 'consume', { id: pr.id, recordId: record.id, lines }));
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('STOREKEEPER', 'consume', { id: pr.id, recordId: record.id, lines }));

    const consumed = await ok('TECHNICIAN', 'consume', { id: pr.id, recordId: record.id, lines });
    expect(consumed).toMatchObject({ state: 'CONSUMED', consumedAt: expect.any(String), consumedInRecord: { id: record.id } });
    expect(consumed.lines.map((l: any) => [l.line, l.underWarranty, l.oldPart, l.oldPartNote])).toEqual([
      [1, false, 'NOT_RETURNED', 'seal destroyed on removal'],
      [2, true, 'RETURNED', null],
    ]);
    // the customer keeping the old part, recorded, also lets a warranty part be written off
    const kept = await issued(task.id, [BEARING]);
    // … with the name of who keeps it, or it is not recorded at all
    const unnamed = await expectUnchanged(kept.id, 'VALIDATION', () => act('TECHNICIAN', 'consume', { id: kept.id, recordId: record.id, lines: [{ line: 1, oldPart: 'KEPT_BY_CUSTOMER', note: 'for the insurer' }] }));
    expect(unnamed.userErrors[0]).toMatchObject({ field: 'lines.0.keptBy', message: expect.stringMatching(/name of who keeps it/) });
    expect((await ok('TECHNICIAN', 'consume', { id: kept.id, recordId: record.id, lines: [{ line: 1, oldPart: 'KEPT_BY_CUSTOMER', keptBy: ' Li Ming (plant manager) ', note: 'plant manager keeps it for the insurer' }] })).lines[0]).toMatchObject({
      oldPart: 'KEPT_BY_CUSTOMER',
      keptBy: 'Li Ming (plant manager)',
      oldPartNote: 'plant manager keeps it for the insurer',
      oldPartReceivedAt: null,
    });

    const res = await t.gql('SUPERVISOR_TECH', `query($id: ID!, $task: ID!) {
      partsRequisition(id: $id) { history(first: 100) { nodes { event fromState toState actor { name } } } }
      serviceTask(id: $task) { partsRequisitions { id state } }
      verifyAuditChain(documentId: $id) { valid } }`, { id: pr.id, task: task.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.partsRequisition.history.nodes.map((h: any) => [h.event, h.toState, h.actor.name])).toEqual([
      ['CREATE', 'DRAFT', 'Zhang Wei (服務人員)'],
      ['SUBMIT', 'PENDING_APPROVAL', 'Zhang Wei (服務人員)'],
      ['APPROVE', 'APPROVED', 'Wang Qiang (技術支持部主管)'],
      ['ISSUE', 'ISSUED', 'He Ping (備件管理員)'],
      ['CONSUME', 'CONSUMED', 'Zhang Wei (服務人員)'],
    ]);
    expect(res.data.serviceTask.partsRequisitions).toEqual([{ id: pr.id, state: 'CONSUMED' }, { id: kept.id, state: 'CONSUMED' }]);
    expect(res.data.verifyAuditChain).toEqual({ valid: true });
  });

  test('called off before the store issues: by the requester with a reason, or by the department\'s supervisor', async () => {
    const task = await workingTask();
    const draft = await ok('TECHNICIAN', 'create', { taskId: task.id, lines: [SEAL] });
    await expectUnchanged(draft.id, 'VALIDATION', () => act('TECHNICIAN', 'cancel', { id: draft.id, reason: '' }));
    expect(await ok('TECHNICIAN', 'cancel', { id: draft.id, reason: 'Found one in the van.' })).toMatchObject({ state: 'CANCELLED', cancellationReason: 'Found one in the van.' });
    const pr = await approved(task.id);
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN_2', 'cancel', { id: pr.id, reason: 'not mine' }));
    expect((await ok('SUPERVISOR_TECH', 'cancel', { id: pr.id, reason: 'Pump to be replaced instead.' })).state).toBe('CANCELLED');
  });
});

describe('visibility', () => {
  test('a customer sees nothing of requisitions: the list is empty, node and the field answer null, the task\'s list is empty', async () => {
    const task = await workingTask();
    const pr = await approved(task.id);
    const res = await t.gql('CUSTOMER_ACME', `query($id: ID!, $task: ID!) {
      partsRequisitions(first: 100) { totalCount nodes { id } }
      node(id: $id) { id } partsRequisition(id: $id) { id }
      serviceTask(id: $task) { id partsRequisitions { id } } }`, { id: pr.id, task: task.id });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ partsRequisitions: { totalCount: 0, nodes: [] }, node: null, partsRequisition: null, serviceTask: { id: task.id, partsRequisitions: [] } });
    // and acting on it is like acting on nothing
    await expectUnchanged(pr.id, 'NOT_FOUND', () => act('CUSTOMER_ACME', 'cancel', { id: pr.id, reason: 'x' }));
  });

  test('the helper on the task reads it; another department\'s supervisor and the archivist do not; filters narrow the list', async () => {
    const task = await workingTask();
    const pr = await pending(task.id);
    const one = `query($id: ID!) { partsRequisition(id: $id) { id } }`;
    expect((await t.gql('TECHNICIAN_2', one, { id: pr.id })).data.partsRequisition).toEqual({ id: pr.id });
    for (const who of ['SUPERVISOR_SALES', 'ARCHIVIST', 'STOREKEEPER']) expect((await t.gql(who, one, { id: pr.id })).data.partsRequisition).toBeNull();
    const list = async (filter: Record<string, unknown>) =>
      (await t.gql('SUPERVISOR_TECH', `query($f: PartsRequisitionFilter) { partsRequisitions(first: 100, filter: $f) { nodes { id } } }`, { f: filter })).data.partsRequisitions.nodes.map((n: any) => n.id);
    expect(await list({ taskId: task.id })).toEqual([pr.id]);
    expect(await list({ taskId: task.id, state: ['APPROVED'] })).toEqual([]);
    expect(await list({ taskId: task.id, requesterId: t.gid.user('TECHNICIAN'), departmentId: t.gid.department('TECH') })).toEqual([pr.id]);
    expect(await list({ taskId: task.id, requesterId: t.gid.user('TECHNICIAN_2') })).toEqual([]);
    expect(await list({ taskId: task.id, departmentId: t.gid.department('SALES') })).toEqual([]);
    expect(await list({ taskId: task.id, createdFrom: '2000-01-01T00:00:00Z', createdTo: '2100-01-01T00:00:00Z' })).toEqual([pr.id]);
    expect(await list({ taskId: task.id, createdTo: '2000-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe('old parts and the warranty write-off (seed 003 §3.6.2, §3.7.4)', () => {
  /** the customer's signature on the record (the service-record branch adds the sign-off; here set as the owner) */
  const customerSigns = (recordId: string) => t.owner.query(`UPDATE service_record SET customer_signed_at = now() WHERE id = $1`, [idOf(recordId, 'ServiceRecord')]);

  /** a requisition consumed against a submitted record of a working task: SEAL's old part not returned, BEARING's (warranty) RETURNED */
  async function consumed(lines: unknown[] = [SEAL, BEARING], consumption: unknown[] = [{ line: 1, oldPart: 'NOT_RETURNED', note: 'destroyed on removal' }, { line: 2, oldPart: 'RETURNED' }]) {
    const task = await workingTask();
    const record = await submittedRecord(t, task.id);
    const pr = await issued(task.id, lines);
    return { record, pr: await ok('TECHNICIAN', 'consume', { id: pr.id, recordId: record.id, lines: consumption }) };
  }

  test('a warranty part is written off only with its old part received, the customer-signed report and a leader\'s approval — each refusal changes nothing', async () => {
    const { record, pr } = await consumed();
    expect(pr).toMatchObject({ state: 'CONSUMED', writeOffApprovedAt: null, writtenOffAt: null });
    // records control: a warranty part still waiting for its write-off keeps the requisition open — not in the
    // register's eligible list, not the archivist's to archive (so bulk archiving never stalls on it)
    const eligible = async () =>
      (await t.gql('ARCHIVIST', `{ archiveEligible(type: "PartsRequisition", first: 100) { nodes { id } } }`)).data.archiveEligible.nodes.map((n: { id: string }) => n.id);
    expect(await eligible()).not.toContain(pr.id);
    await expectUnchanged(pr.id, 'NOT_FOUND', () => act('ARCHIVIST', 'archive', { id: pr.id }));

    // 1. the old part has not reached the store
    const noPart = await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('STOREKEEPER', 'writeOff', { id: pr.id }));
    expect(noPart.userErrors[0].message).toMatch(/old part received by the store/);

    // the store receives it (a technician does not); only a RETURNED line, once; a supplier-warranty part names its supplier
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN', 'receiveOldParts', { id: pr.id, lines: [{ line: 2 }] }));
    const notReturned = await expectUnchanged(pr.id, 'VALIDATION', () => act('STOREKEEPER', 'receiveOldParts', { id: pr.id, lines: [{ line: 1 }] }));
    expect(notReturned.userErrors[0]).toMatchObject({ field: 'lines.0.line', message: expect.stringMatching(/not returned/) });
    const noSupplier = await expectUnchanged(pr.id, 'VALIDATION', () => act('STOREKEEPER', 'receiveOldParts', { id: pr.id, lines: [{ line: 2, supplierWarranty: true }] }));
    expect(noSupplier.userErrors[0].field).toBe('lines.0.supplier');
    const received = await ok('STOREKEEPER', 'receiveOldParts', { id: pr.id, lines: [{ line: 2, supplier: 'Harbin Bearing Co.', supplierWarranty: true }] });
    expect(received.state).toBe('CONSUMED');
    expect(received.lines[1]).toMatchObject({ oldPart: 'RETURNED', oldPartReceivedAt: expect.any(String), oldPartReceivedBy: { name: 'He Ping (備件管理員)' }, supplier: 'Harbin Bearing Co.', supplierWarranty: true });
    expect(received.lines[0]).toMatchObject({ oldPart: 'NOT_RETURNED', oldPartReceivedAt: null });
    const again = await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('STOREKEEPER', 'receiveOldParts', { id: pr.id, lines: [{ line: 2 }] }));
    expect(again.userErrors[0].message).toMatch(/waiting to be received/);

    // 2. the record the parts were consumed in carries no customer signature yet
    const unsigned = await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('STOREKEEPER', 'writeOff', { id: pr.id }));
    expect(unsigned.userErrors[0].message).toMatch(/customer-signed report/);
    await customerSigns(record.id);

    // 3. no leader has approved it
    const unapproved = await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('STOREKEEPER', 'writeOff', { id: pr.id }));
    expect(unapproved.userErrors[0].message).toMatch(/leader's approval/);
    // the leader: a supervisor of the department or an executive — not the requester, not the store, not another department
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN', 'approveWriteOff', { id: pr.id }));
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('STOREKEEPER', 'approveWriteOff', { id: pr.id }));
    await expectUnchanged(pr.id, 'NOT_FOUND', () => act('SUPERVISOR_SALES', 'approveWriteOff', { id: pr.id }));
    const approved = await ok('SUPERVISOR_TECH', 'approveWriteOff', { id: pr.id, comment: 'Signed report and old bearing seen.' });
    expect(approved).toMatchObject({ state: 'CONSUMED', writeOffApprovedAt: expect.any(String), writeOffApprovedBy: { name: 'Wang Qiang (技術支持部主管)' }, writeOffComment: 'Signed report and old bearing seen.' });
    await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('EXECUTIVE', 'approveWriteOff', { id: pr.id }));

    // the store writes off; nobody else does
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('TECHNICIAN', 'writeOff', { id: pr.id }));
    await expectUnchanged(pr.id, 'FORBIDDEN', () => act('SUPERVISOR_TECH', 'writeOff', { id: pr.id }));
    const done = await ok('STOREKEEPER', 'writeOff', { id: pr.id });
    expect(done).toMatchObject({ state: 'WRITTEN_OFF', writtenOffAt: expect.any(String), writtenOffBy: { name: 'He Ping (備件管理員)' } });
    await expectUnchanged(pr.id, 'INVALID_TRANSITION', () => act('STOREKEEPER', 'writeOff', { id: pr.id }));

    const res = await t.gql('STOREKEEPER', `query($id: ID!) { partsRequisition(id: $id) { state history(first: 100) { nodes { event toState actor { name } } } } verifyAuditChain(documentId: $id) { valid } }`, { id: pr.id });
    expect(res.data.partsRequisition.history.nodes.slice(-3).map((h: any) => [h.event, h.toState, h.actor.name])).toEqual([
      ['RECEIVE_OLD_PARTS', 'CONSUMED', 'He Ping (備件管理員)'],
      ['APPROVE_WRITE_OFF', 'CONSUMED', 'Wang Qiang (技術支持部主管)'],
      ['WRITE_OFF', 'WRITTEN_OFF', 'He Ping (備件管理員)'],
    ]);
    expect(res.data.verifyAuditChain).toEqual({ valid: true });
    // the store still reads it once written off; the customer never reads it, nor its part costs
    expect(res.data.partsRequisition.state).toBe('WRITTEN_OFF');
    const customer = await t.gql('CUSTOMER_ACME', `query($id: ID!) { node(id: $id) { id } partsRequisition(id: $id) { totalAmount } }`, { id: pr.id });
    expect(customer.data).toEqual({ node: null, partsRequisition: null });
    expect(await eligible()).toContain(pr.id);
    expect((await ok('ARCHIVIST', 'archive', { id: pr.id })).state).toBe('ARCHIVED');
  });

  test('an old part the customer keeps, recorded with who keeps it, stands for the received part; a requisition without warranty parts has nothing to write off', async () => {
    const { record, pr } = await consumed([BEARING], [{ line: 1, oldPart: 'KEPT_BY_CUSTOMER', keptBy: 'Li Ming', note: 'kept for the insurer' }]);
    expect(pr.lines[0]).toMatchObject({ oldPart: 'KEPT_BY_CUSTOMER', keptBy: 'Li Ming' });
    // nothing awaits the store
    await expectUnchanged(pr.id, 'GUARD_FAILED', () => act('STOREKEEPER', 'receiveOldParts', { id: pr.id, lines: [{ line: 1 }] }));
    await customerSigns(record.id);
    await ok('EXECUTIVE', 'approveWriteOff', { id: pr.id });
    expect((await ok('STOREKEEPER', 'writeOff', { id: pr.id })).state).toBe('WRITTEN_OFF');

    const paid = (await consumed([SEAL], [{ line: 1, oldPart: 'RETURNED' }])).pr;
    const none = await expectUnchanged(paid.id, 'GUARD_FAILED', () => act('SUPERVISOR_TECH', 'approveWriteOff', { id: paid.id }));
    expect(none.userErrors[0].message).toMatch(/no warranty line/);
    await expectUnchanged(paid.id, 'GUARD_FAILED', () => act('STOREKEEPER', 'writeOff', { id: paid.id }));
    // its old part still comes back to the store, for the monthly processing
    expect((await ok('STOREKEEPER', 'receiveOldParts', { id: paid.id, lines: [{ line: 1, supplier: 'Pump Seals Ltd' }] })).lines[0]).toMatchObject({ supplier: 'Pump Seals Ltd', supplierWarranty: false });
    // nothing to write off: closed once consumed, so archivable
    expect((await ok('ARCHIVIST', 'archive', { id: paid.id })).state).toBe('ARCHIVED');
  });

  test('no input of a requisition or a supplier claim records a payment: technicians never collect fees', async () => {
    const res = await t.gql('AGENT', `{ __schema { mutationType { fields { name args { type { ofType { name } } } } } } }`);
    const inputs: string[] = res.data.__schema.mutationType.fields.filter((f: any) => /PartsRequisition$|SupplierClaim$/.test(f.name)).map((f: any) => f.args[0].type.ofType.name);
    const fieldsOf = async (name: string): Promise<string[]> => {
      const type = (await t.gql('AGENT', `query($n: String!) { __type(name: $n) { inputFields { name type { name ofType { name ofType { name } } } } } }`, { n: name })).data.__type;
      const nested = type.inputFields.map((f: any) => f.type.name ?? f.type.ofType?.name ?? f.type.ofType?.ofType?.name).filter((n: string) => /Input$/.test(n));
      return [...type.inputFields.map((f: any) => `${name}.${f.name}`), ...(await Promise.all(nested.map(fieldsOf))).flat()];
    };
    const all = (await Promise.all([...new Set(inputs)].map(fieldsOf))).flat();
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((f) => /pay|fee|cash|collect|charge|paid/i.test(f))).toEqual([]);
  });
});
