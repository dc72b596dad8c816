/**
 * 查詢申請 — a request to read documents outside one's normal audience (SPEC §3.7,
 * seed 000 §7.1). A grant widens the requester's read scope until it expires or
 * is revoked; each read made through it is logged.
 */
import { and, setup } from 'xstate';
import type { GuardEvent } from '../../workflow/definition';

export interface AccessRequestFacts {
  /** a supervisor of the department that owns what is asked for */
  isOwnerSupervisor: boolean;
  isRequester: boolean;
  /** the grant's expiry has passed */
  isExpired: boolean;
}

export const accessRequestMachine = setup({
  types: {} as { context: Record<string, never>; events: GuardEvent<AccessRequestFacts> },
  guards: {
    ownerSupervisor: ({ event }) => event.facts.isOwnerSupervisor,
    notOwnRequest: ({ event }) => !event.facts.isRequester,
    requester: ({ event }) => event.facts.isRequester,
    ownerSupervisorOrRequester: ({ event }) => event.facts.isOwnerSupervisor || event.facts.isRequester,
    expired: ({ event }) => event.facts.isExpired,
  },
}).createMachine({
  id: 'AccessRequest',
  initial: 'REQUESTED',
  context: {},
  states: {
    REQUESTED: {
      on: {
        GRANT: { target: 'GRANTED', guard: and(['ownerSupervisor', 'notOwnRequest']) },
        DENY: { target: 'DENIED', guard: and(['ownerSupervisor', 'notOwnRequest']) },
        WITHDRAW: { target: 'WITHDRAWN', guard: 'requester' },
      },
    },
    GRANTED: {
      on: {
        REVOKE: { target: 'REVOKED', guard: 'ownerSupervisorOrRequester' },
        EXPIRE: { target: 'EXPIRED', guard: 'expired' },
      },
    },
    DENIED: { type: 'final' },
    WITHDRAWN: { type: 'final' },
    REVOKED: { type: 'final' },
    EXPIRED: { type: 'final' },
  },
});
