import { serviceAcceptanceDefinition } from '../../src/documents/service-acceptance/service-acceptance.definition';
import type { ServiceAcceptanceFacts } from '../../src/documents/service-acceptance/service-acceptance.machine';
import { describeMachineGraph } from '../support/machine-graph';

// SPEC §3.4, transcribed by hand
describeMachineGraph<ServiceAcceptanceFacts>({
  def: serviceAcceptanceDefinition,
  expected: [
    ['NEW', 'CREATE', 'PENDING_CUSTOMER'],
    ['PENDING_CUSTOMER', 'PASS', 'PASSED'],
    ['PENDING_CUSTOMER', 'FAIL', 'FAILED'],
    ['PASSED', 'VERIFY', 'VERIFIED'],
    ['PASSED', 'QUERY', 'PENDING_CUSTOMER'],
    // records control: archived by the system with its task
    ['FAILED', 'ARCHIVE', 'ARCHIVED'],
    ['VERIFIED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: { isOwnCustomer: true, isAgent: true, taskState: 'AWAITING_ACCEPTANCE' },
  violations: {
    signer: { isOwnCustomer: false, isAgent: false },
    agent: { isAgent: false },
    workFinished: { taskState: 'IN_PROGRESS' },
  },
});
