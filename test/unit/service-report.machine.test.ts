import { transition } from 'xstate';
import { serviceReportDefinition } from '../../src/documents/service-report/service-report.definition';
import type { ServiceReportFacts } from '../../src/documents/service-report/service-report.machine';
import { periodInstants, periodOf, previousMonth } from '../../src/documents/service-report/service-report.period';
import { describeMachineGraph } from '../support/machine-graph';

// SPEC §3.9 and the report's brief, transcribed by hand: the machine must match this table
describeMachineGraph<ServiceReportFacts>({
  def: serviceReportDefinition,
  expected: [
    ['NEW', 'CREATE', 'DRAFT'],
    ['DRAFT', 'UPDATE', 'DRAFT'],
    ['DRAFT', 'SUBMIT', 'PENDING_REVIEW'],
    ['DRAFT', 'CANCEL', 'CANCELLED'],
    ['PENDING_REVIEW', 'REVIEW', 'PENDING_APPROVAL'],
    ['PENDING_REVIEW', 'SEND_BACK', 'DRAFT'],
    ['PENDING_APPROVAL', 'APPROVE', 'ISSUED'],
    ['PENDING_APPROVAL', 'SEND_BACK', 'DRAFT'],
    ['ISSUED', 'ARCHIVE', 'ARCHIVED'],
    ['CANCELLED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: {
    isDrafter: true, isSystem: true, isDepartmentSupervisor: true, isExecutive: true, isInvolved: false, signedThisRound: false,
    isArchivist: true, duplicateExists: false, isPlan: false, planItemCount: 0,
  },
  violations: {
    drafter: { isDrafter: false, isSystem: false },
    editor: { isDrafter: false },
    unique: { duplicateExists: true },
    planHasItems: { isPlan: true, planItemCount: 0 },
    departmentHead: { isDepartmentSupervisor: false },
    executive: { isExecutive: false },
    segregated: { isInvolved: true },
    archivist: { isArchivist: false },
  },
});

describe('ServiceReport machine: who signs', () => {
  const machine = serviceReportDefinition.machine;
  const at = (state: string) => machine.resolveState({ value: state, context: {} });
  const base: ServiceReportFacts = {
    isDrafter: false, isSystem: false, isDepartmentSupervisor: false, isExecutive: false, isInvolved: false, signedThisRound: false,
    isArchivist: false, duplicateExists: false, isPlan: false, planItemCount: 0,
  };
  const head = { ...base, isDrafter: true, isDepartmentSupervisor: true };
  const executive = { ...base, isExecutive: true };

  test('the department head reviews but never approves; an executive approves but never reviews', () => {
    expect(at('PENDING_REVIEW').can({ type: 'REVIEW', facts: head })).toBe(true);
    expect(at('PENDING_APPROVAL').can({ type: 'APPROVE', facts: head })).toBe(false);
    expect(at('PENDING_REVIEW').can({ type: 'REVIEW', facts: executive })).toBe(false);
    expect(at('PENDING_APPROVAL').can({ type: 'APPROVE', facts: executive })).toBe(true);
    // no shortcut: nothing approves a report still waiting for its review
    expect(at('PENDING_REVIEW').can({ type: 'APPROVE', facts: { ...head, isExecutive: true } })).toBe(false);
  });

  test('the one who drew it up or submitted it does not review it; the reviewer does not approve it', () => {
    expect(at('PENDING_REVIEW').can({ type: 'REVIEW', facts: { ...head, isInvolved: true } })).toBe(false);
    expect(at('PENDING_APPROVAL').can({ type: 'APPROVE', facts: { ...executive, signedThisRound: true } })).toBe(false);
  });

  test('a plan without items is not submitted; a report without items is', () => {
    expect(at('DRAFT').can({ type: 'SUBMIT', facts: { ...head, isPlan: true } })).toBe(false);
    expect(at('DRAFT').can({ type: 'SUBMIT', facts: { ...head, isPlan: true, planItemCount: 2 } })).toBe(true);
    expect(at('DRAFT').can({ type: 'SUBMIT', facts: head })).toBe(true);
  });

  test('CREATE freezes the figures; APPROVE signs, stamps and announces ServiceReport.issued', () => {
    const run = (state: string, type: string, facts: ServiceReportFacts) =>
      transition(machine, at(state), { type, facts } as never)[1].map((a: { type: string; params?: any }) => (a.type === 'announce' ? `announce:${a.params.event}` : a.type === 'sign' ? `sign:${a.params.step}:${a.params.decision}` : a.type));
    expect(run('NEW', 'CREATE', { ...base, isSystem: true })).toEqual(['describe', 'freezeFigures']);
    expect(run('PENDING_REVIEW', 'REVIEW', head)).toEqual(['sign:SUPERVISOR:ENDORSE', 'stampReviewed']);
    expect(run('PENDING_APPROVAL', 'APPROVE', executive)).toEqual(['sign:EXECUTIVE:APPROVE', 'stampIssued', 'announce:issued']);
    expect(run('PENDING_APPROVAL', 'SEND_BACK', executive)).toEqual(['sign:EXECUTIVE:REJECT', 'noteSendBack']);
  });
});

describe('ServiceReport periods', () => {
  test('derived from kind and year (+ month or half), inclusive', () => {
    expect(periodOf('MONTHLY', 2024, 2)).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodOf('MONTHLY', 2026, 12)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodOf('HALF_YEARLY', 2026, null, 1)).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(periodOf('HALF_YEARLY', 2026, null, 2)).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    expect(periodOf('YEARLY', 2026)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodOf('SPARE_PARTS_PLAN', 2027)).toEqual({ from: '2027-01-01', to: '2027-12-31' });
  });

  test('counted between local midnights of the business timezone', () => {
    const { from, to } = periodInstants(periodOf('MONTHLY', 2026, 3), 'Asia/Shanghai');
    expect(from.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(to.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    const utc = periodInstants(periodOf('YEARLY', 2026), 'UTC');
    expect([utc.from.toISOString(), utc.to.toISOString()]).toEqual(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  test('last month, as the business timezone sees the moment', () => {
    // 2026-04-30T17:00Z is already May 1 in Shanghai: last month is April
    expect(previousMonth(new Date('2026-04-30T17:00:00Z'), 'Asia/Shanghai')).toEqual({ year: 2026, month: 4 });
    expect(previousMonth(new Date('2026-04-30T17:00:00Z'), 'UTC')).toEqual({ year: 2026, month: 3 });
    expect(previousMonth(new Date('2026-01-01T01:00:00Z'), 'Asia/Shanghai')).toEqual({ year: 2025, month: 12 });
  });
});
