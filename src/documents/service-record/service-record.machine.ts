/** 服務記錄單 — the technician's service record (SPEC §3.3): the whole contract. */
import { and } from 'xstate';
import { Role } from '../../auth/roles';
import { documentMachine, permission, rule, segregation } from '../../workflow/definition';

export interface ServiceRecordFacts {
  isAuthor: boolean;
  /** the assignee or a helper of the record's task (who writes records) */
  worksOnTask: boolean;
  /** a supervisor of the task's department (SPEC §3.3: reviewed and signed by the department supervisor) */
  isReviewer: boolean;
  /** what SUBMIT still needs */
  missingForSubmit: string[];
  /** the record's task is still IN_PROGRESS: after FINISH its records are frozen */
  taskInProgress: boolean;
  /** a portal user of the request's organisation */
  isOwnCustomer: boolean;
  /** customer service, recording the paper report signed on site */
  isAgent: boolean;
  /** the customer's sign-off is on the record */
  customerSigned: boolean;
  /** the work is over: the actual end has passed, and a paper signature is dated neither before it nor in the future */
  workDone: boolean;
  /** the request's service type is REPAIR */
  isRepair: boolean;
  /** a parts requisition consumed in this record was written off (read by SQL from parts_requisition) */
  partsWrittenOff: boolean;
}

type F = ServiceRecordFacts;

export const serviceRecordGuards = {
  worker: permission<F>('Service records are written by the task\'s assignee or helpers.', [Role.TECHNICIAN], (f) => f.worksOnTask),
  author: permission<F>('Only the record\'s author may do this.', [Role.TECHNICIAN], (f) => f.isAuthor),
  reviewer: permission<F>('A record is reviewed and signed by a supervisor of the task\'s department.', [Role.SUPERVISOR], (f) => f.isReviewer),
  notAuthor: segregation<F>('Nobody reviews a record they wrote.', (f) => !f.isAuthor),
  recordComplete: rule<F>(
    'A record is submitted with its actual start and end and at least one progress entry; a repair\'s record also with its warranty check and the faults it repaired.',
    (f) => f.missingForSubmit.length === 0,
  ),
  taskInProgress: rule<F>('A record is written and changed only while its task is IN_PROGRESS; once the work is finished its records are frozen.', (f) => f.taskInProgress),
  signer: permission<F>(
    'The field report is signed by a portal user of the request\'s organisation, or customer service records the paper report the customer signed.',
    [Role.CUSTOMER, Role.AGENT],
    (f) => f.isOwnCustomer || f.isAgent,
  ),
  notYetSigned: rule<F>('The customer has already signed this report.', (f) => !f.customerSigned),
  workDone: rule<F>(
    'Nobody signs before the service (seed 003): the record\'s actual end must have passed, and a paper signature is dated neither before it nor in the future.',
    (f) => f.workDone,
  ),
  customerSigned: rule<F>(
    'A field report is valid only once the customer has signed it or stamped it with the company seal: record the customer\'s sign-off before approving it.',
    (f) => f.customerSigned,
  ),
  noPartsWrittenOff: rule<F>(
    'Warranty parts were written off against this record on the strength of the customer\'s signed report: it can no longer be sent back, which would clear that sign-off.',
    (f) => !f.partsWrittenOff,
  ),
  repair: rule<F>('A warranty check and repaired faults are recorded on a repair (the request\'s service type is REPAIR).', (f) => f.isRepair),
};

export const serviceRecordEffects = ['applyTimes', 'addAttachments', 'appendEntry', 'appendRevision', 'applyRepair', 'stampSubmitted', 'signOff', 'clearSignOff', 'stampReviewed', 'noteSendBack'] as const;

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
        RECORD_REPAIR: { target: 'OPEN', guard: and(['author', 'taskInProgress', 'repair']), actions: ['applyRepair'] },
        SUBMIT: { target: 'SUBMITTED', guard: and(['author', 'taskInProgress', 'recordComplete']), actions: ['stampSubmitted'] },
      },
    },
    SUBMITTED: {
      on: {
        // the customer signs the report as filed (its content no longer changes), after the work (seed 003)
        SIGN_OFF: { target: 'SUBMITTED', guard: and(['signer', 'notYetSigned', 'workDone']), actions: ['signOff'] },
        APPROVE: { target: 'REVIEWED', guard: and(['reviewer', 'notAuthor', 'customerSigned']), actions: ['stampReviewed'] },
        // a report sent back will change: the customer's signature no longer covers it; once parts were written off
        // against the signed report (parts requisition WRITE_OFF) it stands
        SEND_BACK: { target: 'OPEN', guard: and(['reviewer', 'notAuthor', 'taskInProgress', 'noPartsWrittenOff']), actions: ['noteSendBack', 'clearSignOff'] },
      },
    },
    // archived by the system with its task (src/workflow/reactions.ts)
    REVIEWED: { on: { ARCHIVE: 'ARCHIVED' } },
    ARCHIVED: { type: 'final' },
  },
});
