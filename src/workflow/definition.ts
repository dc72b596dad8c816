/**
 * How a document type is declared, in one folder:
 *  - `<type>.machine.ts`: the guard table (kind, sentence, roles and predicate, each rule once) and the
 *    XState machine, whose transitions name their guards, their effects (actions) and the domain events
 *    they announce; creation is the machine's first transition (NEW --CREATE--> …);
 *  - `<type>.policy.ts`: who reads which rows and which fields are staff-only (src/workflow/policy.ts);
 *  - `<type>.definition.ts`: this object — the facts the guards read, the effects the actions name, each
 *    event's input and description.
 * The engine, the GraphQL mutations, `availableEvents`, `availableCreations`, `history`, `workflows` and the
 * read scope are all derived from it. Documents never import each other: they announce domain events and
 * the routing table in src/workflow/reactions.ts says who reacts.
 */
import { setup, type AnyStateMachine, type MachineConfig } from 'xstate';
import type { EntityManager } from 'typeorm';
import type { ClassType } from 'type-graphql';
import type { Caller, Role } from '../auth/roles';
import { UserErrorCode, UserErrorData } from './errors';
import type { WorkflowDocument } from './workflow.entities';
import type { ReadPolicy } from './policy';

/** Where an event came from: the HTTP request's id and the caller's Idempotency-Key. */
export interface RequestMeta {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** Policy values the rules read (SPEC §2 threshold, …), from the one config object. */
export interface WorkflowSettings {
  /** amounts at or above this (CNY) need an executive's sign-off */
  executiveThreshold: number;
  /** days a repaired fault stays under the post-repair warranty when the record does not say (SPEC §3.10, REPAIR_WARRANTY_DAYS) */
  repairWarrantyDays: number;
}

/** Which refusal code a failing guard produces. */
export enum GuardKind {
  /** who may fire the event at all */
  PERMISSION = 'PERMISSION',
  /** a business rule about the document */
  RULE = 'RULE',
  /** the approval tier needs a higher signer */
  TIER = 'TIER',
  /** the signer is too close to the document */
  SEGREGATION = 'SEGREGATION',
}

export const codeOfGuardKind: Record<GuardKind, UserErrorCode> = {
  [GuardKind.PERMISSION]: UserErrorCode.FORBIDDEN,
  [GuardKind.RULE]: UserErrorCode.GUARD_FAILED,
  [GuardKind.TIER]: UserErrorCode.APPROVAL_TIER,
  [GuardKind.SEGREGATION]: UserErrorCode.SEGREGATION_OF_DUTIES,
};

/** A guard as `workflows` shows it. */
export interface GuardSpec {
  kind: GuardKind;
  /** the rule in a sentence; it is also the refusal message */
  description: string;
  /** for permission guards: the roles it can ever admit (shown in `workflows`, and what `availableCreations` asks) */
  roles?: Role[];
  /** the input field a refusal names, where the rule is about one */
  field?: string;
}

/** A guard as a machine file declares it: the spec and its pure predicate over the loaded facts. */
export interface Guard<F> extends GuardSpec {
  test(facts: F): boolean;
  /** the refusal's message from the facts, where the sentence alone cannot name what is missing (the description otherwise) */
  explain?(facts: F): string | null;
}

export const permission = <F>(description: string, roles: Role[], test: (facts: F) => boolean, field?: string): Guard<F> => ({ kind: GuardKind.PERMISSION, description, roles, test, field });
export const rule = <F>(description: string, test: (facts: F) => boolean, explain?: (facts: F) => string | null): Guard<F> => ({ kind: GuardKind.RULE, description, test, explain });
export const tier = <F>(description: string, test: (facts: F) => boolean): Guard<F> => ({ kind: GuardKind.TIER, description, test });
export const segregation = <F>(description: string, test: (facts: F) => boolean): Guard<F> => ({ kind: GuardKind.SEGREGATION, description, test });

/** The event a machine sees: its type and the facts loaded before the transition. */
export interface GuardEvent<F> {
  type: string;
  facts: F;
}

/** The pseudo-state a document is in before it exists: its CREATE transition is the creation rule. */
export const NEW = 'NEW';
export const CREATE = 'CREATE';

/** The action that announces a domain event (`ServiceTask.approved`) on the exact transition that causes it. */
export const ANNOUNCE = 'announce';
/** The state every archivable machine ends in (SPEC §5): read-only on every path (the engine refuses any event in it). */
export const ARCHIVED = 'ARCHIVED';
export const announce = (event: string) => ({ type: ANNOUNCE, params: { event } }) as const;

/**
 * Builds a document machine from its guard table, the names of its effects and its states. The guards'
 * predicates become XState guards over `event.facts`; effects are named here and implemented in the
 * definition (they write to the database, which a pure machine cannot), and the engine runs exactly the
 * actions `transition()` returns.
 */
export function documentMachine<F>(guards: Record<string, Guard<F>>, effects: readonly string[], config: MachineConfig<any, any>): AnyStateMachine {
  const implementations = Object.fromEntries(Object.entries(guards).map(([name, g]) => [name, ({ event }: { event: GuardEvent<F> }) => g.test(event.facts)]));
  const actions = Object.fromEntries([...effects, ANNOUNCE].map((name) => [name, () => undefined]));
  const machine = setup({ types: {} as { context: Record<string, never>; events: GuardEvent<F> }, guards: implementations as never, actions: actions as never }).createMachine({ context: {}, ...config } as never) as unknown as AnyStateMachine;
  (machine as AnyStateMachine & { guardTable?: Record<string, GuardSpec> }).guardTable = guards;
  return machine;
}

/** The guard table a machine was built from. */
export const guardTableOf = (machine: AnyStateMachine): Record<string, GuardSpec> => (machine as AnyStateMachine & { guardTable?: Record<string, GuardSpec> }).guardTable ?? {};

export interface EffectContext<I = any, F = any> {
  caller: Caller;
  input: I;
  now: Date;
  manager: EntityManager;
  /** the facts the guards judged by (so an effect never re-derives a rule) */
  facts: F;
  /** the state the document was in, and the state the machine chose */
  from: string;
  to: string;
  meta: RequestMeta;
  settings: WorkflowSettings;
  /** the action's params, as written on the transition */
  params?: Record<string, unknown>;
}

/** An effect: what one named action does to the document's own fields (state and version are the engine's). */
export type Effect<D> = (doc: D, ctx: EffectContext) => void | Promise<void>;

export interface EventSpec<D, I = any> {
  description: string;
  /** the GraphQL input class; it extends DocumentEventInput (CREATE: any input class) */
  input?: ClassType;
  /** the system fires it (a reaction to another document's event, or a job) */
  system?: boolean;
  /** callers send it through its mutation; by default exactly the events the system does not fire */
  callers?: boolean;
  /** checks on the event's input the machine cannot see (reason required, …), after the guards */
  validate?(input: I, ctx: { doc: D; caller: Caller; manager: EntityManager; now: Date }): UserErrorData[] | Promise<UserErrorData[]>;
}

/** Whether an event has a mutation. */
export const sentByCallers = (spec: EventSpec<any>): boolean => spec.callers ?? !spec.system;

export interface FactsContext<D, I = unknown> {
  /** one document (an event, a creation) or a page of them (availableEvents): one answer each, in order */
  docs: D[];
  caller: Caller;
  /** the event's input, for a single document */
  input: I | undefined;
  manager: EntityManager;
  settings: WorkflowSettings;
  /** the engine's clock now: rules about time judge by it (a test's clock, never the machine's) */
  now: Date;
}

export interface DocumentDefinition<D extends WorkflowDocument = WorkflowDocument, F = unknown> {
  /** GraphQL type name and audit document type, e.g. ServiceRequest */
  type: string;
  /** number prefix, e.g. SR */
  prefix: string;
  entity: new () => D;
  machine: AnyStateMachine;
  /** who reads which rows and which fields are staff-only: the one place for this type (SPEC §7) */
  policy: ReadPolicy;
  /** every event of the machine, CREATE included */
  events: Record<string, EventSpec<D>>;
  /** the implementation of every effect the machine names */
  effects: Record<string, Effect<D>>;
  /**
   * The new document from a CREATE's input, before the guards judge it: its references resolved (and,
   * where they are documents, locked and within the caller's scope). Throws a Refusal (NOT_FOUND,
   * VALIDATION) when the input names nothing it can build from.
   */
  build(input: any, caller: Caller, manager: EntityManager): Promise<D> | D;
  /**
   * The facts the guards need, loaded before the transition so guards stay pure: for a page of
   * documents in a bounded number of statements (availableEvents on a list does not grow with it).
   */
  facts(ctx: FactsContext<D>): F[] | Promise<F[]>;
  /**
   * Records control (SPEC §5, src/records/): the states in which the document is closed (its end of service:
   * retention runs from the moment it entered one), the columns a purge removes, and the column bulk archiving
   * filters by category. A type without it is outside records control (no retention, never archived or purged).
   */
  records?: RecordsPolicy;
}

/** How a type is archived, retained and purged (SPEC §5), declared once in its definition. */
export interface RecordsPolicy {
  /** states in which the document is closed; ARCHIVED (reached only from one of them) counts as closed too */
  closedStates: string[];
  /** a document in one of those states that still has work left (a consumed requisition's warranty parts awaiting their write-off) is not closed yet */
  stillOpen?: (doc: any) => boolean;
  /**
   * Entity properties holding personal data (names, phones, addresses, free text): a purge nulls them (a
   * NOT NULL text column gets '[purged]'), redacts their values from the document's audit events, and keeps
   * everything else (dates, states, amounts, scores, ids, numbers).
   */
  personalFields: string[];
  /** the SQL column bulk archiving filters `category` on, when the type has one */
  categoryColumn?: string;
  /**
   * true: no archive mutation of its own — it is archived by the system together with the document it belongs
   * to (src/workflow/reactions.ts), and bulk archiving does not list it
   */
  archivedWithParent?: boolean;
  /** further statements a purge runs for the type's sub-tables ($1: the document's id), e.g. a record's entry texts */
  purgeSql?: string[];
}
