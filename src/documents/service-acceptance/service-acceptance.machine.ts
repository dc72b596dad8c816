/** 服務驗收單 — the customer's acceptance of a task, one round at a time (SPEC §3.4). */
import { and, setup } from 'xstate';
import type { GuardEvent } from '../../workflow/definition';

export interface ServiceAcceptanceFacts {
  /** a portal user of the request's organisation */
  isOwnCustomer: boolean;
  isAgent: boolean;
  /** the task's state: nobody signs before the work is finished */
  taskState: string;
}

export const serviceAcceptanceMachine = setup({
  types: {} as { context: Record<string, never>; events: GuardEvent<ServiceAcceptanceFacts> },
  guards: {
    signer: ({ event }) => event.facts.isOwnCustomer || event.facts.isAgent,
    agent: ({ event }) => event.facts.isAgent,
    workFinished: ({ event }) => event.facts.taskState === 'AWAITING_ACCEPTANCE',
  },
}).createMachine({
  id: 'ServiceAcceptance',
  initial: 'PENDING_CUSTOMER',
  context: {},
  states: {
    PENDING_CUSTOMER: {
      on: {
        PASS: { target: 'PASSED', guard: and(['signer', 'workFinished']) },
        FAIL: { target: 'FAILED', guard: and(['signer', 'workFinished']) },
      },
    },
    PASSED: {
      on: {
        VERIFY: { target: 'VERIFIED', guard: 'agent' },
        QUERY: { target: 'PENDING_CUSTOMER', guard: 'agent' },
      },
    },
    FAILED: { type: 'final' },
    VERIFIED: { type: 'final' },
  },
});
