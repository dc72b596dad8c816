/**
 * How a document type is declared: an XState machine (the rules), an entity
 * (the row), and this definition tying them to permissions, facts, effects
 * and visibility. The engine, the GraphQL mutations, `availableEvents`,
 * `history` and `workflows` are all derived from it.
 */
import type { AnyStateMachine } from 'xstate';
import type { EntityManager } from 'typeorm';
import type { ClassType } from 'type-graphql';
import type { Caller, Role } from '../auth/roles';
import { UserErrorCode, UserErrorData } from './errors';
import type { WorkflowDocument } from './workflow.entities';
import type { Scope } from './scope';
import type { RequestMeta, WorkflowEngine } from './engine';

/** Policy values the rules read (SPEC §2 threshold, …), from the one config object. */
export interface WorkflowSettings {
  /** amounts at or above this (CNY) need an executive's sign-off */
  executiveThreshold: number;
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

export interface GuardSpec {
  kind: GuardKind;
  /** the rule in a sentence; it is also the refusal message */
  description: string;
  /** for permission guards: the roles it can ever admit (shown in `workflows`) */
  roles?: Role[];
}

/** The event a machine sees: its type and the facts loaded before the transition. */
export interface GuardEvent<F> {
  type: string;
  facts: F;
}

export interface EffectContext<I, F = any> {
  caller: Caller;
  input: I;
  now: Date;
  manager: EntityManager;
  /** the facts the guards judged by (so an effect never re-derives a rule) */
  facts: F;
  /** the state the machine chose */
  to: string;
  meta: RequestMeta;
  settings: WorkflowSettings;
  /** for effects on other documents: engine.fireSystem / engine.createSystem with this manager */
  engine: WorkflowEngine;
}

export interface EventSpec<D, I = any> {
  description: string;
  /** the GraphQL input class; it must extend DocumentEventInput */
  input?: ClassType;
  /** fired by the system (another document's event), never by a mutation */
  system?: boolean;
  /** checks on the event's input the machine cannot see (reason required, …) */
  validate?(input: I, ctx: { doc: D; caller: Caller; manager: EntityManager }): UserErrorData[] | Promise<UserErrorData[]>;
  /** the event's effect on the document's own fields; state and version belong to the engine */
  apply?(doc: D, ctx: EffectContext<I>): void | Promise<void>;
  /**
   * Runs after the document (state, version, audit event) is written, in the
   * same transaction: system events and documents this event causes elsewhere
   * (a task's approval starts its request, a finish opens an acceptance).
   */
  cascade?(doc: D, ctx: EffectContext<I>): void | Promise<void>;
}

export interface CreateSpec<D, I = any> {
  description: string;
  input: ClassType;
  /** created only by another document's event (no create mutation): authorize and validate are not asked */
  system?: boolean;
  /** refuse (FORBIDDEN) or null to go on */
  authorize(caller: Caller, input: I): UserErrorData | null;
  /** further checks needing the database (customer exists, …) */
  validate?(input: I, caller: Caller, manager: EntityManager): Promise<UserErrorData[]>;
  /** the new document's fields (number, state, version and creator are the engine's) */
  build(input: I, caller: Caller, manager: EntityManager): Partial<D> | Promise<Partial<D>>;
}

export interface FactsContext<D, I = unknown> {
  doc: D;
  caller: Caller;
  input: I | undefined;
  manager: EntityManager;
  settings: WorkflowSettings;
}

export interface DocumentDefinition<D extends WorkflowDocument = WorkflowDocument, F = unknown> {
  /** GraphQL type name and audit document type, e.g. ServiceRequest */
  type: string;
  /** number prefix, e.g. SR */
  prefix: string;
  entity: new () => D;
  machine: AnyStateMachine;
  guards: Record<string, GuardSpec>;
  events: Record<string, EventSpec<D>>;
  create: CreateSpec<D>;
  /** who may read which rows (SPEC §7); the one place the rule lives for this type */
  scope(caller: Caller): Scope;
  /** the facts the machine's guards need, loaded before the transition so guards stay pure */
  facts(ctx: FactsContext<D>): F | Promise<F>;
  /** properties a portal user never sees: null for them, and left out of their history */
  staffOnlyFields: string[];
  /** events a portal user never sees in history (approvals, internal steps) */
  staffOnlyEvents?: string[];
  /**
   * The department that owns a document: its supervisors decide access requests
   * for it, and a department grant opens it. `sql` is the same as an expression
   * on the `{doc}` alias. Types without it cannot be asked for.
   */
  ownerDepartment?: {
    sql: string;
    of(doc: D, manager: EntityManager): string | null | Promise<string | null>;
  };
}
