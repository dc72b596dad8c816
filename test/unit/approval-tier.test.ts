import { ApprovalTier, changesTierInputs, computeTier, executiveReasons } from '../../src/approval/tier';
import { transition } from 'xstate';
import { serviceTaskMachine } from '../../src/documents/service-task/service-task.machine';
import { ApprovalStep, SignatureDecision } from '../../src/approval/approval.entity';
import { Complexity } from '../../src/vocabulary';
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

  test('the transition the machine takes records its own signature: an endorsement when the document goes on to an executive', () => {
    const facts = { isDepartmentSupervisor: true, isExecutive: true, isInvolved: false, signedThisRound: false, qualificationProblem: null };
    const signatureOf = (from: string, type: string, tier: ApprovalTier) => {
      const [, actions] = transition(serviceTaskMachine, serviceTaskMachine.resolveState({ value: from, context: {} }), { type, facts: { ...facts, tier } } as never);
      return (actions as Array<{ type: string; params?: unknown }>).find((a) => a.type === 'sign')?.params;
    };
    expect(signatureOf('PENDING_APPROVAL', 'APPROVE', ApprovalTier.SUPERVISOR)).toEqual({ step: ApprovalStep.SUPERVISOR, decision: SignatureDecision.APPROVE });
    expect(signatureOf('PENDING_APPROVAL', 'APPROVE', ApprovalTier.EXECUTIVE)).toEqual({ step: ApprovalStep.SUPERVISOR, decision: SignatureDecision.ENDORSE });
    expect(signatureOf('PENDING_EXECUTIVE', 'APPROVE', ApprovalTier.EXECUTIVE)).toEqual({ step: ApprovalStep.EXECUTIVE, decision: SignatureDecision.APPROVE });
    expect(signatureOf('PENDING_EXECUTIVE', 'REJECT', ApprovalTier.EXECUTIVE)).toEqual({ step: ApprovalStep.EXECUTIVE, decision: SignatureDecision.REJECT });
    expect(signatureOf('PENDING_APPROVAL', 'REJECT', ApprovalTier.EXECUTIVE)).toEqual({ step: ApprovalStep.SUPERVISOR, decision: SignatureDecision.REJECT });
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
