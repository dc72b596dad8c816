/**
 * 服務驗收單 — the customer's acceptance of a task, one round at a time (SPEC §3.4): the whole contract.
 * Opened by the system when the task's work is finished; its failure and verification are announced,
 * and the task reacts (src/workflow/reactions.ts).
 */
import { and } from 'xstate';
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission, rule } from '../../workflow/definition';

export interface ServiceAcceptanceFacts {
  /** a portal user of the request's organisation */
  isOwnCustomer: boolean;
  isAgent: boolean;
  /** the task's state: nobody signs before the work is finished */
  taskState: string | null;
}

type F = ServiceAcceptanceFacts;

export const serviceAcceptanceGuards = {
  signer: permission<F>('The acceptance is signed by the request\'s customer, or recorded by customer service with the signer\'s name.', [Role.CUSTOMER, Role.AGENT], (f) => f.isOwnCustomer || f.isAgent),
  agent: permission<F>('Only customer service (AGENT) may do this.', [Role.AGENT], (f) => f.isAgent),
  workFinished: rule<F>('No acceptance is signed before the work is finished (the task must be AWAITING_ACCEPTANCE).', (f) => f.taskState === 'AWAITING_ACCEPTANCE'),
};

export const serviceAcceptanceEffects = ['sign', 'notePass', 'noteIssues', 'stampVerified', 'noteQuery'] as const;

export const serviceAcceptanceMachine = documentMachine(serviceAcceptanceGuards, serviceAcceptanceEffects, {
  id: 'ServiceAcceptance',
  initial: 'NEW',
  states: {
    // opened by the system when the task's FINISH announces it: round n + 1
    NEW: { on: { CREATE: { target: 'PENDING_CUSTOMER', guard: 'workFinished' } } },
    PENDING_CUSTOMER: {
      on: {
        PASS: { target: 'PASSED', guard: and(['signer', 'workFinished']), actions: ['sign', 'notePass'] },
        FAIL: { target: 'FAILED', guard: and(['signer', 'workFinished']), actions: ['sign', 'noteIssues', announce('failed')] },
      },
    },
    PASSED: {
      on: {
        VERIFY: { target: 'VERIFIED', guard: 'agent', actions: ['stampVerified', announce('verified')] },
        QUERY: { target: 'PENDING_CUSTOMER', guard: 'agent', actions: ['noteQuery'] },
      },
    },
    // archived by the system with its task (src/workflow/reactions.ts)
    FAILED: { on: { ARCHIVE: 'ARCHIVED' } },
    VERIFIED: { on: { ARCHIVE: 'ARCHIVED' } },
    ARCHIVED: { type: 'final' },
  },
});
