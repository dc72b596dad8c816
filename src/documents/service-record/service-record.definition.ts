/**
 * The service record as the engine sees it (SPEC §3.3): written by the task's assignee or a helper while
 * the task is IN_PROGRESS; entries appended, corrections as signed revisions; reviewed by the task's
 * supervisor or assignee, never by its author.
 */
import type { EntityManager } from 'typeorm';
import { hasRole, Role } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { DocumentDefinition, type EffectContext } from '../../workflow/definition';
import { notFound, Refusal, UserErrorCode, UserErrorData } from '../../workflow/errors';
import { lockVisibleDocument } from '../../workflow/lookup';
import { ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision } from './service-record.entity';
import { ServiceRecordFacts, serviceRecordEffects, serviceRecordMachine } from './service-record.machine';
import { serviceRecordPolicy } from './service-record.policy';
import { AddEntryInput, AmendEntryInput, CreateServiceRecordInput, ReasonEventInput, UpdateServiceRecordInput } from './service-record.types';

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

/** SPEC §3.3: times to the minute, end not before start. */
function timeProblems(input: { actualStart?: Date | null; actualEnd?: Date | null }, current: { actualStart: Date | null; actualEnd: Date | null }): UserErrorData[] {
  const problems: UserErrorData[] = [];
  for (const field of ['actualStart', 'actualEnd'] as const) {
    const value = input[field];
    if (value && (value.getUTCSeconds() !== 0 || value.getUTCMilliseconds() !== 0)) problems.push(validation(field, `${field} is recorded to the minute: seconds and milliseconds must be 0`));
  }
  const start = input.actualStart !== undefined ? input.actualStart : current.actualStart;
  const end = input.actualEnd !== undefined ? input.actualEnd : current.actualEnd;
  if (start && end && end < start) problems.push(validation('actualEnd', 'actualEnd must not be before actualStart'));
  return problems;
}

interface TaskFacts {
  id: string;
  state: string;
  assignee_id: string | null;
  helper_ids: string[];
  department_id: string;
  progress_entries: number;
}

const effects: Record<(typeof serviceRecordEffects)[number], (doc: ServiceRecord, ctx: EffectContext) => void | Promise<void>> = {
  applyTimes: (doc, { input }) => {
    const update = input as UpdateServiceRecordInput;
    if (update.actualStart !== undefined) doc.actualStart = update.actualStart ?? null;
    if (update.actualEnd !== undefined) doc.actualEnd = update.actualEnd ?? null;
  },
  addAttachments: (doc, { input, caller, now }) => {
    const update = input as UpdateServiceRecordInput;
    if (!update.addAttachments?.length) return;
    doc.attachments = [
      ...doc.attachments,
      ...update.addAttachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256, location: a.location, addedById: caller.userId, addedAt: now.toISOString() })),
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
  stampSubmitted: (doc, { now }) => {
    doc.submittedAt = now;
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
    personalFields: ['attachments', 'sendBackReason'],
    archivedWithParent: true,
    purgeSql: [
      `UPDATE service_record_entry_revision SET text = '[purged]', reason = NULL WHERE entry_id IN (SELECT id FROM service_record_entry WHERE record_id = $1)`,
    ],
  },
  effects,

  async facts({ docs, caller, manager }) {
    // the tasks and the progress entries of a page of records: one statement
    const rows: TaskFacts[] = await manager.query(
      `SELECT t.id, t.state, t.assignee_id, t.helper_ids, t.department_id,
              (SELECT count(*) FROM service_record_entry e WHERE e.record_id = r.id AND e.kind = 'PROGRESS')::int AS progress_entries
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(id, task_id, n)
         JOIN service_task t ON t.id = r.task_id
        ORDER BY r.n`,
      [docs.map((d) => d.id ?? null), docs.map((d) => d.taskId)],
    );
    return docs.map((doc, i) => {
      const task = rows[i];
      const missing: string[] = [];
      if (!doc.actualStart) missing.push('actualStart');
      if (!doc.actualEnd) missing.push('actualEnd');
      if (task.progress_entries === 0) missing.push('a progress entry');
      return {
        isAuthor: doc.createdById === caller.userId,
        worksOnTask: task.assignee_id === caller.userId || task.helper_ids.includes(caller.userId),
        isReviewer: task.assignee_id === caller.userId || (hasRole(caller, Role.SUPERVISOR) && caller.departmentId === task.department_id),
        missingForSubmit: missing,
        taskInProgress: task.state === 'IN_PROGRESS',
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
    return doc;
  },

  events: {
    ARCHIVE: { description: 'System: archived together with the document it belongs to (records control, SPEC §5).', system: true },
    CREATE: {
      description: 'Open a service record (one per visit) for an IN_PROGRESS task you are assigned to or help on.',
      input: CreateServiceRecordInput,
      validate: (input: CreateServiceRecordInput) => timeProblems(input, { actualStart: null, actualEnd: null }),
    },
    UPDATE: {
      description: 'Set the actual start and end (to the minute) and add attachments.',
      input: UpdateServiceRecordInput,
      validate: (input: UpdateServiceRecordInput, { doc }) => timeProblems(input, doc),
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
    SUBMIT: { description: 'Hand the record in for review (needs start, end and a progress entry). Field reports are filed within 3 days of the service\'s end.' },
    APPROVE: { description: 'Review the record and forward it to customer service; never by its author.' },
    SEND_BACK: { description: 'Return the record to its author; the reason is required.', input: ReasonEventInput },
  },
};
