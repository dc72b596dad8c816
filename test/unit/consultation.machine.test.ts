import { transition } from 'xstate';
import { consultationDefinition } from '../../src/documents/consultation/consultation.definition';
import type { ConsultationFacts } from '../../src/documents/consultation/consultation.machine';
import { describeMachineGraph } from '../support/machine-graph';

// SPEC §3.8 and the consultation's brief, transcribed by hand: the machine must match this table
describeMachineGraph<ConsultationFacts>({
  def: consultationDefinition,
  expected: [
    ['NEW', 'CREATE', 'LOGGED'],
    ['LOGGED', 'ANSWER', 'ANSWERED'],
    ['LOGGED', 'DEFER', 'PENDING_REPLY'],
    ['LOGGED', 'CONVERT', 'CONVERTED'],
    ['PENDING_REPLY', 'REPLY', 'ANSWERED'],
    ['PENDING_REPLY', 'DEFER', 'PENDING_REPLY'],
    ['PENDING_REPLY', 'CONVERT', 'CONVERTED'],
    ['ANSWERED', 'CONFIRM_SATISFIED', 'CLOSED'],
    ['ANSWERED', 'REPORT_UNSATISFIED', 'PENDING_REPLY'],
    ['ANSWERED', 'CONVERT', 'CONVERTED'],
    ['CLOSED', 'ARCHIVE', 'ARCHIVED'],
    ['CONVERTED', 'ARCHIVE', 'ARCHIVED'],
  ],
  permissive: { isAgent: true, isOwnCustomer: true, isArchivist: true },
  violations: {
    asker: { isAgent: false, isOwnCustomer: false },
    agent: { isAgent: false },
    customerOrAgent: { isAgent: false, isOwnCustomer: false },
    archivist: { isArchivist: false },
  },
});

describe('Consultation machine: who may act', () => {
  const machine = consultationDefinition.machine;
  const at = (state: string) => machine.resolveState({ value: state, context: {} });
  const customer = { isAgent: false, isOwnCustomer: true, isArchivist: false };
  const otherCustomer = { isAgent: false, isOwnCustomer: false, isArchivist: false };

  test('a customer of the organisation confirms or reports, but never answers, defers, replies or converts', () => {
    expect(at('ANSWERED').can({ type: 'CONFIRM_SATISFIED', facts: customer })).toBe(true);
    expect(at('ANSWERED').can({ type: 'REPORT_UNSATISFIED', facts: customer })).toBe(true);
    expect(at('LOGGED').can({ type: 'ANSWER', facts: customer })).toBe(false);
    expect(at('LOGGED').can({ type: 'DEFER', facts: customer })).toBe(false);
    expect(at('PENDING_REPLY').can({ type: 'REPLY', facts: customer })).toBe(false);
    for (const state of ['LOGGED', 'PENDING_REPLY', 'ANSWERED']) expect(at(state).can({ type: 'CONVERT', facts: customer })).toBe(false);
  });

  test('another organisation\'s customer does nothing', () => {
    expect(at('NEW').can({ type: 'CREATE', facts: otherCustomer })).toBe(false);
    expect(at('ANSWERED').can({ type: 'CONFIRM_SATISFIED', facts: otherCustomer })).toBe(false);
  });

  test('CONVERT announces Consultation.converted; ANSWER and DEFER stamp the first reply, REPLY does not', () => {
    const run = (state: string, type: string) => transition(machine, at(state), { type, facts: { isAgent: true, isOwnCustomer: false, isArchivist: false } } as never)[1].map((a: { type: string; params?: unknown }) => (a.type === 'announce' ? `announce:${(a.params as { event: string }).event}` : a.type));
    expect(run('LOGGED', 'CONVERT')).toEqual(['noteConversion', 'announce:converted']);
    expect(run('LOGGED', 'ANSWER')).toEqual(['noteAnswer', 'stampFirstReply']);
    expect(run('LOGGED', 'DEFER')).toEqual(['notePromise', 'stampFirstReply']);
    expect(run('PENDING_REPLY', 'REPLY')).toEqual(['noteAnswer']);
    expect(run('PENDING_REPLY', 'DEFER')).toEqual(['notePromise']);
  });
});
