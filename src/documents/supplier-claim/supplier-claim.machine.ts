/**
 * 二次索賠 — a claim on a supplier for the old parts its warranty covers (SPEC §3.6, seed 003 §3.7.5, §3.8): the
 * whole contract. Drawn up by the monthly processing of the received old parts (the system), sent to the supplier
 * and followed to its settlement by the spare-parts store or the department's supervisor. Nobody collects money
 * here: the claim records what the company asks back, what the supplier accepted and how it settled.
 */
import { and } from 'xstate';
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission, rule } from '../../workflow/definition';

export interface SupplierClaimFacts {
  /** the monthly processing (the system) */
  isSystem: boolean;
  /** the spare-parts store (STOREKEEPER) or a SUPERVISOR of the claim's department */
  isClaimHandler: boolean;
  /** ARCHIVIST, or the system's scheduled archiving */
  isArchivist: boolean;
  lineCount: number;
}

type F = SupplierClaimFacts;

export const supplierClaimGuards = {
  processing: permission<F>('A supplier claim is drawn up by the monthly processing of the received old parts.', [], (f) => f.isSystem),
  hasLines: rule<F>('A supplier claim names at least one old part.', (f) => f.lineCount > 0),
  handler: permission<F>('Only the spare-parts store (STOREKEEPER) or a supervisor of the claim\'s department handles a supplier claim.', [Role.STOREKEEPER, Role.SUPERVISOR], (f) => f.isClaimHandler),
  archivist: permission<F>('Only the records custodian (ARCHIVIST) or an automation holding that role archives.', [Role.ARCHIVIST], (f) => f.isArchivist),
};

export const supplierClaimEffects = ['stampSubmitted', 'recordAcceptance', 'noteRejection', 'recordSettlement', 'noteCancellation'] as const;

const archive = { target: 'ARCHIVED', guard: 'archivist' };

export const supplierClaimMachine = documentMachine(supplierClaimGuards, supplierClaimEffects, {
  id: 'SupplierClaim',
  initial: 'NEW',
  states: {
    NEW: { on: { CREATE: { target: 'DRAFT', guard: and(['processing', 'hasLines']) } } },
    DRAFT: {
      on: {
        SUBMIT: { target: 'SUBMITTED', guard: 'handler', actions: ['stampSubmitted', announce('submitted')] },
        CANCEL: { target: 'CANCELLED', guard: 'handler', actions: ['noteCancellation'] },
      },
    },
    SUBMITTED: {
      on: {
        ACCEPT: { target: 'ACCEPTED', guard: 'handler', actions: ['recordAcceptance'] },
        REJECT: { target: 'REJECTED', guard: 'handler', actions: ['noteRejection'] },
      },
    },
    ACCEPTED: { on: { SETTLE: { target: 'SETTLED', guard: 'handler', actions: ['recordSettlement', announce('settled')] } } },
    REJECTED: { on: { ARCHIVE: archive } },
    SETTLED: { on: { ARCHIVE: archive } },
    CANCELLED: { on: { ARCHIVE: archive } },
    ARCHIVED: { type: 'final' },
  },
});
