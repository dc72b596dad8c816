/**
 * The service record as the engine sees it (SPEC §3.3): written by the task's
 * assignee or a helper while the task is IN_PROGRESS; entries appended,
 * corrections as signed revisions; reviewed by the task's supervisor or
 * assignee, never by its author.
 */
import type { EntityManager } from 'typeorm';
import { Caller, hasRole, Role } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { DocumentDefinition, GuardKind } from '../../workflow/definition';
import { UserErrorCode, UserErrorData } from '../../workflow/errors';
import { applyScope } from '../../workflow/scope';
import { serviceTaskDefinition } from '../service-task/service-task.definition';
import { ServiceTaskState } from '../service-task/service-task.enums';
import { ServiceTask } from '../service-task/service-task.entity';
import { EntryKind } from './service-record.enums';
import { ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision } from './service-record.entity';
import { ServiceRecordFacts, serviceRecordMachine } from './service-record.machine';
import { AddEntryInput, AmendEntryInput, CreateServiceRecordInput, ReasonEventInput, UpdateServiceRecordInput } from './service-record.types';
import { serviceRecordScope } from './service-record.visibility';

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

const working = (task: ServiceTask, caller: Caller) => task.assigneeId === caller.userId || task.helperIds.includes(caller.userId);

export const serviceRecordDefinition: DocumentDefinition<ServiceRecord, ServiceRecordFacts> = {
  type: 'ServiceRecord',
  prefix: 'RC',
  entity: ServiceRecord,
  machine: serviceRecordMachine,
  scope: serviceRecordScope,
  staffOnlyFields: [],
  ownerDepartment: { sql: '{doc}.department_id', of: (doc) => doc.departmentId },

  guards: {
    author: { kind: GuardKind.PERMISSION, description: 'Only the record\'s author may do this.', roles: [Role.TECHNICIAN] },
    reviewer: { kind: GuardKind.PERMISSION, description: 'A record is reviewed by a supervisor of the task\'s department or the task\'s assignee.', roles: [Role.SUPERVISOR, Role.TECHNICIAN] },
    notAuthor: { kind: GuardKind.SEGREGATION, description: 'Nobody reviews a record they wrote.' },
    recordComplete: { kind: GuardKind.RULE, description: 'A record is submitted with its actual start and end and at least one progress entry.' },
    taskInProgress: { kind: GuardKind.RULE, description: 'A record changes only while its task is IN_PROGRESS; once the work is finished its records are frozen.' },
  },

  async facts({ doc, caller, manager }) {
    const task = await manager.findOneByOrFail(ServiceTask, { id: doc.taskId });
    const progress = await manager.countBy(ServiceRecordEntry, { recordId: doc.id, kind: EntryKind.PROGRESS });
    const missing: string[] = [];
    if (!doc.actualStart) missing.push('actualStart');
    if (!doc.actualEnd) missing.push('actualEnd');
    if (progress === 0) missing.push('a progress entry');
    return {
      isAuthor: doc.createdById === caller.userId,
      isReviewer: task.assigneeId === caller.userId || (hasRole(caller, Role.SUPERVISOR) && caller.departmentId === task.departmentId),
      missingForSubmit: missing,
      taskInProgress: task.state === ServiceTaskState.IN_PROGRESS,
    };
  },

  create: {
    description: 'Open a service record (one per visit) for an IN_PROGRESS task you are assigned to or help on.',
    input: CreateServiceRecordInput,
    authorize: (caller) => (hasRole(caller, Role.TECHNICIAN) ? null : { code: UserErrorCode.FORBIDDEN, message: 'Service records are written by the task\'s assignee or helpers.', field: null }),
    async validate(input: CreateServiceRecordInput, caller, manager) {
      const taskId = idOf(input.taskId, 'ServiceTask');
      // the task row stays locked until the record is written, so a FINISH cannot slip in between (it locks the task too)
      const task = taskId
        ? await applyScope(manager.createQueryBuilder(ServiceTask, 'd').where('d.id = :taskId', { taskId }), serviceTaskDefinition.scope(caller)).setLock('pessimistic_write').getOne()
        : null;
      if (!task) return [{ code: UserErrorCode.NOT_FOUND, message: 'No service task with this id.', field: 'taskId' }];
      if (!working(task, caller)) return [{ code: UserErrorCode.FORBIDDEN, message: 'Service records are written by the task\'s assignee or helpers.', field: 'taskId' }];
      if (task.state !== ServiceTaskState.IN_PROGRESS) return [{ code: UserErrorCode.GUARD_FAILED, message: `Records are written while the task is IN_PROGRESS; it is ${task.state}.`, field: 'taskId' }];
      return timeProblems(input, { actualStart: null, actualEnd: null });
    },
    async build(input: CreateServiceRecordInput, _caller, manager: EntityManager) {
      const task = await manager.findOneByOrFail(ServiceTask, { id: idOf(input.taskId, 'ServiceTask')! });
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
  },

  events: {
    UPDATE: {
      description: 'Set the actual start and end (to the minute) and add attachments.',
      input: UpdateServiceRecordInput,
      validate: (input: UpdateServiceRecordInput, { doc }) => timeProblems(input, doc),
      apply(doc, { input, caller, now }) {
        const update = input as UpdateServiceRecordInput;
        if (update.actualStart !== undefined) doc.actualStart = update.actualStart ?? null;
        if (update.actualEnd !== undefined) doc.actualEnd = update.actualEnd ?? null;
        if (update.addAttachments?.length) {
          doc.attachments = [
            ...doc.attachments,
            ...update.addAttachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256, location: a.location, addedById: caller.userId, addedAt: now.toISOString() })),
          ];
        }
      },
    },
    ADD_ENTRY: {
      description: 'Append an entry: a progress step, a problem, its solution, or the customer\'s feedback.',
      input: AddEntryInput,
      async apply(doc, { input, caller, now, manager }) {
        const add = input as AddEntryInput;
        const [{ next }] = await manager.query(`SELECT coalesce(max(seq), 0) + 1 AS next FROM service_record_entry WHERE record_id = $1`, [doc.id]);
        const entry = await manager.save(ServiceRecordEntry, manager.create(ServiceRecordEntry, { recordId: doc.id, seq: next, kind: add.kind, authorId: caller.userId, createdAt: now }));
        await manager.save(ServiceRecordEntryRevision, manager.create(ServiceRecordEntryRevision, { entryId: entry.id, revision: 1, text: add.text, authorId: caller.userId, authorName: caller.name, at: now, reason: null }));
      },
    },
    AMEND_ENTRY: {
      description: 'Correct an entry: a new revision signed by you with the reason; the earlier text stays visible.',
      input: AmendEntryInput,
      async validate(input: AmendEntryInput, { doc, manager }) {
        const entryId = idOf(input.entryId, 'ServiceRecordEntry');
        const exists = entryId ? await manager.existsBy(ServiceRecordEntry, { id: entryId, recordId: doc.id }) : false;
        return exists ? [] : [validation('entryId', 'entryId must name an entry of this record')];
      },
      async apply(_doc, { input, caller, now, manager }) {
        const amend = input as AmendEntryInput;
        const entryId = idOf(amend.entryId, 'ServiceRecordEntry')!;
        const [{ next }] = await manager.query(`SELECT coalesce(max(revision), 0) + 1 AS next FROM service_record_entry_revision WHERE entry_id = $1`, [entryId]);
        await manager.save(ServiceRecordEntryRevision, manager.create(ServiceRecordEntryRevision, { entryId, revision: next, text: amend.text, authorId: caller.userId, authorName: caller.name, at: now, reason: amend.reason }));
      },
    },
    SUBMIT: {
      description: 'Hand the record in for review (needs start, end and a progress entry). Field reports are filed within 3 days of the service\'s end.',
      apply: (doc, { now }) => {
        doc.submittedAt = now;
      },
    },
    APPROVE: {
      description: 'Review the record and forward it to customer service; never by its author.',
      apply: (doc, { now, caller }) => {
        doc.reviewedAt = now;
        doc.reviewedById = caller.userId;
      },
    },
    SEND_BACK: {
      description: 'Return the record to its author; the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input }) => {
        doc.sendBackReason = (input as ReasonEventInput).reason;
      },
    },
  },
};
