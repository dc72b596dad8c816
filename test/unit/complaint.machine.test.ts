import { complaintDefinition } from '../../src/documents/complaint/complaint.definition';
import type { ComplaintFacts } from '../../src/documents/complaint/complaint.machine';
import { describeMachineGraph } from '../support/machine-graph';

// SPEC §3.5 and the complaint brief, transcribed by hand: the machine must match this table
describeMachineGraph<ComplaintFacts>({
  def: complaintDefinition,
  expected: [
    ['NEW', 'CREATE', 'RECEIVED'],
    ['RECEIVED', 'CLASSIFY', 'CLASSIFIED'],
    ['CLASSIFIED', 'ASSIGN', 'ASSIGNED'],
    ['ASSIGNED', 'INVESTIGATE', 'INVESTIGATING'],
    ['INVESTIGATING', 'RESOLVE', 'PENDING_APPROVAL'],
    ['PENDING_APPROVAL', 'APPROVE', 'RESOLVED'],
    ['PENDING_APPROVAL', 'REJECT', 'INVESTIGATING'],
    ['RESOLVED', 'NOTIFY', 'CUSTOMER_NOTIFIED'],
    ['CUSTOMER_NOTIFIED', 'CONFIRM_SATISFIED', 'FOLLOW_UP'],
    ['CUSTOMER_NOTIFIED', 'REPORT_UNSATISFIED', 'INVESTIGATING'],
    ['FOLLOW_UP', 'CLOSE', 'CLOSED'],
    ['CLOSED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: {
    isAgent: true,
    isOwnCustomer: true,
    isDepartmentSupervisor: true,
    isExecutive: true,
    isResolver: false,
    isFiler: false,
    isArchivist: true,
    requestOfSameCustomer: true,
  },
  violations: {
    customerOrAgent: { isAgent: false, isOwnCustomer: false },
    requestOfSameCustomer: { requestOfSameCustomer: false },
    agent: { isAgent: false },
    departmentSupervisor: { isDepartmentSupervisor: false },
    executive: { isExecutive: false },
    segregated: { isResolver: true },
    customerOrAgentAnswer: { isAgent: false, isOwnCustomer: false },
    archivist: { isArchivist: false },
  },
});

describe('Complaint guards', () => {
  const table = (complaintDefinition.machine as any).guardTable;
  const base: ComplaintFacts = { isAgent: false, isOwnCustomer: false, isDepartmentSupervisor: false, isExecutive: true, isResolver: false, isFiler: false, isArchivist: false, requestOfSameCustomer: true };
  test('segregation refuses the resolver and the filer, and admits any other executive', () => {
    expect(table.segregated.test(base)).toBe(true);
    expect(table.segregated.test({ ...base, isResolver: true })).toBe(false);
    expect(table.segregated.test({ ...base, isFiler: true })).toBe(false);
  });
  test('the customer\'s answer: a portal user of the organisation or an agent, nobody else', () => {
    expect(table.customerOrAgentAnswer.test({ ...base, isOwnCustomer: true })).toBe(true);
    expect(table.customerOrAgentAnswer.test({ ...base, isAgent: true })).toBe(true);
    expect(table.customerOrAgentAnswer.test({ ...base, isDepartmentSupervisor: true })).toBe(false);
  });
});
