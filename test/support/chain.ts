/** One-line builders for the chained documents (task, record, acceptance), over the real API. */
import type { TestApi } from './api';
import { createRequest, USER_ERRORS } from './documents';

export const TASK_FIELDS = `id number state version description plannedStart plannedEnd estimatedCost complexity tier approvalRound resources approvedAt startedAt finishedAt completedAt
  assignee { name } approvals { round step decision tier signerRole signerName comment at signer { name } }`;
export const RECORD_FIELDS = `id number state version actualStart actualEnd returnedAt sendBackReason
  attachments { name contentType size sha256 location }
  customerSignedAt customerSignerName customerSignChannel customerSignMark customerSignRecordedAt customerSignRecordedBy { name }
  customerSignature { name contentType size sha256 location }
  warrantyCheck { coverage dismantled runningHours mileageKm checkedAt }
  repairedFaults { seq faultCode description equipmentModel equipmentSerial warrantyDays warrantyUntil }
  entries { id seq kind text amended author { name } revisions { revision text authorName reason at } }`;
export const ACCEPTANCE_FIELDS = `id number state version round itemsConfirmed qualityScore satisfaction comment signerName signedAt issues verifiedAt`;
export const REQUEST_FIELDS = `id number state version`;

const FIELDS: Record<string, string> = { ServiceTask: TASK_FIELDS, ServiceRecord: RECORD_FIELDS, ServiceAcceptance: ACCEPTANCE_FIELDS, ServiceRequest: REQUEST_FIELDS };

export type Payload = { doc: any; userErrors: Array<{ code: string; message: string; field: string | null }> };

const inputTypes = new Map<string, string>();
async function inputTypeOf(t: TestApi, mutation: string): Promise<string> {
  if (!inputTypes.has(mutation)) {
    const res = await t.gql('AGENT', `{ __type(name: "Mutation") { fields { name args { name type { ofType { name } } } } } }`);
    for (const f of res.data.__type.fields) inputTypes.set(f.name, f.args.find((a: any) => a.name === 'input')?.type.ofType.name);
  }
  const type = inputTypes.get(mutation);
  if (!type) throw new Error(`no mutation ${mutation}`);
  return type;
}

/** Sends any mutation of the chain; `doc` is the payload's document. */
export async function act(t: TestApi, who: string, mutation: string, input: Record<string, unknown>): Promise<Payload> {
  const type = Object.keys(FIELDS).find((k) => mutation.endsWith(k))!;
  const field = type[0].toLowerCase() + type.slice(1);
  const res = await t.gql(who, `mutation($input: ${await inputTypeOf(t, mutation)}!) { ${mutation}(input: $input) { ${field} { ${FIELDS[type]} } ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  const out = res.data[mutation];
  return { doc: out[field], userErrors: out.userErrors };
}

/** Like act, and asserts that it succeeded. */
export async function ok(t: TestApi, who: string, mutation: string, input: Record<string, unknown>): Promise<any> {
  const out = await act(t, who, mutation, input);
  expect({ mutation, userErrors: out.userErrors }).toEqual({ mutation, userErrors: [] });
  return out.doc;
}

/** A customer's request, submitted and accepted for technical support. */
export async function acceptedRequest(t: TestApi, who = 'CUSTOMER_ACME', input: Record<string, unknown> = {}) {
  const sr = await createRequest(t, who, input);
  await ok(t, who, 'submitServiceRequest', { id: sr.id });
  return ok(t, 'AGENT', 'acceptServiceRequest', { id: sr.id, targetDepartmentId: t.gid.department('TECH') });
}

export const PLAN = {
  description: 'Replace the feed pump seal and test under load.',
  plannedStart: '2026-12-01T01:00:00.000Z',
  plannedEnd: '2026-12-01T09:00:00.000Z',
  resources: 'seal kit, torque wrench',
  estimatedCost: 1200,
};

/** A DRAFT task made by SUPERVISOR_TECH for the request, assigned to TECHNICIAN. */
export async function draftTask(t: TestApi, requestId: string, input: Record<string, unknown> = {}) {
  return ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId, assigneeId: t.gid.user('TECHNICIAN'), ...PLAN, ...input });
}

export async function pendingTask(t: TestApi, requestId: string, input: Record<string, unknown> = {}) {
  const task = await draftTask(t, requestId, input);
  return ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: task.id });
}

/** Supervisor tier: SUPERVISOR_TECH_2 approves (SUPERVISOR_TECH created it). */
export async function assignedTask(t: TestApi, requestId: string, input: Record<string, unknown> = {}) {
  const task = await pendingTask(t, requestId, input);
  return ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: task.id, comment: 'ok' });
}

export async function inProgressTask(t: TestApi, requestId: string, input: Record<string, unknown> = {}) {
  const task = await assignedTask(t, requestId, input);
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: task.id });
  return ok(t, 'TECHNICIAN', 'startServiceTask', { id: task.id });
}

/** A repair's warranty check and one repaired fault (SPEC §3.10), as the technician records them. */
export const REPAIR = {
  warrantyCheck: { coverage: 'IN_WARRANTY', dismantled: false, runningHours: 1200 },
  repairedFaults: [{ faultCode: 'E-17', description: 'Feed pump seal leaking under load', equipmentModel: 'FP-40', equipmentSerial: 'SN-40-0001' }],
};

/** Whether the task's request is a repair (its records then carry the warranty check), as `who` sees it. */
async function isRepair(t: TestApi, taskId: string, who: string): Promise<boolean> {
  const res = await t.gql(who, `query($id: ID!) { serviceTask(id: $id) { request { serviceType } } }`, { id: taskId });
  expect(res.errors).toBeUndefined();
  return res.data.serviceTask.request?.serviceType === 'REPAIR';
}

/** A record's times by default; a test whose clock runs before them passes its own (nobody signs before the end). */
export const RECORD_TIMES = { actualStart: '2026-12-01T02:00:00.000Z', actualEnd: '2026-12-01T05:30:00.000Z' };

/** A record with times and one progress entry (a repair's also with its warranty check: REPAIR, or `options.repair`), submitted by `who`. */
export async function submittedRecord(
  t: TestApi,
  taskId: string,
  who = 'TECHNICIAN',
  text = 'Replaced the seal; pump runs at rated pressure.',
  options: { repair?: Record<string, unknown>; times?: { actualStart: string; actualEnd: string } } = {},
) {
  const record = await ok(t, who, 'createServiceRecord', { taskId, ...(options.times ?? RECORD_TIMES) });
  await ok(t, who, 'addEntryServiceRecord', { id: record.id, kind: 'PROGRESS', text });
  if (await isRepair(t, taskId, who)) await ok(t, who, 'recordRepairServiceRecord', { id: record.id, ...(options.repair ?? REPAIR) });
  return ok(t, who, 'submitServiceRecord', { id: record.id });
}

/** the scan of a signed page, as a paper sign-off carries it */
export const SIGNED_PAGE = { name: 'field-report-signed.pdf', contentType: 'application/pdf', size: 183_204, sha256: 'b'.repeat(64), location: 's3://sdd-attachments/rc/signed.pdf' };

/** The customer's sign-off of a filed record: customer service records the paper signed on site (any customer), or a portal user signs. */
export async function signedRecord(t: TestApi, recordId: string, who = 'AGENT') {
  const paper = !who.startsWith('CUSTOMER');
  return ok(t, who, 'signOffServiceRecord', { id: recordId, mark: 'SIGNATURE', ...(paper ? { signerName: 'Alice Acme', signature: SIGNED_PAGE } : {}) });
}

/** A submitted record, signed off by the customer and approved by SUPERVISOR_TECH (the department's supervisor). */
export async function reviewedRecord(t: TestApi, taskId: string, who = 'TECHNICIAN', options: Parameters<typeof submittedRecord>[4] = {}) {
  const record = await submittedRecord(t, taskId, who, undefined, options);
  await signedRecord(t, record.id);
  return ok(t, 'SUPERVISOR_TECH', 'approveServiceRecord', { id: record.id });
}

/** The latest acceptance round of a task, as `who` sees it. */
export async function latestAcceptance(t: TestApi, taskId: string, who = 'AGENT') {
  const res = await t.gql(who, `query($id: ID!) { serviceTask(id: $id) { acceptances { ${ACCEPTANCE_FIELDS} } } }`, { id: taskId });
  expect(res.errors).toBeUndefined();
  return res.data.serviceTask.acceptances.at(-1);
}

export const PASS = { itemsConfirmed: ['seal replaced', 'pump tested under load'], qualityScore: 5, satisfaction: 'VERY_SATISFIED', comment: 'Quick and tidy.' };
