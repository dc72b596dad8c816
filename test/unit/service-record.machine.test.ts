import { serviceRecordDefinition } from '../../src/documents/service-record/service-record.definition';
import type { ServiceRecordFacts } from '../../src/documents/service-record/service-record.machine';
import { describeMachineGraph } from '../support/machine-graph';

const REVIEWER = { isAuthor: false };

// SPEC §3.3 and §3.10, transcribed by hand: the customer signs the filed report after the work, a supervisor of the
// department reviews it only once signed; a repair records its warranty check and repaired faults
describeMachineGraph<ServiceRecordFacts>({
  def: serviceRecordDefinition,
  expected: [
    ['NEW', 'CREATE', 'OPEN'],
    ['OPEN', 'UPDATE', 'OPEN'],
    ['OPEN', 'ADD_ENTRY', 'OPEN'],
    ['OPEN', 'AMEND_ENTRY', 'OPEN'],
    ['OPEN', 'RECORD_REPAIR', 'OPEN'],
    ['OPEN', 'SUBMIT', 'SUBMITTED'],
    ['SUBMITTED', 'SIGN_OFF', 'SUBMITTED', { customerSigned: false }],
    ['SUBMITTED', 'APPROVE', 'REVIEWED', REVIEWER],
    // records control: archived by the system with its task
    ['REVIEWED', 'ARCHIVE', 'ARCHIVED'],
    ['SUBMITTED', 'SEND_BACK', 'OPEN', REVIEWER],
  ],
  permissive: {
    isAuthor: true,
    worksOnTask: true,
    isReviewer: true,
    missingForSubmit: [],
    taskInProgress: true,
    isOwnCustomer: true,
    isAgent: true,
    customerSigned: true,
    workDone: true,
    isRepair: true,
    partsWrittenOff: false,
  },
  violations: {
    worker: { worksOnTask: false },
    author: { isAuthor: false },
    reviewer: { isReviewer: false },
    notAuthor: { isAuthor: true },
    recordComplete: { missingForSubmit: ['the warranty check'] },
    taskInProgress: { taskInProgress: false },
    signer: { isOwnCustomer: false, isAgent: false },
    notYetSigned: { customerSigned: true },
    workDone: { workDone: false },
    customerSigned: { customerSigned: false },
    repair: { isRepair: false },
    noPartsWrittenOff: { partsWrittenOff: true },
  },
});
