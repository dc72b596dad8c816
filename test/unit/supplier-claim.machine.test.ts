import { supplierClaimDefinition } from '../../src/documents/supplier-claim/supplier-claim.definition';
import type { SupplierClaimFacts } from '../../src/documents/supplier-claim/supplier-claim.machine';
import { describeMachineGraph } from '../support/machine-graph';

// SPEC §3.6 (二次索賠) as the brief refines it: drawn up by the monthly processing, sent, accepted or rejected, settled
describeMachineGraph<SupplierClaimFacts>({
  def: supplierClaimDefinition,
  expected: [
    ['NEW', 'CREATE', 'DRAFT'],
    ['DRAFT', 'SUBMIT', 'SUBMITTED'],
    ['DRAFT', 'CANCEL', 'CANCELLED'],
    ['SUBMITTED', 'ACCEPT', 'ACCEPTED'],
    ['SUBMITTED', 'REJECT', 'REJECTED'],
    ['ACCEPTED', 'SETTLE', 'SETTLED'],
    ['SETTLED', 'ARCHIVE', 'ARCHIVED'],
    ['REJECTED', 'ARCHIVE', 'ARCHIVED'],
    ['CANCELLED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: { isSystem: true, isClaimHandler: true, isArchivist: true, lineCount: 1 },
  violations: {
    processing: { isSystem: false },
    hasLines: { lineCount: 0 },
    handler: { isClaimHandler: false },
    archivist: { isArchivist: false },
  },
});

describe('SupplierClaim guards', () => {
  test('only the monthly processing draws a claim up: no role can create one', () => {
    const table = (supplierClaimDefinition.machine as any).guardTable;
    expect(table.processing.roles).toEqual([]);
    expect(supplierClaimDefinition.events.CREATE.system).toBe(true);
    // nor send a technician's event: the handlers are the store and the department's supervisor
    expect(table.handler.roles).toEqual(['STOREKEEPER', 'SUPERVISOR']);
  });
});
