import { ApprovalTier, changesTierInputs, computeTier, executiveReasons } from '../../src/approval/tier';
import { signatureOf } from '../../src/approval/approval';
import { ApprovalStep, SignatureDecision } from '../../src/approval/approval.entity';
import { Complexity } from '../../src/documents/service-request/service-request.enums';
import { CustomerTier } from '../../src/organisation/organisation.entities';

const base = { amount: 1000, customerTier: CustomerTier.STANDARD, complexity: Complexity.STANDARD };

describe('approval tier (SPEC §2)', () => {
  test.each([
    ['an ordinary document', base, ApprovalTier.SUPERVISOR],
    ['no amount yet', { ...base, amount: null }, ApprovalTier.SUPERVISOR],
    ['just under the threshold', { ...base, amount: 49_999.99 }, ApprovalTier.SUPERVISOR],
    ['exactly at the threshold', { ...base, amount: 50_000 }, ApprovalTier.EXECUTIVE],
    ['above the threshold', { ...base, amount: 1_000_000 }, ApprovalTier.EXECUTIVE],
    ['a key customer', { ...base, customerTier: CustomerTier.KEY }, ApprovalTier.EXECUTIVE],
    ['a complex service', { ...base, complexity: Complexity.COMPLEX }, ApprovalTier.EXECUTIVE],
  ])('%s', (_name, inputs, tier) => {
    expect(computeTier(inputs, 50_000)).toBe(tier);
  });

  test('the threshold is a setting, not a constant', () => {
    expect(computeTier({ ...base, amount: 20_000 }, 20_000)).toBe(ApprovalTier.EXECUTIVE);
    expect(computeTier({ ...base, amount: 20_000 }, 20_000.01)).toBe(ApprovalTier.SUPERVISOR);
  });

  test('every reason is named', () => {
    expect(executiveReasons({ amount: 60_000, customerTier: CustomerTier.KEY, complexity: Complexity.COMPLEX }, 50_000)).toHaveLength(3);
  });

  test('a signature is an endorsement when the document goes on to an executive', () => {
    expect(signatureOf('APPROVE', 'PENDING_APPROVAL', 'ASSIGNED', 'PENDING_EXECUTIVE')).toEqual({ step: ApprovalStep.SUPERVISOR, decision: SignatureDecision.APPROVE });
    expect(signatureOf('APPROVE', 'PENDING_APPROVAL', 'PENDING_EXECUTIVE', 'PENDING_EXECUTIVE')).toEqual({ step: ApprovalStep.SUPERVISOR, decision: SignatureDecision.ENDORSE });
    expect(signatureOf('APPROVE', 'PENDING_EXECUTIVE', 'ASSIGNED', 'PENDING_EXECUTIVE')).toEqual({ step: ApprovalStep.EXECUTIVE, decision: SignatureDecision.APPROVE });
    expect(signatureOf('REJECT', 'PENDING_EXECUTIVE', 'DRAFT', 'PENDING_EXECUTIVE')).toEqual({ step: ApprovalStep.EXECUTIVE, decision: SignatureDecision.REJECT });
  });

  test('what counts as a change of the approved terms', () => {
    const current = { ...base, customerId: 'c1' };
    expect(changesTierInputs(current, {})).toBe(false);
    expect(changesTierInputs(current, { amount: 1000 })).toBe(false);
    expect(changesTierInputs(current, { amount: 1000.01 })).toBe(true);
    expect(changesTierInputs(current, { amount: null })).toBe(true);
    expect(changesTierInputs(current, { customerId: 'c2' })).toBe(true);
    expect(changesTierInputs(current, { complexity: Complexity.STANDARD })).toBe(false);
    expect(changesTierInputs(current, { complexity: Complexity.COMPLEX })).toBe(true);
  });
});
