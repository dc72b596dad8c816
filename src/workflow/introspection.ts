/**
 * Reading a machine as data: its states, each state's transitions and the
 * guards on them. Used to explain refusals, to list available events, to
 * describe `workflows`, and to check a definition at boot.
 */
import type { AnyStateMachine } from 'xstate';
import { ANNOUNCE, CREATE, guardTableOf, NEW, type DocumentDefinition } from './definition';
import { routedEvents } from './reactions';

export interface TransitionInfo {
  event: string;
  from: string;
  to: string;
  /** the guard names, in the order they are checked */
  guards: string[];
  /** the effects it runs, in order */
  effects: string[];
  /** the domain events it announces (`approved` for ServiceTask.approved) */
  announces: string[];
}

type ActionRef = string | { type: string; params?: { event?: string } };

type GuardRef = string | { type: string } | ((...args: unknown[]) => unknown) | undefined;

/** Flattens `'name'`, `{ type: 'name' }` and `and(['a', 'b'])` into guard names. */
export function guardNames(guard: GuardRef): string[] {
  if (!guard) return [];
  if (typeof guard === 'string') return [guard];
  if (typeof guard === 'function') {
    const inner = (guard as { guards?: GuardRef[] }).guards;
    if (!inner) throw new Error('inline guard functions cannot be explained: name the guard in setup({ guards })');
    return inner.flatMap(guardNames);
  }
  return [guard.type];
}

export function stateNames(machine: AnyStateMachine): string[] {
  return Object.keys(machine.root.states);
}

export function finalStates(machine: AnyStateMachine): string[] {
  return Object.values(machine.root.states)
    .filter((s) => s.type === 'final')
    .map((s) => s.key);
}

/** machines are fixed at boot: each state's transitions are read once (every judgement asks) */
const transitionsByState = new WeakMap<AnyStateMachine, Map<string, readonly TransitionInfo[]>>();
export function transitionsFrom(machine: AnyStateMachine, state: string): readonly TransitionInfo[] {
  let byState = transitionsByState.get(machine);
  if (!byState) transitionsByState.set(machine, (byState = new Map()));
  let found = byState.get(state);
  if (!found) byState.set(state, (found = Object.freeze(readTransitions(machine, state))));
  return found;
}

function readTransitions(machine: AnyStateMachine, state: string): TransitionInfo[] {
  const node = machine.root.states[state];
  if (!node) return [];
  const result: TransitionInfo[] = [];
  for (const [event, definitions] of Object.entries(node.on)) {
    for (const t of definitions as unknown as Array<{ target?: Array<{ key: string }>; guard?: GuardRef; actions?: ActionRef[] }>) {
      const actions = (t.actions ?? []).map((a) => (typeof a === 'string' ? { type: a } : a));
      result.push({
        event,
        from: state,
        to: t.target?.[0]?.key ?? state,
        guards: guardNames(t.guard),
        effects: actions.filter((a) => a.type !== ANNOUNCE).map((a) => a.type),
        announces: actions.filter((a) => a.type === ANNOUNCE).map((a) => String(a.params?.event)),
      });
    }
  }
  return result;
}

export function allTransitions(machine: AnyStateMachine): TransitionInfo[] {
  return stateNames(machine).flatMap((s) => transitionsFrom(machine, s));
}

export function eventNames(machine: AnyStateMachine): string[] {
  return [...new Set(allTransitions(machine).map((t) => t.event))];
}

/** The states a new document starts in (the targets of CREATE). */
export const creationStates = (machine: AnyStateMachine): string[] => [...new Set(transitionsFrom(machine, NEW).map((t) => t.to))];

/** stateDiagram-v2 of a machine, transitions labelled with their events; creation drawn from [*]. */
export function mermaidDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  for (const t of allTransitions(machine)) lines.push(`  ${t.from === NEW ? '[*]' : t.from} --> ${t.to}: ${t.event}`);
  for (const s of finalStates(machine)) lines.push(`  ${s} --> [*]`);
  return lines.join('\n');
}

/**
 * Boot-time check (the Vendure habit): the machine starts at NEW with a CREATE, every event of the machine
 * is declared and the other way round, every guard is in the guard table, every effect it names is
 * implemented and every implemented effect is used, no transition targets the void.
 */
export function checkDefinition(def: DocumentDefinition): void {
  const problems: string[] = [];
  if (String(def.machine.config.initial) !== NEW) problems.push(`the machine must start at ${NEW} (creation is its first transition)`);
  if (!transitionsFrom(def.machine, NEW).some((t) => t.event === CREATE)) problems.push(`${NEW} has no ${CREATE} transition`);
  const machineEvents = eventNames(def.machine);
  for (const e of machineEvents) if (!def.events[e]) problems.push(`event ${e} is in the machine but not declared`);
  for (const e of Object.keys(def.events)) if (!machineEvents.includes(e)) problems.push(`event ${e} is declared but no state accepts it`);
  const table = guardTableOf(def.machine);
  const used = new Set<string>();
  for (const t of allTransitions(def.machine)) {
    for (const g of t.guards) if (!table[g]) problems.push(`guard ${g} (${t.from} --${t.event}-->) is not in the guard table`);
    for (const e of t.effects) {
      used.add(e);
      if (!def.effects[e]) problems.push(`effect ${e} (${t.from} --${t.event}-->) is not implemented`);
    }
    if (!def.machine.root.states[t.to]) problems.push(`${t.from} --${t.event}--> ${t.to}: no such state`);
  }
  for (const e of Object.keys(def.effects)) if (!used.has(e)) problems.push(`effect ${e} is implemented but no transition runs it`);
  if (problems.length) throw new Error(`${def.type} workflow definition is inconsistent:\n- ${problems.join('\n- ')}`);
}

/** Every routed domain event of a registered type is announced by that type's machine. */
export function checkReactions(definitions: DocumentDefinition<any, any>[]): void {
  const announced = new Set(definitions.flatMap((def) => allTransitions(def.machine).flatMap((t) => t.announces.map((a) => `${def.type}.${a}`))));
  const types = new Set(definitions.map((d) => d.type));
  const missing = routedEvents().filter((e) => types.has(e.split('.')[0]) && !announced.has(e));
  if (missing.length) throw new Error(`reactions route domain events no machine announces: ${missing.join(', ')}`);
}
