/**
 * Machine-graph tests for any document type: the machine's transitions are
 * exactly the contract's, every state is reachable (xstate/graph), every
 * event is sent in every state, and every guard, when its facts are false,
 * refuses its transition.
 */
import { transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { DocumentDefinition, GuardEvent } from '../../src/workflow/definition';
import { allTransitions, eventNames, stateNames } from '../../src/workflow/introspection';

export interface MachineGraphSpec<F> {
  def: DocumentDefinition<any, F>;
  /** the contract from SPEC §3: [from, event, to, facts that select this branch] */
  expected: Array<[string, string, string, Partial<F>?]>;
  /** facts under which every guard passes */
  permissive: F;
  /** per guard: facts under which it refuses */
  violations: Record<string, Partial<F>>;
}

export function describeMachineGraph<F>(spec: MachineGraphSpec<F>): void {
  const { def, expected, permissive, violations } = spec;
  const machine = def.machine;
  const restore = (state: string) => machine.resolveState({ value: state, context: {} });
  const event = (type: string, facts: Partial<F> = {}): GuardEvent<F> => ({ type, facts: { ...permissive, ...facts } });
  const states = stateNames(machine);
  const events = eventNames(machine);

  describe(`${def.type} machine graph`, () => {
    test('its transitions are exactly the contract\'s', () => {
      const actual = allTransitions(machine).map((t) => `${t.from} --${t.event}--> ${t.to}`);
      const contract = expected.map(([from, e, to]) => `${from} --${e}--> ${to}`);
      expect([...new Set(actual)].sort()).toEqual([...new Set(contract)].sort());
    });

    test('every state is reachable from the initial state', () => {
      const paths = getShortestPaths(machine, {
        events: expected.map(([, type, , facts]) => event(type, facts)),
      });
      const reached = new Set(paths.map((p) => String(p.state.value)));
      expect([...reached].sort()).toEqual([...states].sort());
      // and every path replays to where it claims to end
      for (const path of paths) {
        let snapshot = restore(String(machine.config.initial));
        for (const step of path.steps.slice(1)) [snapshot] = transition(machine, snapshot, step.event);
        expect(snapshot.value).toEqual(path.state.value);
      }
    });

    const pairs = states.flatMap((s) => events.map((e) => [s, e] as const));
    test.each(pairs)('in %s, %s goes where the contract says or is refused', (state, type) => {
      const branches = expected.filter(([from, e]) => from === state && e === type);
      if (branches.length === 0) {
        expect(restore(state).can(event(type))).toBe(false);
        const [next] = transition(machine, restore(state), event(type));
        expect(next.value).toBe(state);
        return;
      }
      for (const [, , to, facts] of branches) {
        const snapshot = restore(state);
        expect(snapshot.can(event(type, facts))).toBe(true);
        expect(transition(machine, snapshot, event(type, facts))[0].value).toBe(to);
      }
    });

    const guarded = allTransitions(machine).flatMap((t) => t.guards.map((g) => [t.from, t.event, t.to, g] as const));
    test.each(guarded)('in %s, %s to %s is refused when guard %s fails', (from, type, to, guard) => {
      expect(violations[guard]).toBeDefined();
      const branch = expected.find(([f, e, t]) => f === from && e === type && t === to);
      const facts = { ...(branch?.[3] ?? {}), ...violations[guard] };
      const [next] = transition(machine, restore(from), event(type, facts));
      expect(next.value).not.toBe(to === from ? '__never__' : to);
      if (to === from) expect(restore(from).can(event(type, facts))).toBe(false);
    });
  });
}
