/** 服務記錄單 — the technician's service record (SPEC §3.3): the whole contract. */
import { and } from 'xstate';
import { Role } from '../../auth/roles';
import { documentMachine, permission, rule, segregation } from '../../workflow/definition';

export interface ServiceRecordFacts {
  isAuthor: boolean;
  /** the assignee or a helper of the record's task (who writes records) */
  worksOnTask: boolean;
  /** a supervisor of the task's department, or the task's assignee */
  isReviewer: boolean;
  /** what SUBMIT still needs */
  missingForSubmit: string[];
  /** the record's task is still IN_PROGRESS: after FINISH its records are frozen */
  taskInProgress: boolean;
}

type F = ServiceRecordFacts;

export const serviceRecordGuards = {
  worker: permission<F>('Service records are written by the task\'s assignee or helpers.', [Role.TECHNICIAN], (f) => f.worksOnTask),
  author: permission<F>('Only the record\'s author may do this.', [Role.TECHNICIAN], (f) => f.isAuthor),
  reviewer: permission<F>('A record is reviewed by a supervisor of the task\'s department or the task\'s assignee.', [Role.SUPERVISOR, Role.TECHNICIAN], (f) => f.isReviewer),
  notAuthor: segregation<F>('Nobody reviews a record they wrote.', (f) => !f.isAuthor),
  recordComplete: rule<F>('A record is submitted with its actual start and end and at least one progress entry.', (f) => f.missingForSubmit.length === 0),
  taskInProgress: rule<F>('A record is written and changed only while its task is IN_PROGRESS; once the work is finished its records are frozen.', (f) => f.taskInProgress),
};

export const serviceRecordEffects = ['applyTimes', 'addAttachments', 'appendEntry', 'appendRevision', 'stampSubmitted', 'stampReviewed', 'noteSendBack'] as const;

export const serviceRecordMachine = documentMachine(serviceRecordGuards, serviceRecordEffects, {
  id: 'ServiceRecord',
  initial: 'NEW',
  states: {
    NEW: { on: { CREATE: { target: 'OPEN', guard: and(['worker', 'taskInProgress']) } } },
    OPEN: {
      on: {
        UPDATE: { target: 'OPEN', guard: and(['author', 'taskInProgress']), actions: ['applyTimes', 'addAttachments'] },
        ADD_ENTRY: { target: 'OPEN', guard: and(['author', 'taskInProgress']), actions: ['appendEntry'] },
        AMEND_ENTRY: { target: 'OPEN', guard: and(['author', 'taskInProgress']), actions: ['appendRevision'] },
        SUBMIT: { target: 'SUBMITTED', guard: and(['author', 'taskInProgress', 'recordComplete']), actions: ['stampSubmitted'] },
      },
    },
    SUBMITTED: {
      on: {
        APPROVE: { target: 'REVIEWED', guard: and(['reviewer', 'notAuthor']), actions: ['stampReviewed'] },
        SEND_BACK: { target: 'OPEN', guard: and(['reviewer', 'notAuthor', 'taskInProgress']), actions: ['noteSendBack'] },
      },
    },
    // archived by the system with its task (src/workflow/reactions.ts)
    REVIEWED: { on: { ARCHIVE: 'ARCHIVED' } },
    ARCHIVED: { type: 'final' },
  },
});
