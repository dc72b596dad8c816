/**
 * The workflow engine: the only code that changes a document's state.
 *
 * One event = one transaction:
 *   1. lock the row (SELECT … FOR UPDATE) within the caller's read scope, with the head of its audit chain, in
 *      one statement (src/workflow/transition-sql.ts) — for CREATE, build the new document from its input
 *      (references resolved and locked)
 *   2. not visible ⇒ NOT_FOUND; expectedVersion differs ⇒ STALE_VERSION
 *   3. load the facts the guards need (guards stay pure; no statement when they need nothing from other rows)
 *   4. ask the machine: no transition for the event here ⇒ INVALID_TRANSITION;
 *      a guard refuses ⇒ its code (FORBIDDEN, GUARD_FAILED, APPROVAL_TIER, …); then the input's own checks
 *   5. run the effects the machine chose for that exact transition; in one statement write the changed columns
 *      (state, version), append the hash-chained audit event, its outbox row and job, and mark the caller's
 *      Idempotency-Key applied
 *   6. the deadlines and the records register the event concerns (nothing sent when it concerns none), and the
 *      domain events the transition announced ⇒ the reactions of src/workflow/reactions.ts, in the same
 *      transaction
 * Any refusal throws inside the transaction, so nothing of it is kept.
 */
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { transition, type AnyMachineSnapshot } from 'xstate';
import { hasRole, Role, SYSTEM_CALLER, type Caller } from '../auth/roles';
import { appendAuditEvent, sealAuditEvent, type ChainHead } from './audit';
import { markApplied, writeOutbox } from './outbox';
import { ANNOUNCE, ARCHIVED, type RequestMeta, codeOfGuardKind, CREATE, DocumentDefinition, EffectContext, type Guard, GuardEvent, GuardKind, guardTableOf, NEW, sentByCallers, WorkflowSettings } from './definition';
import { Refusal, UserErrorCode, UserErrorData, notFound } from './errors';
import { normalScope } from './grants';
import { transitionsFrom } from './introspection';
import { nextDocumentNumber } from './numbering';
import { staffOnlyInputs } from './policy';
import { reactionsTo, type Reaction } from './reactions';
import { definitionOf } from './registry';
import { anyOf, applyScope, type Scope } from './scope';
import { TransitionSql, type ColumnChange } from './transition-sql';
import { applyDeadlineRules, concernsDeadlines } from '../time/deadlines';
import { recordChange, trackRecord } from '../records/tracking';
import { pipelinedTransaction } from '../db/pipelined-transaction';
import type { DeadlineSettings } from '../time/settings';
import type { WorkflowDocument } from './workflow.entities';
import type { SettingsService } from '../config/settings';

export type { RequestMeta } from './definition';

export interface Outcome<D> {
  document: D | null;
  userErrors: UserErrorData[];
}

export interface EventInput {
  id: string | null;
  expectedVersion?: number | null;
  [field: string]: unknown;
}

/** An action transition() chose: an effect's name, or `announce` with the domain event. */
interface ChosenAction {
  type: string;
  params?: Record<string, unknown>;
}

export type Verdict = { allowed: true; to: string; facts: unknown; actions: ChosenAction[] } | { allowed: false; error: UserErrorData };

export interface AvailableEventData {
  event: string;
  allowed: boolean;
  code: UserErrorCode | null;
  reason: string | null;
}

export const DEFAULT_SETTINGS: WorkflowSettings = { executiveThreshold: 50_000, repairWarrantyDays: 90 };


/** PostgreSQL errors that mean "try the whole transaction again". */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

export class WorkflowEngine {
  /** each type's lean-transition statements, generated from its entity metadata on first use */
  private readonly statements = new Map<DocumentDefinition<any, any>, TransitionSql<any>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
    /**
     * The policy settings every rule reads (src/config/settings.ts): the threshold and the deadline lengths of each
     * event are read when it runs, so a change applies from the next event on.
     */
    readonly policy: SettingsService,
  ) {}

  /** the approval threshold and the repair warranty now */
  get settings(): WorkflowSettings {
    const { executiveThreshold, repairWarrantyDays } = this.policy.current();
    return { executiveThreshold, repairWarrantyDays };
  }

  /** the deadline lengths now */
  get deadlineSettings(): DeadlineSettings {
    return this.policy.current().deadlines;
  }

  /** the engine's clock: every event's time, and the time deadlines are judged by */
  now(): Date {
    return this.clock();
  }

  /**
   * Runs `work` in a transaction, retrying serialization failures and deadlocks. BEGIN goes out with the first
   * statement, and a transition's write may take COMMIT with it (src/db/pipelined-transaction.ts): two round trips.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await pipelinedTransaction(this.dataSource, work);
      } catch (error) {
        const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  /** Creates a document: the machine's CREATE transition, judged like any event. */
  async create<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, caller: Caller, input: any, meta: RequestMeta): Promise<Outcome<D>> {
    return this.refusalsAsOutcome(() =>
      this.transaction(async (manager) => {
        const spec = def.events[CREATE];
        if (!spec || !sentByCallers(spec)) throw Refusal.of(UserErrorCode.FORBIDDEN, `A ${def.type} is opened by the system only.`);
        // who may never create one learns nothing about the input (not even whether what it names exists)
        const forbidden = creationRefusal(def, caller);
        if (forbidden) throw new Refusal([forbidden]);
        return { document: await this.insert(manager, def, caller, input, meta), userErrors: [] };
      }),
    );
  }

  private async insert<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, caller: Caller, input: any, meta: RequestMeta): Promise<D> {
    const doc = manager.create(def.entity, (await def.build(input, caller, manager)) as any) as D;
    doc.state = NEW;
    const verdict = await this.judge(def, doc, caller, CREATE, input, manager);
    if (!verdict.allowed) throw new Refusal([verdict.error]);
    const now = this.clock();
    const ctx = this.effectContext(manager, caller, input, now, verdict, NEW, meta);
    await this.runEffects(def, doc, verdict.actions, ctx);
    Object.assign(doc, { number: await nextDocumentNumber(manager, def.prefix, now), state: verdict.to, version: 1, createdById: caller.userId, createdAt: now, updatedAt: now });
    const saved = (await manager.save(def.entity, doc)) as D;
    const audit = await appendAuditEvent(manager, {
      documentType: def.type,
      documentId: saved.id,
      event: CREATE,
      fromState: null,
      toState: verdict.to,
      version: 1,
      ...actorOf(caller),
      at: now,
      reason: null,
      changes: diff(this.dataSource, def, {} as D, saved),
      ...meta,
    });
    await this.afterWrite(manager, caller, audit, meta);
    await applyDeadlineRules(manager, { type: def.type, event: CREATE, from: null, to: verdict.to, doc: saved, now }, this.deadlineSettings);
    await trackRecord(manager, def, null, verdict.to, saved, now);
    await this.react(manager, def, saved, verdict.actions, meta);
    return saved;
  }

  /**
   * A document the system opens inside a transaction of a job (as a reaction's `open` does): judged by its
   * machine's CREATE with the system as the caller. A refusal throws and aborts the transaction.
   */
  async openSystem<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, input: any, meta: RequestMeta): Promise<D> {
    return this.insert(manager, def, SYSTEM_CALLER, input, meta);
  }

  /** Fires one event a caller sent at one document. */
  async fire<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, caller: Caller, type: string, input: EventInput, meta: RequestMeta): Promise<Outcome<D>> {
    return this.refusalsAsOutcome(
      () =>
        this.transaction(async (manager) => {
          const locked = await this.lockVisible(manager, def, caller, input.id);
          if (!locked) throw notFound();
          const doc = locked.doc;
          if (input.expectedVersion != null && input.expectedVersion !== doc.version) {
            throw Refusal.of(UserErrorCode.STALE_VERSION, `The document is at version ${doc.version}, not ${input.expectedVersion}: reload it and try again.`, 'expectedVersion');
          }
          const spec = def.events[type];
          if (!spec || !sentByCallers(spec) || type === CREATE) throw Refusal.of(UserErrorCode.INVALID_TRANSITION, `${type} is not an event a caller can send.`);
          const verdict = await this.judge(def, doc, caller, type, input, manager);
          if (!verdict.allowed) throw new Refusal([verdict.error]);
          // the event's write is the transaction's last statement unless something follows it (commit)
          return { document: await this.commit(manager, def, locked.head, doc, caller, type, input, verdict, meta, true), userErrors: [] };
        }),
      // a refusal reports the document as it is, when the caller may see it
      (errors) => (errors[0]?.code === UserErrorCode.NOT_FOUND ? null : this.findVisible(def, caller, input.id)),
    );
  }

  /**
   * A system event fired inside another transaction (a reaction, a job): the machine still decides.
   * `offer` semantics return null when the machine does not take the event now; otherwise a refusal
   * aborts the whole transaction.
   */
  async fireSystem<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, id: string, type: string, meta: RequestMeta, options: { optional?: boolean } = {}): Promise<D | null> {
    const locked = await this.sqlOf(def).lock(manager, id, null);
    if (!locked) throw new Error(`${def.type} ${id} vanished during a system event`);
    const doc = locked.doc;
    const verdict = await this.judge(def, doc, SYSTEM_CALLER, type, { id }, manager);
    if (!verdict.allowed) {
      const declined = verdict.error.code === UserErrorCode.INVALID_TRANSITION || verdict.error.code === UserErrorCode.GUARD_FAILED || verdict.error.code === UserErrorCode.ARCHIVED;
      if (options.optional && declined) return null;
      throw new Refusal([verdict.error]);
    }
    return this.commit(manager, def, locked.head, doc, SYSTEM_CALLER, type, { id }, verdict, meta);
  }

  /** Would `type` be allowed for this caller now? Explains the first reason it is not. */
  async judge<D extends WorkflowDocument>(
    def: DocumentDefinition<D, any>,
    doc: D,
    caller: Caller,
    type: string,
    input: EventInput | undefined,
    manager: EntityManager,
    /** facts already loaded for this document and caller (availableEvents loads them for a page at once) */
    loadFacts: () => Promise<unknown> = async () => (await def.facts({ docs: [doc], caller, input, manager, settings: this.settings, now: this.clock() }))[0],
    /** only whether it is allowed (availableEvents): the transition's target and effects are not worked out */
    decideOnly = false,
  ): Promise<Verdict> {
    // archived is read-only on every path (SPEC §5): callers' events, system events, reactions, availableEvents
    if (doc.state === ARCHIVED) return refuse(UserErrorCode.ARCHIVED, `The ${def.type} is archived: it is read-only.`);
    const candidates = transitionsFrom(def.machine, doc.state).filter((t) => t.event === type);
    if (candidates.length === 0) {
      return refuse(UserErrorCode.INVALID_TRANSITION, `${type} is not allowed while the ${def.type} is ${doc.state}.`);
    }
    const facts = await loadFacts();
    const event: GuardEvent<unknown> = { type, facts };
    const snapshot = restore(def, doc.state);
    if (!snapshot.can(event)) return this.explain(def, snapshot, event, candidates.map((c) => c.guards));
    // checks of the input itself come after the rules: a caller who may not act learns nothing about the input
    if (input) {
      const invalid = [...staffOnlyInputs(def.policy, caller, input), ...((await def.events[type].validate?.(input as never, { doc, caller, manager, now: this.clock() })) ?? [])];
      if (invalid.length) return { allowed: false, error: invalid[0] };
    }
    if (decideOnly) return { allowed: true, to: '', facts, actions: [] };
    const [next, actions] = transition(def.machine, snapshot, event);
    return { allowed: true, to: String(next.value), facts, actions: actions.map((a) => ({ type: a.type, params: a.params as Record<string, unknown> | undefined })) };
  }

  /** availableEvents for a page of documents: the facts of all of them load at once. */
  async availableEventsMany<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, docs: D[], caller: Caller, manager: EntityManager = this.dataSource.manager): Promise<AvailableEventData[][]> {
    const sendable = Object.entries(def.events).filter(([event, spec]) => event !== CREATE && sentByCallers(spec)).map(([event]) => event);
    // facts only for documents in a state where some sendable event exists
    const needFacts = docs.filter((d) => transitionsFrom(def.machine, d.state).some((t) => sendable.includes(t.event)));
    const facts = needFacts.length ? await def.facts({ docs: needFacts, caller, input: undefined, manager, settings: this.settings, now: this.clock() }) : [];
    const factsOf = new Map(needFacts.map((d, i) => [d, facts[i]]));
    return Promise.all(
      docs.map(async (doc) => {
        const result: AvailableEventData[] = [];
        for (const event of sendable) {
          const verdict = await this.judge(def, doc, caller, event, undefined, manager, async () => factsOf.get(doc), true);
          result.push(verdict.allowed ? { event, allowed: true, code: null, reason: null } : { event, allowed: false, code: verdict.error.code, reason: verdict.error.message });
        }
        return result;
      }),
    );
  }

  async findVisible<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, caller: Caller, id: string | null, manager: EntityManager = this.dataSource.manager): Promise<D | null> {
    if (!id) return null;
    return applyScope(manager.createQueryBuilder(def.entity, 'd').where('d.id = :id', { id }), normalScope(def, caller)).getOne();
  }

  /** the document row-locked within where the caller may act, with its chain head (one statement) */
  private async lockVisible<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, caller: Caller, id: string | null) {
    if (!id) return null;
    return this.sqlOf(def).lock(manager, id, actingScope(def, caller));
  }

  private sqlOf<D extends WorkflowDocument>(def: DocumentDefinition<D, any>): TransitionSql<D> {
    let sql = this.statements.get(def);
    if (!sql) this.statements.set(def, (sql = new TransitionSql(this.dataSource, def.entity)));
    return sql;
  }

  private effectContext(manager: EntityManager, caller: Caller, input: unknown, now: Date, verdict: Verdict & { allowed: true }, from: string, meta: RequestMeta): EffectContext {
    return { caller, input, now, manager, facts: verdict.facts, from, to: verdict.to, meta, settings: this.settings };
  }

  /**
   * In the event's own transaction: its outbox row and job (consumed after commit by the job runner), and
   * the mark on the caller's Idempotency-Key that it applied (so a lost answer is never run twice).
   */
  private async afterWrite(manager: EntityManager, caller: Caller, audit: Awaited<ReturnType<typeof appendAuditEvent>>, meta: RequestMeta): Promise<void> {
    await writeOutbox(manager, audit);
    if (meta.idempotencyKey) await markApplied(manager, caller.userId, meta.idempotencyKey);
  }

  /** Runs the effects the machine chose, in the order of the transition's actions. */
  private async runEffects<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, doc: D, actions: ChosenAction[], ctx: EffectContext): Promise<void> {
    for (const action of actions) {
      if (action.type === ANNOUNCE) continue;
      await def.effects[action.type](doc, { ...ctx, params: action.params });
    }
  }

  /** Carries out the reactions to the domain events the transition announced. */
  private async react<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, doc: D, actions: ChosenAction[], meta: RequestMeta): Promise<void> {
    for (const reaction of this.reactionsOf(def, doc, actions)) await this.carryOut(manager, reaction, meta);
  }

  /** the reactions to the domain events a transition announces, in the order of its actions */
  private reactionsOf<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, doc: D, actions: ChosenAction[]): Reaction[] {
    return actions.filter((a) => a.type === ANNOUNCE).flatMap((a) => reactionsTo(`${def.type}.${String(a.params?.event)}`, doc));
  }

  private async carryOut(manager: EntityManager, reaction: Reaction, meta: RequestMeta): Promise<void> {
    const target = definitionOf(reaction.type);
    if (!target) throw new Error(`a reaction names ${reaction.type}, which is not a registered document type`);
    if (reaction.kind === 'open') await this.insert(manager, target, SYSTEM_CALLER, reaction.input, meta);
    else if (reaction.kind === 'offerEach') {
      // every document of the type whose column names the announcing one, in id order (a stable lock order)
      const table = this.dataSource.getMetadata(target.entity).tableName;
      const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM "${table}" WHERE "${reaction.column}" = $1 ORDER BY id`, [reaction.value]);
      for (const row of rows) await this.fireSystem(manager, target, row.id, reaction.event, meta, { optional: true });
    } else await this.fireSystem(manager, target, reaction.id, reaction.event, meta, { optional: reaction.kind === 'offer' });
  }

  /**
   * `head`: the chain head read with the row lock (the event links to it). `endsTransaction`: nothing of the
   * transaction follows this event, so when nothing of the event follows its write either, the write commits.
   */
  private async commit<D extends WorkflowDocument>(
    manager: EntityManager,
    def: DocumentDefinition<D, any>,
    head: ChainHead | null,
    doc: D,
    caller: Caller,
    type: string,
    input: EventInput,
    verdict: Verdict & { allowed: true },
    meta: RequestMeta,
    endsTransaction = false,
  ): Promise<D> {
    const before = { ...doc } as D;
    const now = this.clock();
    const from = doc.state;
    await this.runEffects(def, doc, verdict.actions, this.effectContext(manager, caller, input, now, verdict, from, meta));
    doc.state = verdict.to;
    doc.version = before.version + 1;
    doc.updatedAt = now;
    const changes = diff(this.dataSource, def, before, doc);
    // the columns that changed, written in the same statement as the audit event and the outbox row
    const set: ColumnChange[] = [];
    for (const column of this.dataSource.getMetadata(def.entity).columns) {
      const key = column.propertyName;
      const value = (doc as Record<string, unknown>)[key];
      if (key !== 'id' && !column.isVirtual && JSON.stringify(jsonValue((before as Record<string, unknown>)[key])) !== JSON.stringify(jsonValue(value))) set.push({ column, value });
    }
    const event = sealAuditEvent(head, {
      documentType: def.type,
      documentId: doc.id,
      event: type,
      fromState: from,
      toState: verdict.to,
      version: doc.version,
      ...actorOf(caller),
      at: now,
      reason: reasonOf(input),
      changes,
      ...meta,
    });
    // what runs after the write: the three steps below, each when it has something to do
    const followed = concernsDeadlines(def.type, type) || recordChange(def, from, verdict.to, doc) !== null || this.reactionsOf(def, doc, verdict.actions).length > 0;
    await this.sqlOf(def).write(manager, doc.id, set, event, meta.idempotencyKey ? { callerId: caller.userId, key: meta.idempotencyKey } : null, endsTransaction && !followed);
    // the deadlines this event opens or meets (src/time/deadline-rules.ts), in its transaction
    await applyDeadlineRules(manager, { type: def.type, event: type, from, to: verdict.to, doc, now }, this.deadlineSettings);
    // records control: when it closed (retention runs from then), when it was archived
    await trackRecord(manager, def, from, verdict.to, doc, now);
    await this.react(manager, def, doc, verdict.actions, meta);
    return doc;
  }

  /** Names the first guard that refused, on the candidate transition that got furthest. */
  private explain(def: DocumentDefinition<any, any>, snapshot: AnyMachineSnapshot, event: GuardEvent<unknown>, candidates: string[][]): Verdict {
    const guards = def.machine.implementations.guards as Record<string, (args: { context: unknown; event: unknown }) => boolean>;
    let best: { passed: number; failed: string } | null = null;
    for (const names of candidates) {
      const passed = names.findIndex((name) => !guards[name]({ context: snapshot.context, event }));
      if (passed === -1) continue; // a guard-free or all-pass candidate: the machine must have taken it
      if (!best || passed > best.passed) best = { passed, failed: names[passed] };
    }
    if (!best) return refuse(UserErrorCode.GUARD_FAILED, `${event.type} is not allowed now.`);
    const spec = guardTableOf(def.machine)[best.failed] as Guard<unknown>;
    return refuse(codeOfGuardKind[spec.kind], spec.explain?.(event.facts) ?? spec.description, spec.field);
  }

  private async refusalsAsOutcome<D>(work: () => Promise<Outcome<D>>, current?: (errors: UserErrorData[]) => Promise<D | null> | null): Promise<Outcome<D>> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return { document: current ? await current(error.errors) : null, userErrors: error.errors };
    }
  }
}

/**
 * May this caller ever create a document of the type? Judged by roles alone, from the permission guards
 * on the machine's CREATE transitions: refused when every such transition has a permission guard none of
 * whose roles the caller holds. `availableCreations` answers with the same rule.
 */
export function creationRefusal(def: DocumentDefinition<any, any>, caller: Caller): UserErrorData | null {
  const spec = def.events[CREATE];
  if (!spec || !sentByCallers(spec)) return { code: UserErrorCode.FORBIDDEN, message: `A ${def.type} is opened by the system only.`, field: null };
  const table = guardTableOf(def.machine);
  let refusal: UserErrorData | null = null;
  for (const t of transitionsFrom(def.machine, NEW).filter((t) => t.event === CREATE)) {
    const closed = t.guards.map((g) => table[g]).find((g) => g.kind === GuardKind.PERMISSION && g.roles && !g.roles.some((r) => caller.roles.includes(r)));
    if (!closed) return null;
    refusal ??= { code: UserErrorCode.FORBIDDEN, message: closed.description, field: null };
  }
  return refusal;
}

/**
 * Where a caller may send events: their read scope, and for the records custodian also the closed documents of
 * the records register (SPEC §5: they archive what they may not read until it is archived; the machine's own
 * guards still decide, and an open document stays NOT_FOUND to them).
 */
function actingScope(def: DocumentDefinition<any, any>, caller: Caller): Scope {
  const base = normalScope(def, caller);
  if (!def.records || !hasRole(caller, Role.ARCHIVIST)) return base;
  return anyOf(base, { sql: `EXISTS (SELECT 1 FROM document_record rc WHERE rc.document_id = {doc}.id AND rc.closed_at IS NOT NULL)`, params: {} });
}

function refuse(code: UserErrorCode, message: string, field?: string): Verdict {
  return { allowed: false, error: { code, message, field: field ?? null } };
}

/** a machine's snapshot at a state: immutable, so one per machine and state serves every judgement */
const snapshots = new WeakMap<object, Map<string, AnyMachineSnapshot>>();
function restore(def: DocumentDefinition<any, any>, state: string): AnyMachineSnapshot {
  let byState = snapshots.get(def.machine);
  if (!byState) snapshots.set(def.machine, (byState = new Map()));
  let snapshot = byState.get(state);
  if (!snapshot) byState.set(state, (snapshot = def.machine.resolveState({ value: state, context: {} })));
  return snapshot;
}

const actorOf = (caller: Caller) => ({ actorId: caller.userId, actorName: caller.name, actorRoles: [...caller.roles] });

function reasonOf(input: EventInput): string | null {
  const text = input.reason ?? input.comment;
  return typeof text === 'string' && text.length > 0 ? text : null;
}

/** The changed columns of a document, as JSON-safe {from, to} pairs (state and version are in the event itself). */
function diff<D extends WorkflowDocument>(dataSource: DataSource, def: DocumentDefinition<D, any>, before: D, after: D): Record<string, { from: unknown; to: unknown }> {
  const skip = new Set(['state', 'version', 'updatedAt', 'createdAt', 'id', 'number', 'createdById']);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const column of dataSource.getMetadata(def.entity).columns) {
    const key = column.propertyName;
    if (skip.has(key) || column.relationMetadata) continue;
    const from = jsonValue((before as any)[key]);
    const to = jsonValue((after as any)[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

function jsonValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}
