/**
 * 查詢申請 — a request to read documents outside one's normal audience (SPEC §3.7, seed 000 §7.1): the
 * whole contract. A grant widens the requester's read scope until it expires or is revoked; each read
 * made through it is logged.
 */
import { and } from 'xstate';
import { Role } from '../../auth/roles';
import { documentMachine, permission, rule, segregation } from '../../workflow/definition';

export interface AccessRequestFacts {
  /** a supervisor of the department that owns what is asked for */
  isOwnerSupervisor: boolean;
  isRequester: boolean;
  /** the grant's expiry has passed */
  isExpired: boolean;
}

type F = AccessRequestFacts;

const EVERY_ROLE = Object.values(Role);

export const accessRequestGuards = {
  ownerSupervisor: permission<F>('Only a supervisor of the department that owns what is asked for decides.', [Role.SUPERVISOR], (f) => f.isOwnerSupervisor),
  notOwnRequest: segregation<F>('Nobody decides on their own access request.', (f) => !f.isRequester),
  requester: permission<F>('Only the requester may withdraw the request.', EVERY_ROLE, (f) => f.isRequester),
  ownerSupervisorOrRequester: permission<F>('Only a supervisor of the owning department, or the requester, may revoke the grant.', EVERY_ROLE, (f) => f.isOwnerSupervisor || f.isRequester),
  expired: rule<F>('A grant expires only once its expiry has passed.', (f) => f.isExpired),
};

export const accessRequestEffects = ['grantUntil', 'noteDenial', 'noteRevocation'] as const;

export const accessRequestMachine = documentMachine(accessRequestGuards, accessRequestEffects, {
  id: 'AccessRequest',
  initial: 'NEW',
  states: {
    // anyone may ask to read what they cannot see
    NEW: { on: { CREATE: { target: 'REQUESTED' } } },
    REQUESTED: {
      on: {
        GRANT: { target: 'GRANTED', guard: and(['ownerSupervisor', 'notOwnRequest']), actions: ['grantUntil'] },
        DENY: { target: 'DENIED', guard: and(['ownerSupervisor', 'notOwnRequest']), actions: ['noteDenial'] },
        WITHDRAW: { target: 'WITHDRAWN', guard: 'requester' },
      },
    },
    GRANTED: {
      on: {
        REVOKE: { target: 'REVOKED', guard: 'ownerSupervisorOrRequester', actions: ['noteRevocation'] },
        EXPIRE: { target: 'EXPIRED', guard: 'expired' },
      },
    },
    DENIED: { type: 'final' },
    WITHDRAWN: { type: 'final' },
    REVOKED: { type: 'final' },
    EXPIRED: { type: 'final' },
  },
});
