import { accessRequestDefinition } from '../../src/documents/access-request/access-request.definition';
import type { AccessRequestFacts } from '../../src/documents/access-request/access-request.machine';
import { describeMachineGraph } from '../support/machine-graph';

// SPEC §3.7, transcribed by hand (WITHDRAW is our refinement: the requester may drop an undecided request)
describeMachineGraph<AccessRequestFacts>({
  def: accessRequestDefinition,
  expected: [
    ['NEW', 'CREATE', 'REQUESTED'],
    ['REQUESTED', 'GRANT', 'GRANTED', { isRequester: false }],
    ['REQUESTED', 'DENY', 'DENIED', { isRequester: false }],
    ['REQUESTED', 'WITHDRAW', 'WITHDRAWN'],
    ['GRANTED', 'REVOKE', 'REVOKED'],
    ['GRANTED', 'EXPIRE', 'EXPIRED'],
  ],
  // a supervisor deciding someone else's request: "requester" and "notOwnRequest" cannot both pass, so each branch says which it needs
  permissive: { isOwnerSupervisor: true, isRequester: true, isExpired: true },
  violations: {
    ownerSupervisor: { isOwnerSupervisor: false },
    notOwnRequest: { isRequester: true },
    requester: { isRequester: false },
    ownerSupervisorOrRequester: { isOwnerSupervisor: false, isRequester: false },
    expired: { isExpired: false },
  },
});
