/**
 * Reading a machine as data: its states, each state's transitions and the
 * guards on them. Used to explain refusals, to list available events, to
 * describe `workflows`, and to check a definition at boot.
 */
import type { AnyStateMachine } from 'xstate';
import type { DocumentDefinition } from './definition';

export interface TransitionInfo {
  event: string;
  from: string;
  to: string;
  /** the guard names, in the order they are checked */
  guards: string[];
}

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

export function transitionsFrom(machine: AnyStateMachine, state: string): TransitionInfo[] {
  const node = machine.root.states[state];
  if (!node) return [];
  const result: TransitionInfo[] = [];
  for (const [event, definitions] of Object.entries(node.on)) {
    for (const t of definitions as Array<{ target?: Array<{ key: string }>; guard?: GuardRef }>) {
      result.push({ event, from: state, to: t.target?.[0]?.key ?? state, guards: guardNames(t.guard) });
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

/** stateDiagram-v2 of a machine, transitions labelled with their events. */
export function mermaidDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${String(machine.config.initial)}`];
  for (const t of allTransitions(machine)) lines.push(`  ${t.from} --> ${t.to}: ${t.event}`);
  for (const s of finalStates(machine)) lines.push(`  ${s} --> [*]`);
  return lines.join('\n');
}

/**
 * Boot-time check (the Vendure habit): every event of the machine is declared,
 * every guard is named and described, no transition targets the void.
 */
export function checkDefinition(def: DocumentDefinition): void {
  const problems: string[] = [];
  const machineEvents = eventNames(def.machine);
  for (const e of machineEvents) if (!def.events[e]) problems.push(`event ${e} is in the machine but not declared`);
  for (const e of Object.keys(def.events)) if (!machineEvents.includes(e)) problems.push(`event ${e} is declared but no state accepts it`);
  for (const t of allTransitions(def.machine)) {
    for (const g of t.guards) if (!def.guards[g]) problems.push(`guard ${g} (${t.from} --${t.event}-->) has no GuardSpec`);
    if (!def.machine.root.states[t.to]) problems.push(`${t.from} --${t.event}--> ${t.to}: no such state`);
  }
  const implemented = Object.keys(def.machine.implementations.guards ?? {});
  for (const g of Object.keys(def.guards)) if (!implemented.includes(g)) problems.push(`guard ${g} is described but not implemented`);
  if (problems.length) throw new Error(`${def.type} workflow definition is inconsistent:\n- ${problems.join('\n- ')}`);
}
