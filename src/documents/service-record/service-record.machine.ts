/** 服務記錄單 — the technician's service record (SPEC §3.3). */
import { and, setup } from 'xstate';
import type { GuardEvent } from '../../workflow/definition';

export interface ServiceRecordFacts {
  isAuthor: boolean;
  /** a supervisor of the task's department, or the task's assignee */
  isReviewer: boolean;
  /** what SUBMIT still needs */
  missingForSubmit: string[];
  /** the record's task is still IN_PROGRESS: after FINISH its records are frozen */
  taskInProgress: boolean;
}

export const serviceRecordMachine = setup({
  types: {} as { context: Record<string, never>; events: GuardEvent<ServiceRecordFacts> },
  guards: {
    author: ({ event }) => event.facts.isAuthor,
    reviewer: ({ event }) => event.facts.isReviewer,
    notAuthor: ({ event }) => !event.facts.isAuthor,
    recordComplete: ({ event }) => event.facts.missingForSubmit.length === 0,
    taskInProgress: ({ event }) => event.facts.taskInProgress,
  },
}).createMachine({
  id: 'ServiceRecord',
  initial: 'OPEN',
  context: {},
  states: {
    OPEN: {
      on: {
        UPDATE: { target: 'OPEN', guard: and(['author', 'taskInProgress']) },
        ADD_ENTRY: { target: 'OPEN', guard: and(['author', 'taskInProgress']) },
        AMEND_ENTRY: { target: 'OPEN', guard: and(['author', 'taskInProgress']) },
        SUBMIT: { target: 'SUBMITTED', guard: and(['author', 'taskInProgress', 'recordComplete']) },
      },
    },
    SUBMITTED: {
      on: {
        APPROVE: { target: 'REVIEWED', guard: and(['reviewer', 'notAuthor']) },
        SEND_BACK: { target: 'OPEN', guard: and(['reviewer', 'notAuthor', 'taskInProgress']) },
      },
    },
    REVIEWED: { type: 'final' },
  },
});
