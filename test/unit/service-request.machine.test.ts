import { serviceRequestDefinition } from '../../src/documents/service-request/service-request.definition';
import type { ServiceRequestFacts } from '../../src/documents/service-request/service-request.machine';
import { describeMachineGraph } from '../support/machine-graph';

// SPEC §3.1, transcribed by hand: the machine must match this table, not the other way round
describeMachineGraph<ServiceRequestFacts>({
  def: serviceRequestDefinition,
  expected: [
    ['NEW', 'CREATE', 'DRAFT'],
    ['DRAFT', 'UPDATE', 'DRAFT'],
    ['DRAFT', 'SUBMIT', 'SUBMITTED'],
    ['DRAFT', 'CANCEL', 'CANCELLED'],
    ['SUBMITTED', 'ACCEPT', 'ACCEPTED'],
    ['SUBMITTED', 'RETURN', 'RETURNED'],
    ['SUBMITTED', 'REJECT', 'REJECTED'],
    ['SUBMITTED', 'CANCEL', 'CANCELLED'],
    ['RETURNED', 'UPDATE', 'RETURNED'],
    ['RETURNED', 'RESUBMIT', 'SUBMITTED'],
    ['RETURNED', 'CANCEL', 'CANCELLED'],
    ['ACCEPTED', 'START', 'IN_SERVICE'],
    ['ACCEPTED', 'CANCEL', 'CANCELLED'],
    ['IN_SERVICE', 'COMPLETE', 'COMPLETED'],
    ['COMPLETED', 'ARCHIVE', 'ARCHIVED'],
    ['COMPLETED', 'RECORD_RETURN_VISIT', 'FOLLOW_UP', { lowSatisfaction: true }],
    ['COMPLETED', 'RECORD_RETURN_VISIT', 'COMPLETED', { lowSatisfaction: false }],
    ['FOLLOW_UP', 'CLOSE_FOLLOW_UP', 'COMPLETED'],
    ['REJECTED', 'ARCHIVE', 'ARCHIVED'],
    ['CANCELLED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: { isAgent: true, isCreator: true, isOwnCustomer: true, isArchivist: true, isSystem: true, fromConsultation: true, missingFields: [], anyTaskApproved: true, allTasksCompleted: true, openTasks: 0, lowSatisfaction: true },
  violations: {
    customerOrAgent: { isAgent: false, isOwnCustomer: false, isSystem: false },
    creatorOrAgent: { isAgent: false, isCreator: false, fromConsultation: false },
    agent: { isAgent: false },
    archivist: { isArchivist: false },
    requiredFieldsComplete: { missingFields: ['address'] },
    aTaskIsApproved: { anyTaskApproved: false },
    allTasksCompleted: { allTasksCompleted: false },
    noOpenTasks: { openTasks: 1 },
    lowSatisfaction: { lowSatisfaction: false },
  },
});
