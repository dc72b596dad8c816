/**
 * One visibility rule on every path (SPEC §7), checked from the schema rather
 * than field by field: every root field that returns documents, every
 * document-typed field of every document, and every root field keyed by a
 * document id, for each role, on documents inside and outside its scope.
 *
 * The expected audience of each document comes from `oracle` below, written
 * from SPEC §7 and the policy decisions in the README — independently of the
 * scope SQL it checks. A field added later is covered without touching this file.
 */
import { consultationDefinition } from '../../src/documents/consultation/consultation.definition';
import { processOldParts } from '../../src/documents/supplier-claim/supplier-claim.processing';
import { idOf } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { PASS, REPAIR, ok } from '../support/chain';
import { COMPLETE_REQUEST, createRequest } from '../support/documents';

type DocType = 'ServiceRequest' | 'ServiceTask' | 'ServiceRecord' | 'ServiceAcceptance' | 'AccessRequest' | 'Consultation' | 'PartsRequisition' | 'Complaint' | 'ServiceReport' | 'SupplierClaim';
interface Doc {
  id: string;
  type: DocType;
  label: string;
  customer: string | null;
  department: string | null;
  /** for requests: its tasks; for records and acceptances: their task */
  tasks: string[];
  assignee?: string;
  helpers?: string[];
  author?: string;
  approved?: boolean;
  requester?: string;
  archived?: boolean;
  /** for parts requisitions: the store reads them from APPROVED on; for records: customers read them once filed */
  state?: string;
}

const ROLES = ['CUSTOMER_ACME', 'CUSTOMER_HUAXIA', 'TECHNICIAN', 'TECHNICIAN_2', 'SUPERVISOR_TECH', 'SUPERVISOR_SALES', 'EXECUTIVE', 'ARCHIVIST', 'AUTOMATION_DISPATCH', 'AGENT', 'STOREKEEPER'] as const;
type RoleKey = (typeof ROLES)[number];
const DEPARTMENT_OF: Partial<Record<RoleKey, string>> = { SUPERVISOR_TECH: 'TECH', SUPERVISOR_SALES: 'SALES' };
const ORG_OF: Partial<Record<RoleKey, string>> = { CUSTOMER_ACME: 'ACME', CUSTOMER_HUAXIA: 'HUAXIA' };

let t: TestApi;
const docs: Doc[] = [];
const byId = (id: string) => docs.find((d) => d.id === id)!;
/** documents opened to a reader by a grant: reader → ids */
const grants = new Map<string, string[]>();

/** Who may read `doc` (SPEC §7). */
function oracle(role: RoleKey, doc: Doc): boolean {
  if (grants.get(role)?.includes(doc.id)) return true;
  if (role === 'AGENT' || role === 'EXECUTIVE' || role === 'AUTOMATION_DISPATCH') return true; // the automation holds the AGENT role
  if (doc.type === 'AccessRequest') return doc.requester === role || (DEPARTMENT_OF[role] !== undefined && DEPARTMENT_OF[role] === doc.department);
  // the store: parts requisitions once approved, and every supplier claim; nothing else
  if (role === 'STOREKEEPER') return (doc.type === 'PartsRequisition' && ['APPROVED', 'ISSUED', 'CONSUMED', 'WRITTEN_OFF'].includes(doc.state!)) || doc.type === 'SupplierClaim';
  if (DEPARTMENT_OF[role]) return doc.department === DEPARTMENT_OF[role];
  const tasks = doc.tasks.map(byId);
  const worksOn = (task: Doc) => task.assignee === role || (task.helpers ?? []).includes(role);
  if (role === 'TECHNICIAN' || role === 'TECHNICIAN_2') {
    if (doc.type === 'Complaint') return false; // complaints go to the responsible department's supervisors
    if (doc.type === 'SupplierClaim') return false; // the store's business with the supplier
    if (doc.type === 'ServiceTask') return worksOn(doc);
    if (doc.type === 'ServiceRecord') return doc.author === role || tasks.some(worksOn);
    if (doc.type === 'PartsRequisition') return doc.requester === role || tasks.some(worksOn);
    return tasks.some(worksOn); // a request or an acceptance of a task they work on
  }
  if (ORG_OF[role]) {
    if (doc.customer !== ORG_OF[role]) return false;
    if (doc.type === 'ServiceTask') return doc.approved === true; // status and schedule, once approved
    if (doc.type === 'ServiceRecord') return doc.state !== 'OPEN'; // the filed field report, which the customer signs
    return doc.type !== 'PartsRequisition'; // parts requisitions are internal
  }
  if (doc.type === 'Consultation') return role === 'ARCHIVIST' && doc.archived === true; // no department owns a consultation
  return false; // the archivist: archived documents only, and only a consultation is archived here
}

async function buildWorld() {
  // ACME (STANDARD): a request served by TECH, a task in progress with a helper, a record, an acceptance; a draft task; a draft request
  const srA = await createRequest(t, 'CUSTOMER_ACME');
  await ok(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: srA.id });
  await ok(t, 'AGENT', 'acceptServiceRequest', { id: srA.id, targetDepartmentId: t.gid.department('TECH') });
  const plan = { description: 'Replace the seal', plannedStart: '2026-12-01T01:00:00.000Z', plannedEnd: '2026-12-01T09:00:00.000Z', estimatedCost: 900 };
  const taskA = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: srA.id, assigneeId: t.gid.user('TECHNICIAN'), ...plan });
  await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: taskA.id });
  await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: taskA.id });
  await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: taskA.id });
  await ok(t, 'TECHNICIAN', 'startServiceTask', { id: taskA.id });
  const recordA = await ok(t, 'TECHNICIAN', 'createServiceRecord', { taskId: taskA.id, actualStart: '2026-12-01T02:00:00.000Z', actualEnd: '2026-12-01T04:00:00.000Z' });
  await ok(t, 'TECHNICIAN', 'addEntryServiceRecord', { id: recordA.id, kind: 'PROGRESS', text: 'Seal replaced.' });
  await ok(t, 'TECHNICIAN', 'recordRepairServiceRecord', { id: recordA.id, ...REPAIR });
  await ok(t, 'TECHNICIAN', 'submitServiceRecord', { id: recordA.id });
  // parts for taskA: one consumed against recordA (the store reads it, not the record), one still a draft
  const parts = async (who: string, verb: string, input: Record<string, unknown>) => {
    const type = { create: 'CreatePartsRequisitionInput', consume: 'ConsumePartsRequisitionInput', receiveOldParts: 'ReceiveOldPartsPartsRequisitionInput' }[verb] ?? 'DocumentEventInput';
    const res = await t.gql(who, `mutation($input: ${type}!) { r: ${verb}PartsRequisition(input: $input) { partsRequisition { id } userErrors { code message } } }`, { input });
    expect(res.data.r.userErrors).toEqual([]);
    return res.data.r.partsRequisition;
  };
  const seal = { partNumber: 'FP-SEAL-40', partName: 'Seal', quantity: 1, unitCost: 150, underWarranty: true };
  const partsConsumed = await parts('TECHNICIAN', 'create', { taskId: taskA.id, lines: [seal] });
  await parts('TECHNICIAN', 'submit', { id: partsConsumed.id });
  await parts('SUPERVISOR_TECH', 'approve', { id: partsConsumed.id });
  await parts('STOREKEEPER', 'issue', { id: partsConsumed.id });
  await parts('TECHNICIAN', 'consume', { id: partsConsumed.id, recordId: recordA.id, lines: [{ line: 1, oldPart: 'RETURNED' }] });
  const partsDraft = await parts('TECHNICIAN', 'create', { taskId: taskA.id, lines: [seal] });
  // its old part comes back to the store, covered by the supplier's warranty: the monthly processing claims it (TECH's claim)
  await parts('STOREKEEPER', 'receiveOldParts', { id: partsConsumed.id, lines: [{ line: 1, supplier: 'Harbin Seals', supplierWarranty: true }] });
  const now = new Date();
  const processed = await processOldParts(t.dataSource, t.api.engine, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2, 6)));
  expect(processed).toMatchObject({ processed: true, claims: 1 });
  const claim = (await t.gql('AGENT', `{ supplierClaims { nodes { id } } }`)).data.supplierClaims.nodes[0];
  await ok(t, 'TECHNICIAN', 'finishServiceTask', { id: taskA.id });
  const acceptanceA = (await t.gql('AGENT', `query($id: ID!) { serviceTask(id: $id) { acceptances { id } } }`, { id: taskA.id })).data.serviceTask.acceptances[0];
  await ok(t, 'CUSTOMER_ACME', 'passServiceAcceptance', { id: acceptanceA.id, ...PASS, signerName: 'Alice Acme' });
  const draftTaskA = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: srA.id, assigneeId: t.gid.user('TECHNICIAN_2'), ...plan, description: 'Second visit' });
  const draftA = await createRequest(t, 'CUSTOMER_ACME', { description: 'not yet submitted' });

  // HUAXIA (KEY): one request routed to SALES, one served by TECH with an executive-tier task worked by TECHNICIAN_2
  const srB = await createRequest(t, 'CUSTOMER_HUAXIA');
  await ok(t, 'CUSTOMER_HUAXIA', 'submitServiceRequest', { id: srB.id });
  await ok(t, 'AGENT', 'acceptServiceRequest', { id: srB.id, targetDepartmentId: t.gid.department('SALES') });
  const srC = await createRequest(t, 'CUSTOMER_HUAXIA', { ...COMPLETE_REQUEST, description: 'Transformer inspection' });
  await ok(t, 'CUSTOMER_HUAXIA', 'submitServiceRequest', { id: srC.id });
  await ok(t, 'AGENT', 'acceptServiceRequest', { id: srC.id, targetDepartmentId: t.gid.department('TECH') });
  const taskC = await ok(t, 'SUPERVISOR_TECH', 'createServiceTask', { requestId: srC.id, assigneeId: t.gid.user('TECHNICIAN_2'), ...plan });
  await ok(t, 'SUPERVISOR_TECH', 'submitServiceTask', { id: taskC.id });
  await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: taskC.id });
  await ok(t, 'EXECUTIVE', 'approveServiceTask', { id: taskC.id });
  await ok(t, 'TECHNICIAN_2', 'confirmServiceTask', { id: taskC.id });
  await ok(t, 'TECHNICIAN_2', 'startServiceTask', { id: taskC.id });
  // a filed record HUAXIA signed (its repaired fault under warranty), and an OPEN one HUAXIA does not read yet
  const recordC = await ok(t, 'TECHNICIAN_2', 'createServiceRecord', { taskId: taskC.id, actualStart: '2026-12-02T02:00:00.000Z', actualEnd: '2026-12-02T03:00:00.000Z' });
  await ok(t, 'TECHNICIAN_2', 'addEntryServiceRecord', { id: recordC.id, kind: 'PROGRESS', text: 'Transformer oil replaced.' });
  await ok(t, 'TECHNICIAN_2', 'recordRepairServiceRecord', {
    id: recordC.id,
    warrantyCheck: { coverage: 'OUT_OF_WARRANTY', dismantled: true, runningHours: 40000 },
    repairedFaults: [{ faultCode: 'TR-31', description: 'Oil breakdown', equipmentModel: 'TR-800', equipmentSerial: 'TR-800-77' }],
  });
  await ok(t, 'TECHNICIAN_2', 'submitServiceRecord', { id: recordC.id });
  await ok(t, 'CUSTOMER_HUAXIA', 'signOffServiceRecord', { id: recordC.id, mark: 'COMPANY_SEAL' });
  const recordC2 = await ok(t, 'TECHNICIAN_2', 'createServiceRecord', { taskId: taskC.id, actualStart: '2026-12-02T04:00:00.000Z' });
  // HUAXIA reports the same fault again, within the warranty: a free repeat repair linked to srC and recordC, routed to SALES
  // (whose supervisor then reads it, and neither the request nor the record it repeats)
  const srF = await createRequest(t, 'CUSTOMER_HUAXIA', { description: 'Transformer oil again', equipmentSerial: 'tr-800-77', faultCode: 'tr-31' });
  await ok(t, 'CUSTOMER_HUAXIA', 'submitServiceRequest', { id: srF.id });
  await ok(t, 'AGENT', 'acceptServiceRequest', { id: srF.id, targetDepartmentId: t.gid.department('SALES') });
  const repeat = (await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { freeRepeatRepair repeatOf { id } repeatOfRecord { id } } }`, { id: srF.id })).data.serviceRequest;
  expect(repeat).toEqual({ freeRepeatRepair: true, repeatOf: { id: srC.id }, repeatOfRecord: { id: recordC.id } });
  // parts for taskC, approved (the store reads it; TECHNICIAN does not work on taskC)
  const partsC = await parts('TECHNICIAN_2', 'create', { taskId: taskC.id, lines: [seal] });
  await parts('TECHNICIAN_2', 'submit', { id: partsC.id });
  await parts('SUPERVISOR_TECH', 'approve', { id: partsC.id });
  await parts('EXECUTIVE', 'approve', { id: partsC.id });

  // consultations (no department owns them): one logged for ACME, one asked by HUAXIA through the portal, and one of ACME's
  // converted into a request that TECH serves, then archived — the records custodian reads it, not its request
  const ask = async (who: RoleKey, input: Record<string, unknown>) => {
    const res = await t.gql(who, `mutation($input: CreateConsultationInput!) { createConsultation(input: $input) { consultation { id } userErrors { code } } }`, { input });
    expect(res.data.createConsultation.userErrors).toEqual([]);
    return res.data.createConsultation.consultation;
  };
  const cnA = await ask('AGENT', { customerId: t.gid.customer('ACME'), channel: 'PHONE', question: 'When is the seal due?' });
  const cnB = await ask('CUSTOMER_HUAXIA', { question: 'Which transformer oil?' });
  const cnC = await ask('AGENT', { customerId: t.gid.customer('ACME'), channel: 'EMAIL', question: 'The pump leaks.' });
  const converted = await t.gql('AGENT', `mutation($input: ConvertConsultationInput!) { convertConsultation(input: $input) { consultation { convertedRequest { id } } userErrors { code } } }`, {
    input: { id: cnC.id, category: 'AFTER_SALES', serviceType: 'REPAIR', contactName: 'Alice Acme', contactPhone: '+86 21 5555 0101', address: '88 Harbour Road', expectedFrom: '2026-12-01T01:00:00.000Z', expectedTo: '2026-12-02T09:00:00.000Z' },
  });
  expect(converted.data.convertConsultation.userErrors).toEqual([]);
  const srD = converted.data.convertConsultation.consultation.convertedRequest;
  await ok(t, 'CUSTOMER_ACME', 'submitServiceRequest', { id: srD.id });
  await ok(t, 'AGENT', 'acceptServiceRequest', { id: srD.id, targetDepartmentId: t.gid.department('TECH') });
  await t.api.engine.transaction((m) => t.api.engine.fireSystem(m, consultationDefinition, idOf(cnC.id, 'Consultation')!, 'ARCHIVE', { requestId: 'visibility-world', idempotencyKey: null }));

  // grants: documents opened to readers outside their audience, some without their parents
  const grantsMade: Doc[] = [];
  const grant = async (reader: RoleKey, documentId: string) => {
    const ar = (await t.gql(reader, `mutation($input: CreateAccessRequestInput!) { createAccessRequest(input: $input) { accessRequest { id } } }`, { input: { documentId, purpose: 'Quality review', days: 3 } })).data.createAccessRequest.accessRequest;
    const granted = await t.gql('SUPERVISOR_TECH', `mutation($input: GrantAccessRequestInput!) { grantAccessRequest(input: $input) { userErrors { code } } }`, {
      input: { id: ar.id, expiresAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(granted.data.grantAccessRequest.userErrors).toEqual([]);
    grants.set(reader, [...(grants.get(reader) ?? []), documentId]);
    grantsMade.push({ id: ar.id, type: 'AccessRequest', label: `access request of ${reader}`, customer: null, department: 'TECH', tasks: [], requester: reader });
  };
  await grant('SUPERVISOR_SALES', srA.id);
  await grant('SUPERVISOR_SALES', taskA.id); // its acceptance stays closed
  await grant('SUPERVISOR_SALES', taskC.id); // its request stays closed
  await grant('TECHNICIAN_2', acceptanceA.id); // its task stays closed
  await grant('TECHNICIAN_2', recordA.id); // its task stays closed

  // complaints: ACME's about its TECH request, handled by TECH; HUAXIA's about its SALES request, handled by TECH
  // (its supervisor reads the complaint, not the request); HUAXIA's not yet assigned (no department reads it)
  const complaintEvent = async (who: RoleKey, mutation: string, inputType: string, input: Record<string, unknown>) => {
    const res = await t.gql(who, `mutation($input: ${inputType}!) { r: ${mutation}(input: $input) { complaint { id } userErrors { code message } } }`, { input });
    expect(res.data.r.userErrors).toEqual([]);
    return res.data.r.complaint as { id: string };
  };
  const complaint = async (who: RoleKey, requestId: string | null, department: string | null) => {
    const cp = await complaintEvent(who, 'createComplaint', 'CreateComplaintInput', { subject: 'Late visit', description: 'The technician came a day late.', ...(requestId ? { requestId } : {}) });
    if (department) {
      await complaintEvent('AGENT', 'classifyComplaint', 'ClassifyComplaintInput', { id: cp.id, category: 'SERVICE_ATTITUDE', severity: 'MEDIUM' });
      await complaintEvent('AGENT', 'assignComplaint', 'AssignComplaintInput', { id: cp.id, departmentId: t.gid.department(department) });
    }
    return cp;
  };
  const cpA = await complaint('CUSTOMER_ACME', srA.id, 'TECH');
  const cpB = await complaint('CUSTOMER_HUAXIA', srB.id, 'TECH');
  const cpC = await complaint('CUSTOMER_HUAXIA', null, null);

  // service reports: TECH's month, and SALES's year for a customer group of ACME (customers never read reports)
  const report = async (who: RoleKey, input: Record<string, unknown>) => {
    const res = await t.gql(who, `mutation($input: CreateServiceReportInput!) { r: createServiceReport(input: $input) { serviceReport { id } userErrors { code message } } }`, { input });
    expect(res.data.r.userErrors).toEqual([]);
    return res.data.r.serviceReport as { id: string };
  };
  const spTech = await report('SUPERVISOR_TECH', { kind: 'MONTHLY', departmentId: t.gid.department('TECH'), year: 2026, month: 11 });
  const spSales = await report('AGENT', { kind: 'YEARLY', departmentId: t.gid.department('SALES'), year: 2026, customerIds: [t.gid.customer('ACME')], customerGroupName: 'ACME' });

  docs.push(
    { id: spTech.id, type: 'ServiceReport', label: 'TECH monthly report', customer: null, department: 'TECH', tasks: [] },
    { id: spSales.id, type: 'ServiceReport', label: 'SALES yearly report for ACME\'s group', customer: null, department: 'SALES', tasks: [] },
    { id: cpA.id, type: 'Complaint', label: 'ACME complaint (TECH)', customer: 'ACME', department: 'TECH', tasks: [] },
    { id: cpB.id, type: 'Complaint', label: 'HUAXIA complaint about its SALES request (TECH)', customer: 'HUAXIA', department: 'TECH', tasks: [] },
    { id: cpC.id, type: 'Complaint', label: 'HUAXIA complaint, not yet assigned', customer: 'HUAXIA', department: null, tasks: [] },
    { id: srA.id, type: 'ServiceRequest', label: 'ACME request (TECH)', customer: 'ACME', department: 'TECH', tasks: [taskA.id, draftTaskA.id] },
    { id: taskA.id, type: 'ServiceTask', label: 'ACME task (TECHNICIAN)', customer: 'ACME', department: 'TECH', tasks: [], assignee: 'TECHNICIAN', approved: true },
    { id: draftTaskA.id, type: 'ServiceTask', label: 'ACME draft task (TECHNICIAN_2)', customer: 'ACME', department: 'TECH', tasks: [], assignee: 'TECHNICIAN_2', approved: false },
    { id: recordA.id, type: 'ServiceRecord', label: 'ACME record', customer: 'ACME', department: 'TECH', tasks: [taskA.id], author: 'TECHNICIAN', state: 'SUBMITTED' },
    { id: acceptanceA.id, type: 'ServiceAcceptance', label: 'ACME acceptance', customer: 'ACME', department: 'TECH', tasks: [taskA.id] },
    { id: draftA.id, type: 'ServiceRequest', label: 'ACME draft request', customer: 'ACME', department: null, tasks: [] },
    { id: srB.id, type: 'ServiceRequest', label: 'HUAXIA request (SALES)', customer: 'HUAXIA', department: 'SALES', tasks: [] },
    { id: srC.id, type: 'ServiceRequest', label: 'HUAXIA request (TECH)', customer: 'HUAXIA', department: 'TECH', tasks: [taskC.id] },
    { id: taskC.id, type: 'ServiceTask', label: 'HUAXIA task (TECHNICIAN_2)', customer: 'HUAXIA', department: 'TECH', tasks: [], assignee: 'TECHNICIAN_2', approved: true },
    { id: recordC.id, type: 'ServiceRecord', label: 'HUAXIA record (signed)', customer: 'HUAXIA', department: 'TECH', tasks: [taskC.id], author: 'TECHNICIAN_2', state: 'SUBMITTED' },
    { id: recordC2.id, type: 'ServiceRecord', label: 'HUAXIA record (open)', customer: 'HUAXIA', department: 'TECH', tasks: [taskC.id], author: 'TECHNICIAN_2', state: 'OPEN' },
    { id: srF.id, type: 'ServiceRequest', label: 'HUAXIA repeat of srC\'s repair (SALES)', customer: 'HUAXIA', department: 'SALES', tasks: [] },
    { id: cnA.id, type: 'Consultation', label: 'ACME consultation', customer: 'ACME', department: null, tasks: [] },
    { id: cnB.id, type: 'Consultation', label: 'HUAXIA consultation (portal)', customer: 'HUAXIA', department: null, tasks: [] },
    { id: cnC.id, type: 'Consultation', label: 'ACME consultation (converted, archived)', customer: 'ACME', department: null, tasks: [], archived: true },
    { id: srD.id, type: 'ServiceRequest', label: 'ACME request converted from a consultation (TECH)', customer: 'ACME', department: 'TECH', tasks: [] },
    { id: partsConsumed.id, type: 'PartsRequisition', label: 'ACME parts (consumed)', customer: 'ACME', department: 'TECH', tasks: [taskA.id], requester: 'TECHNICIAN', state: 'CONSUMED' },
    { id: partsDraft.id, type: 'PartsRequisition', label: 'ACME parts (draft)', customer: 'ACME', department: 'TECH', tasks: [taskA.id], requester: 'TECHNICIAN', state: 'DRAFT' },
    { id: partsC.id, type: 'PartsRequisition', label: 'HUAXIA parts (approved)', customer: 'HUAXIA', department: 'TECH', tasks: [taskC.id], requester: 'TECHNICIAN_2', state: 'APPROVED' },
    { id: claim.id, type: 'SupplierClaim', label: 'TECH supplier claim (ACME\'s old part)', customer: null, department: 'TECH', tasks: [] },
    ...grantsMade,
  );
}

interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
interface FieldInfo { name: string; args: Array<{ name: string; type: TypeRef }>; type: TypeRef }
const named = (t: TypeRef): string => (t.ofType ? named(t.ofType) : t.name!);
const required = (t: TypeRef) => t.kind === 'NON_NULL';

beforeAll(async () => {
  t = await startTestApi();
  await buildWorld();
}, 120_000);
afterAll(() => t.close());

test('no role reads a document outside its scope on any path, and every role reads what is in it', async () => {
  const schema = (await t.gql('AGENT', `{ __schema { queryType { name } types { name kind interfaces { name } fields { name type { ...T } args { name type { ...T } } } } } workflows { type } }
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`)).data;
  const documentTypes = new Set<string>(schema.workflows.map((w: any) => w.type));
  const types = new Map<string, { fields: FieldInfo[] | null }>(schema.__schema.types.map((ty: any) => [ty.name, ty]));
  // a field's documents: a document type, Node, or a connection of documents
  const documentsOf = (typeName: string): { kind: 'one' | 'connection'; type: string } | null => {
    if (documentTypes.has(typeName) || typeName === 'Node') return { kind: 'one', type: typeName };
    const nodes = types.get(typeName)?.fields?.find((f) => f.name === 'nodes');
    if (typeName.endsWith('Connection') && nodes && documentTypes.has(named(nodes.type))) return { kind: 'connection', type: named(nodes.type) };
    return null;
  };
  for (const type of documentTypes) expect(docs.some((d) => d.type === type)).toBe(true); // the world has one of each kind

  const failures: string[] = [];
  let cases = 0;
  const exercised = new Map<string, { inside: number; outside: number }>();
  const check = (role: RoleKey, path: string, leaked: string[], hidden: string[], inside = 1, outside = 0) => {
    cases++;
    const seen = exercised.get(path) ?? { inside: 0, outside: 0 };
    exercised.set(path, { inside: seen.inside + inside, outside: seen.outside + outside });
    for (const id of leaked) failures.push(`${role} read ${byId(id)?.label ?? id} through ${path}`);
    for (const id of hidden) failures.push(`${role} could not read ${byId(id).label} through ${path}`);
  };
  const visibleTo = (role: RoleKey, type?: string) => docs.filter((d) => (!type || d.type === type) && oracle(role, d)).map((d) => d.id);

  const rootFields: FieldInfo[] = types.get(schema.__schema.queryType.name)!.fields!;
  const NOT_DOCUMENT_KEYED = new Set(['webhookDeliveries']);
  for (const role of ROLES) {
    for (const field of rootFields) {
      // keyed by something that is not a document (a webhook's id; ADMIN only, tested in webhooks.test.ts)
      if (NOT_DOCUMENT_KEYED.has(field.name)) continue;
      const target = documentsOf(named(field.type));
      const idArg = field.args.find((a) => required(a.type) && named(a.type) === 'ID');
      const otherRequired = field.args.filter((a) => required(a.type) && a !== idArg);
      if (otherRequired.length) throw new Error(`${field.name} needs ${otherRequired.map((a) => a.name)}: teach this test how to call it`);
      if (idArg) {
        // keyed by a document id: a document back (or any answer at all) only when the document is in scope
        for (const doc of docs) {
          if (target && target.type !== 'Node' && target.type !== doc.type) continue;
          const selection = target ? '{ id }' : (types.get(named(field.type))?.fields ? `{ ${types.get(named(field.type))!.fields!.find((f) => !f.args.length && !types.get(named(f.type))?.fields)!.name} }` : '');
          const res = await t.gql(role, `query($id: ID!) { r: ${field.name}(${idArg.name}: $id) ${selection} }`, { id: doc.id });
          expect(res.errors).toBeUndefined();
          const answered = res.data.r !== null;
          const expected = oracle(role, doc);
          check(role, `${field.name}(${idArg.name})`, answered && !expected ? [doc.id] : [], !answered && expected ? [doc.id] : [], expected ? 1 : 0, expected ? 0 : 1);
        }
      } else if (target?.kind === 'connection') {
        const res = await t.gql(role, `{ r: ${field.name}(first: 100) { totalCount nodes { id } } }`);
        expect(res.errors).toBeUndefined();
        const got: string[] = res.data.r.nodes.map((n: any) => n.id).filter((id: string) => byId(id));
        expect(res.data.r.totalCount).toBe(res.data.r.nodes.length);
        const want = visibleTo(role, target.type);
        check(role, field.name, got.filter((id) => !want.includes(id)), want.filter((id) => !got.includes(id)), want.length, docs.filter((d) => d.type === target.type).length - want.length);
      }
    }

    // every document-typed field of every document the role can read: only what the role may read, all of it
    for (const type of documentTypes) {
      for (const field of types.get(type)!.fields!) {
        const target = documentsOf(named(field.type));
        if (!target || field.args.some((a) => required(a.type))) continue;
        const selection = target.kind === 'connection' ? '{ nodes { id } }' : '{ id }';
        for (const doc of docs.filter((d) => d.type === type && oracle(role, d))) {
          const query = `query($id: ID!) { node(id: $id) { ... on ${type} { f: ${field.name} ${selection} } } }`;
          const [mine, all] = await Promise.all([t.gql(role, query, { id: doc.id }), t.gql('AGENT', query, { id: doc.id })]);
          expect(mine.errors).toBeUndefined();
          const ids = (r: any): string[] => {
            const value = r.data.node?.f;
            const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : target.kind === 'connection' ? value.nodes : [value];
            return list.map((x: any) => x.id);
          };
          const got = ids(mine);
          const want = ids(all).filter((id) => byId(id) && oracle(role, byId(id)));
          check(role, `${type}.${field.name}`, got.filter((id) => !want.includes(id)), want.filter((id) => !got.includes(id)), want.length, ids(all).length - want.length);
        }
      }
    }
  }
  console.log(`visibility: ${cases} role × field × document cases over ${ROLES.length} roles and ${docs.length} documents`);
  expect(failures).toEqual([]);
  // not vacuous: every path was tried with documents inside the scope of some role and outside that of another
  const thin = [...exercised].filter(([, n]) => n.inside === 0 || n.outside === 0).map(([path, n]) => `${path} ${JSON.stringify(n)}`);
  expect(thin).toEqual([]);
});
