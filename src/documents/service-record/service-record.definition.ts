/**
 * The service record as the engine sees it (SPEC §3.3, §3.10): written by the task's assignee or a helper while
 * the task is IN_PROGRESS; entries appended, corrections as signed revisions; a repair's warranty check and
 * repaired faults; signed off by the customer after the work; reviewed by a supervisor of the task's
 * department, never by its author.
 */
import type { EntityManager } from 'typeorm';
import { type Caller, hasRole, isPortalUser, Role } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { DocumentDefinition, type EffectContext } from '../../workflow/definition';
import { notFound, Refusal, UserErrorCode, UserErrorData } from '../../workflow/errors';
import { lockVisibleDocument } from '../../workflow/lookup';
import { ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision } from './service-record.entity';
import { ServiceRecordFacts, serviceRecordEffects, serviceRecordMachine } from './service-record.machine';
import { serviceRecordPolicy } from './service-record.policy';
import { SignOffChannel } from './service-record.enums';
import {
  AddEntryInput,
  AmendEntryInput,
  AttachmentInput,
  CreateServiceRecordInput,
  ReasonEventInput,
  RecordRepairInput,
  SignOffServiceRecordInput,
  UpdateServiceRecordInput,
} from './service-record.types';

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

/** SPEC §3.3: times to the minute, end not before start; what is recorded as done has happened (the engine's `now`). */
function timeProblems(
  input: { actualStart?: Date | null; actualEnd?: Date | null; returnedAt?: Date | null },
  current: { actualStart: Date | null; actualEnd: Date | null; returnedAt: Date | null },
  now: Date,
): UserErrorData[] {
  const problems: UserErrorData[] = [];
  for (const field of ['actualStart', 'actualEnd', 'returnedAt'] as const) {
    const value = input[field];
    if (value && (value.getUTCSeconds() !== 0 || value.getUTCMilliseconds() !== 0)) problems.push(validation(field, `${field} is recorded to the minute: seconds and milliseconds must be 0`));
  }
  const start = input.actualStart !== undefined ? input.actualStart : current.actualStart;
  const end = input.actualEnd !== undefined ? input.actualEnd : current.actualEnd;
  if (start && end && end < start) problems.push(validation('actualEnd', 'actualEnd must not be before actualStart'));
  // an actual end is recorded once the work is over, not planned ahead (nobody files or signs before the service)
  if (input.actualEnd && input.actualEnd > now) problems.push(validation('actualEnd', 'actualEnd must not be in the future: record the end once the work is over'));
  // the return to the company comes after the service (seed 002 §4.5.6)
  const returned = input.returnedAt !== undefined ? input.returnedAt : current.returnedAt;
  if (returned && !end) problems.push(validation('returnedAt', 'record the actual end of the service before the return to the company'));
  if (returned && end && returned < end) problems.push(validation('returnedAt', 'returnedAt must not be before actualEnd: the return to the company comes after the service'));
  // the filing deadline runs from the return: a return in the future would push it out
  if (input.returnedAt && input.returnedAt > now) problems.push(validation('returnedAt', 'returnedAt must not be in the future: record your return to the company once you are back'));
  return problems;
}

const attachment = (a: AttachmentInput, addedById: string, now: Date) => ({ name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256, location: a.location, addedById, addedAt: now.toISOString() });

/** fault codes and serial numbers are matched case-blind: stored trimmed and upper-cased */
export const normaliseKey = (value: string): string => value.trim().toUpperCase();

const DAY_MS = 86_400_000;

/** The customer's sign-off, as its input asks: a portal user signs now as themself; customer service records paper. */
function signOffProblems(input: SignOffServiceRecordInput, { caller }: { caller: Caller }): UserErrorData[] {
  if (isPortalUser(caller)) {
    const problems: UserErrorData[] = [];
    if (input.signerName != null) problems.push(validation('signerName', 'a portal user signs as themself: leave signerName out'));
    if (input.signedAt != null) problems.push(validation('signedAt', 'a portal user signs now: leave signedAt out'));
    return problems;
  }
  const problems: UserErrorData[] = [];
  if (!input.signerName?.trim()) problems.push(validation('signerName', 'customer service recording a paper sign-off must give the signer\'s name'));
  if (!input.signature) problems.push(validation('signature', 'a paper sign-off needs the scan of the signed or sealed page (signature)'));
  return problems;
}

/** A repair's check: running hours or mileage recorded (seed 003 §3.4.2 C), each fault on each piece of equipment once. */
function repairProblems(input: RecordRepairInput): UserErrorData[] {
  const problems: UserErrorData[] = [];
  if (input.warrantyCheck.runningHours == null && input.warrantyCheck.mileageKm == null) problems.push(validation('warrantyCheck', 'the warranty check records the running hours or the mileage'));
  const keys = input.repairedFaults.map((f) => `${normaliseKey(f.equipmentSerial)}\u0000${normaliseKey(f.faultCode)}`);
  if (new Set(keys).size !== keys.length) problems.push(validation('repairedFaults', 'each fault of a piece of equipment is listed once'));
  return problems;
}

interface TaskFacts {
  id: string;
  state: string;
  assignee_id: string | null;
  helper_ids: string[];
  department_id: string;
  progress_entries: number;
  service_type: string | null;
  parts_written_off: boolean;
}

const effects: Record<(typeof serviceRecordEffects)[number], (doc: ServiceRecord, ctx: EffectContext) => void | Promise<void>> = {
  applyTimes: (doc, { input }) => {
    const update = input as UpdateServiceRecordInput;
    if (update.actualStart !== undefined) doc.actualStart = update.actualStart ?? null;
    if (update.actualEnd !== undefined) doc.actualEnd = update.actualEnd ?? null;
    if (update.returnedAt !== undefined) doc.returnedAt = update.returnedAt ?? null;
  },
  addAttachments: (doc, { input, caller, now }) => {
    const update = input as UpdateServiceRecordInput;
    if (!update.addAttachments?.length) return;
    doc.attachments = [
      ...doc.attachments,
      ...update.addAttachments.map((a) => attachment(a, caller.userId, now)),
    ];
  },
  appendEntry: async (doc, { input, caller, now, manager }) => {
    const add = input as AddEntryInput;
    const [{ next }] = await manager.query(`SELECT coalesce(max(seq), 0) + 1 AS next FROM service_record_entry WHERE record_id = $1`, [doc.id]);
    const entry = await manager.save(ServiceRecordEntry, manager.create(ServiceRecordEntry, { recordId: doc.id, seq: next, kind: add.kind, authorId: caller.userId, createdAt: now }));
    await manager.save(ServiceRecordEntryRevision, manager.create(ServiceRecordEntryRevision, { entryId: entry.id, revision: 1, text: add.text, authorId: caller.userId, authorName: caller.name, at: now, reason: null }));
  },
  appendRevision: async (_doc, { input, caller, now, manager }) => {
    const amend = input as AmendEntryInput;
    const entryId = idOf(amend.entryId, 'ServiceRecordEntry')!;
    const [{ next }] = await manager.query(`SELECT coalesce(max(revision), 0) + 1 AS next FROM service_record_entry_revision WHERE entry_id = $1`, [entryId]);
    await manager.save(ServiceRecordEntryRevision, manager.create(ServiceRecordEntryRevision, { entryId, revision: next, text: amend.text, authorId: caller.userId, authorName: caller.name, at: now, reason: amend.reason }));
  },
  applyRepair: (doc, { input, caller, now, settings }) => {
    const repair = input as RecordRepairInput;
    const check = repair.warrantyCheck;
    doc.warrantyCheck = { coverage: check.coverage, dismantled: check.dismantled, runningHours: check.runningHours ?? null, mileageKm: check.mileageKm ?? null, checkedById: caller.userId, checkedAt: now.toISOString() };
    doc.repairedFaults = repair.repairedFaults.map((f, i) => ({
      seq: i + 1,
      faultCode: normaliseKey(f.faultCode),
      description: f.description,
      equipmentModel: f.equipmentModel.trim(),
      equipmentSerial: normaliseKey(f.equipmentSerial),
      warrantyDays: f.warrantyDays ?? settings.repairWarrantyDays,
      warrantyUntil: null,
    }));
  },
  stampSubmitted: (doc, { now }) => {
    doc.submittedAt = now;
    // a send-back's reason is answered by this filing: it stays in the record's history (the SEND_BACK event), not on the record
    doc.sendBackReason = null;
  },
  signOff: (doc, { input, caller, now }) => {
    const sign = input as SignOffServiceRecordInput;
    const portal = isPortalUser(caller);
    doc.customerSignedAt = (!portal && sign.signedAt) || now;
    doc.customerSignerName = portal ? caller.name : sign.signerName!.trim();
    doc.customerSignChannel = portal ? SignOffChannel.PORTAL : SignOffChannel.PAPER;
    doc.customerSignMark = sign.mark;
    doc.customerSignature = sign.signature ? attachment(sign.signature, caller.userId, now) : null;
    doc.customerSignRecordedById = caller.userId;
    doc.customerSignRecordedAt = now;
    // the report is valid from now: each repaired fault's post-repair warranty runs from the repair's end
    doc.repairedFaults = doc.repairedFaults.map((f) => ({ ...f, warrantyUntil: new Date(doc.actualEnd!.getTime() + f.warrantyDays * DAY_MS).toISOString() }));
  },
  clearSignOff: (doc) => {
    doc.customerSignedAt = null;
    doc.customerSignerName = null;
    doc.customerSignChannel = null;
    doc.customerSignMark = null;
    doc.customerSignature = null;
    doc.customerSignRecordedById = null;
    doc.customerSignRecordedAt = null;
    doc.repairedFaults = doc.repairedFaults.map((f) => ({ ...f, warrantyUntil: null }));
  },
  stampReviewed: (doc, { now, caller }) => {
    doc.reviewedAt = now;
    doc.reviewedById = caller.userId;
  },
  noteSendBack: (doc, { input }) => {
    doc.sendBackReason = (input as ReasonEventInput).reason;
  },
};

export const serviceRecordDefinition: DocumentDefinition<ServiceRecord, ServiceRecordFacts> = {
  type: 'ServiceRecord',
  prefix: 'RC',
  entity: ServiceRecord,
  machine: serviceRecordMachine,
  policy: serviceRecordPolicy,
  // archived with its task; its entries' texts and its attachments' metadata are purged with it (src/records/purge.ts)
  records: {
    closedStates: ['REVIEWED'],
    personalFields: ['attachments', 'sendBackReason', 'customerSignerName', 'customerSignature'],
    archivedWithParent: true,
    purgeSql: [
      `UPDATE service_record_entry_revision SET text = '[purged]', reason = NULL WHERE entry_id IN (SELECT id FROM service_record_entry WHERE record_id = $1)`,
    ],
  },
  effects,

  async facts({ docs, caller, input, manager, now }) {
    // the tasks, their requests' service type and the progress entries of a page of records: one statement
    const rows: TaskFacts[] = await manager.query(
      `SELECT t.id, t.state, t.assignee_id, t.helper_ids, t.department_id,
              (SELECT count(*) FROM service_record_entry e WHERE e.record_id = r.id AND e.kind = 'PROGRESS')::int AS progress_entries,
              (SELECT sr.service_type FROM service_request sr WHERE sr.id = t.request_id) AS service_type,
              EXISTS (SELECT 1 FROM parts_requisition p
                       WHERE p.consumed_in_record_id = r.id AND (p.state = 'WRITTEN_OFF' OR p.written_off_at IS NOT NULL)) AS parts_written_off
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(id, task_id, n)
         JOIN service_task t ON t.id = r.task_id
        ORDER BY r.n`,
      [docs.map((d) => d.id ?? null), docs.map((d) => d.taskId)],
    );
    // a paper sign-off is dated by its input; a portal user signs now
    const paperSignedAt = !isPortalUser(caller) ? ((input as Partial<SignOffServiceRecordInput> | undefined)?.signedAt ?? null) : null;
    return docs.map((doc, i) => {
      const task = rows[i];
      const isRepair = task.service_type === 'REPAIR';
      const missing: string[] = [];
      if (!doc.actualStart) missing.push('actualStart');
      if (!doc.actualEnd) missing.push('actualEnd');
      if (task.progress_entries === 0) missing.push('a progress entry');
      if (isRepair && !doc.warrantyCheck) missing.push('the warranty check');
      if (isRepair && !doc.repairedFaults?.length) missing.push('a repaired fault');
      const end = doc.actualEnd;
      const signedAt = paperSignedAt ?? now;
      return {
        isAuthor: doc.createdById === caller.userId,
        worksOnTask: task.assignee_id === caller.userId || task.helper_ids.includes(caller.userId),
        isReviewer: hasRole(caller, Role.SUPERVISOR) && caller.departmentId === task.department_id,
        missingForSubmit: missing,
        taskInProgress: task.state === 'IN_PROGRESS',
        isOwnCustomer: hasRole(caller, Role.CUSTOMER) && !!caller.customerId && caller.customerId === doc.customerId,
        isAgent: hasRole(caller, Role.AGENT),
        customerSigned: !!doc.customerSignedAt,
        workDone: !!end && end.getTime() <= now.getTime() && signedAt.getTime() >= end.getTime() && signedAt.getTime() <= now.getTime(),
        isRepair,
        partsWrittenOff: task.parts_written_off,
      };
    });
  },

  async build(input: CreateServiceRecordInput, caller, manager: EntityManager) {
    // the task row stays locked until the record is written, so a FINISH cannot slip in between (it locks the task too)
    const task = await lockVisibleDocument<{ id: string; requestId: string; departmentId: string; customerId: string }>(manager, 'ServiceTask', idOf(input.taskId, 'ServiceTask'), caller);
    if (!task) throw new Refusal([{ ...notFound('service task').errors[0], field: 'taskId' }]);
    const doc = new ServiceRecord();
    doc.taskId = task.id;
    doc.requestId = task.requestId;
    doc.departmentId = task.departmentId;
    doc.customerId = task.customerId;
    doc.actualStart = input.actualStart ?? null;
    doc.actualEnd = input.actualEnd ?? null;
    doc.attachments = [];
    doc.repairedFaults = [];
    return doc;
  },

  events: {
    ARCHIVE: { description: 'System: archived together with the document it belongs to (records control, SPEC §5).', system: true },
    CREATE: {
      description: 'Open a service record (one per visit) for an IN_PROGRESS task you are assigned to or help on.',
      input: CreateServiceRecordInput,
      validate: (input: CreateServiceRecordInput, { now }) => timeProblems(input, { actualStart: null, actualEnd: null, returnedAt: null }, now),
    },
    UPDATE: {
      description: 'Set the actual start and end (to the minute), your return to the company, and add attachments.',
      input: UpdateServiceRecordInput,
      validate: (input: UpdateServiceRecordInput, { doc, now }) => timeProblems(input, doc, now),
    },
    ADD_ENTRY: { description: 'Append an entry: a progress step, a problem, its solution, or the customer\'s feedback.', input: AddEntryInput },
    AMEND_ENTRY: {
      description: 'Correct an entry: a new revision signed by you with the reason; the earlier text stays visible.',
      input: AmendEntryInput,
      async validate(input: AmendEntryInput, { doc, manager }) {
        const entryId = idOf(input.entryId, 'ServiceRecordEntry');
        const exists = entryId ? await manager.existsBy(ServiceRecordEntry, { id: entryId, recordId: doc.id }) : false;
        return exists ? [] : [validation('entryId', 'entryId must name an entry of this record')];
      },
    },
    RECORD_REPAIR: {
      description: 'On a repair: the warranty check (三包 coverage, dismantled, running hours or mileage) and the faults repaired, each on its equipment with its post-repair warranty days; replaces what was recorded.',
      input: RecordRepairInput,
      validate: repairProblems,
    },
    SUBMIT: {
      description: 'File the record for review (needs start, end and a progress entry; a repair also its warranty check and repaired faults). Filed within 3 days of your return to the company.',
    },
    SIGN_OFF: {
      description: 'The customer signs the filed report or stamps it with the company seal, after the work: a portal user of the request\'s organisation, or customer service recording the paper signed on site (signer, time, scan).',
      input: SignOffServiceRecordInput,
      validate: signOffProblems,
    },
    APPROVE: { description: 'A supervisor of the task\'s department reviews and signs the customer-signed record and forwards it to customer service; never its author.' },
    SEND_BACK: {
      description: 'Return the record to its author; the reason is required. The customer signs the changed report again. Refused once warranty parts were written off against the record (their write-off rests on its sign-off).',
      input: ReasonEventInput,
    },
  },
};
