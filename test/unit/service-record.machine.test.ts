import { serviceRecordDefinition } from '../../src/documents/service-record/service-record.definition';
import type { ServiceRecordFacts } from '../../src/documents/service-record/service-record.machine';
import { describeMachineGraph } from '../support/machine-graph';

const REVIEWER = { isAuthor: false };

// SPEC §3.3, transcribed by hand
describeMachineGraph<ServiceRecordFacts>({
  def: serviceRecordDefinition,
  expected: [
    ['NEW', 'CREATE', 'OPEN'],
    ['OPEN', 'UPDATE', 'OPEN'],
    ['OPEN', 'ADD_ENTRY', 'OPEN'],
    ['OPEN', 'AMEND_ENTRY', 'OPEN'],
    ['OPEN', 'SUBMIT', 'SUBMITTED'],
    ['SUBMITTED', 'APPROVE', 'REVIEWED', REVIEWER],
    // records control: archived by the system with its task
    ['REVIEWED', 'ARCHIVE', 'ARCHIVED'],
    ['SUBMITTED', 'SEND_BACK', 'OPEN', REVIEWER],
  ],
  permissive: { isAuthor: true, worksOnTask: true, isReviewer: true, missingForSubmit: [], taskInProgress: true },
  violations: {
    worker: { worksOnTask: false },
    author: { isAuthor: false },
    reviewer: { isReviewer: false },
    notAuthor: { isAuthor: true },
    recordComplete: { missingForSubmit: ['actualEnd'] },
    taskInProgress: { taskInProgress: false },
  },
});
