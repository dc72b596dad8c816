/**
 * The workflow engine: the only code that changes a document's state.
 *
 * One event = one transaction:
 *   1. lock the row (SELECT … FOR UPDATE) within the caller's read scope
 *   2. not visible ⇒ NOT_FOUND; expectedVersion differs ⇒ STALE_VERSION
 *   3. load the facts the guards need (guards stay pure)
 *   4. ask the machine: no transition for the event here ⇒ INVALID_TRANSITION;
 *      a guard refuses ⇒ its code (FORBIDDEN, GUARD_FAILED, APPROVAL_TIER, …)
 *   5. apply the event's effect, write state + version, append the audit event
 * Any refusal throws inside the transaction, so nothing of it is kept.
 */
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { transition, type AnyMachineSnapshot } from 'xstate';
import type { Caller } from '../auth/roles';
import { appendAuditEvent } from './audit';
import { writeOutbox } from '../jobs/outbox';
import { codeOfGuardKind, DocumentDefinition, EffectContext, GuardEvent, WorkflowSettings } from './definition';
import { Refusal, UserErrorCode, UserErrorData, notFound } from './errors';
import { transitionsFrom } from './introspection';
import { nextDocumentNumber } from './numbering';
import { applyScope } from './scope';
import type { WorkflowDocument } from './workflow.entities';

export interface RequestMeta {
  requestId: string | null;
  idempotencyKey: string | null;
}

export interface Outcome<D> {
  document: D | null;
  userErrors: UserErrorData[];
}

export interface EventInput {
  id: string | null;
  expectedVersion?: number | null;
  [field: string]: unknown;
}

export type Verdict = { allowed: true; to: string; facts: unknown } | { allowed: false; error: UserErrorData };

export const DEFAULT_SETTINGS: WorkflowSettings = { executiveThreshold: 50_000 };

/** PostgreSQL errors that mean "try the whole transaction again". */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

export class WorkflowEngine {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
    readonly settings: WorkflowSettings = DEFAULT_SETTINGS,
  ) {}

  /** Runs `work` in a transaction, retrying serialization failures and deadlocks. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  /** Creates a document in its machine's initial state. */
  async create<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, caller: Caller, input: any, meta: RequestMeta): Promise<Outcome<D>> {
    return this.refusalsAsOutcome(() =>
      this.transaction(async (manager) => {
        if (def.create.system) throw Refusal.of(UserErrorCode.FORBIDDEN, `A ${def.type} is opened by the system only.`);
        const forbidden = def.create.authorize(caller, input);
        if (forbidden) throw new Refusal([forbidden]);
        const invalid = (await def.create.validate?.(input, caller, manager)) ?? [];
        if (invalid.length) throw new Refusal(invalid);
        return { document: await this.insert(manager, def, caller, input, meta), userErrors: [] };
      }),
    );
  }

  /**
   * Creates a document inside another document's transaction (a task's
   * FINISH opens an acceptance): numbered and audited like any creation.
   */
  async createSystem<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, caller: Caller, input: any, meta: RequestMeta): Promise<D> {
    return this.insert(manager, def, caller, input, meta);
  }

  private async insert<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, caller: Caller, input: any, meta: RequestMeta): Promise<D> {
    const now = this.clock();
    const initial = String(def.machine.config.initial);
    const doc = manager.create(def.entity, {
      ...(await def.create.build(input, caller, manager)),
      number: await nextDocumentNumber(manager, def.prefix, now),
      state: initial,
      version: 1,
      createdById: caller.userId,
      createdAt: now,
      updatedAt: now,
    } as any) as D;
    const saved = (await manager.save(def.entity, doc)) as D;
    const audit = await appendAuditEvent(manager, {
      documentType: def.type,
      documentId: saved.id,
      event: 'CREATE',
      fromState: null,
      toState: initial,
      version: 1,
      ...actorOf(caller),
      at: now,
      reason: null,
      changes: diff(this.dataSource, def, {} as D, saved),
      ...meta,
    });
    await writeOutbox(manager, audit);
    return saved;
  }

  /** Fires one event at one document. */
  async fire<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, caller: Caller, type: string, input: EventInput, meta: RequestMeta): Promise<Outcome<D>> {
    return this.refusalsAsOutcome(
      () =>
        this.transaction(async (manager) => {
          const doc = await this.lockVisible(manager, def, caller, input.id);
          if (!doc) throw notFound();
          if (input.expectedVersion != null && input.expectedVersion !== doc.version) {
            throw Refusal.of(UserErrorCode.STALE_VERSION, `The document is at version ${doc.version}, not ${input.expectedVersion}: reload it and try again.`, 'expectedVersion');
          }
          const spec = def.events[type];
          if (!spec || spec.system) throw Refusal.of(UserErrorCode.INVALID_TRANSITION, `${type} is not an event a caller can send.`);
          const verdict = await this.judge(def, doc, caller, type, input, manager);
          if (!verdict.allowed) throw new Refusal([verdict.error]);
          return { document: await this.commit(manager, def, doc, caller, type, input, verdict, meta), userErrors: [] };
        }),
      // a refusal reports the document as it is, when the caller may see it
      (errors) => (errors[0]?.code === UserErrorCode.NOT_FOUND ? null : this.findVisible(def, caller, input.id)),
    );
  }

  /**
   * A system event (SPEC: START, COMPLETE, REOPEN, CLOSE) fired by another
   * document's effect, inside that document's transaction. The machine still
   * decides; a refusal aborts the whole transaction.
   */
  async fireSystem<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, caller: Caller, id: string, type: string, meta: RequestMeta, input: EventInput = { id }): Promise<D> {
    const doc = await manager.createQueryBuilder(def.entity, 'd').where('d.id = :id', { id }).setLock('pessimistic_write').getOne();
    if (!doc) throw new Error(`${def.type} ${id} vanished during a system event`);
    const verdict = await this.judge(def, doc, caller, type, input, manager);
    if (!verdict.allowed) throw new Refusal([verdict.error]);
    return this.commit(manager, def, doc, caller, type, input, verdict, meta);
  }

  /** Would `type` be allowed for this caller now? Explains the first reason it is not. */
  async judge<D extends WorkflowDocument>(
    def: DocumentDefinition<D, any>,
    doc: D,
    caller: Caller,
    type: string,
    input: EventInput | undefined,
    manager: EntityManager,
    /** facts already loaded for this document and caller (availableEvents asks once for all events) */
    loadFacts: () => Promise<unknown> = async () => def.facts({ doc, caller, input, manager, settings: this.settings }),
  ): Promise<Verdict> {
    const candidates = transitionsFrom(def.machine, doc.state).filter((t) => t.event === type);
    if (candidates.length === 0) {
      return refuse(UserErrorCode.INVALID_TRANSITION, `${type} is not allowed while the ${def.type} is ${doc.state}.`);
    }
    const facts = await loadFacts();
    const event: GuardEvent<unknown> = { type, facts };
    const snapshot = restore(def, doc.state);
    if (!snapshot.can(event)) return this.explain(def, snapshot, event, candidates.map((c) => c.guards));
    // checks of the input itself come after the rules: a caller who may not act learns nothing about the input
    const invalid = input ? ((await def.events[type].validate?.(input as never, { doc, caller, manager })) ?? []) : [];
    if (invalid.length) return { allowed: false, error: invalid[0] };
    const [next] = transition(def.machine, snapshot, event);
    return { allowed: true, to: String(next.value), facts };
  }

  /** availableEvents: every caller-sendable event of the type, allowed or why not. */
  async availableEvents<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, doc: D, caller: Caller, manager: EntityManager = this.dataSource.manager) {
    const result: Array<{ event: string; allowed: boolean; code: UserErrorCode | null; reason: string | null }> = [];
    // the facts do not depend on the event: load them once, and only if some event is possible in this state
    let facts: Promise<unknown> | null = null;
    const loadFacts = () => (facts ??= Promise.resolve(def.facts({ doc, caller, input: undefined, manager, settings: this.settings })));
    for (const [event, spec] of Object.entries(def.events)) {
      if (spec.system) continue;
      const verdict = await this.judge(def, doc, caller, event, undefined, manager, loadFacts);
      result.push(verdict.allowed ? { event, allowed: true, code: null, reason: null } : { event, allowed: false, code: verdict.error.code, reason: verdict.error.message });
    }
    return result;
  }

  async findVisible<D extends WorkflowDocument>(def: DocumentDefinition<D, any>, caller: Caller, id: string | null, manager: EntityManager = this.dataSource.manager): Promise<D | null> {
    if (!id) return null;
    return applyScope(manager.createQueryBuilder(def.entity, 'd').where('d.id = :id', { id }), def.scope(caller)).getOne();
  }

  private async lockVisible<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, caller: Caller, id: string | null): Promise<D | null> {
    if (!id) return null;
    const qb = manager.createQueryBuilder(def.entity, 'd').where('d.id = :id', { id }).setLock('pessimistic_write');
    return applyScope(qb, def.scope(caller)).getOne();
  }

  private async commit<D extends WorkflowDocument>(manager: EntityManager, def: DocumentDefinition<D, any>, doc: D, caller: Caller, type: string, input: EventInput, verdict: Verdict & { allowed: true }, meta: RequestMeta): Promise<D> {
    const before = { ...doc } as D;
    const now = this.clock();
    const to = verdict.to;
    const ctx: EffectContext<any> = { caller, input, now, manager, facts: verdict.facts, to, meta, settings: this.settings, engine: this };
    await def.events[type].apply?.(doc, ctx);
    const from = doc.state;
    doc.state = to;
    doc.version = before.version + 1;
    doc.updatedAt = now;
    const changes = diff(this.dataSource, def, before, doc);
    // one UPDATE of what changed: save() would first SELECT the row this transaction already holds locked
    const set: Record<string, unknown> = {};
    for (const column of this.dataSource.getMetadata(def.entity).columns) {
      const key = column.propertyName;
      const value = (doc as Record<string, unknown>)[key];
      if (key !== 'id' && JSON.stringify(jsonValue((before as Record<string, unknown>)[key])) !== JSON.stringify(jsonValue(value))) set[key] = value;
    }
    await manager.update(def.entity, { id: doc.id } as never, set as never);
    const audit = await appendAuditEvent(manager, {
      documentType: def.type,
      documentId: doc.id,
      event: type,
      fromState: from,
      toState: to,
      version: doc.version,
      ...actorOf(caller),
      at: now,
      reason: reasonOf(input),
      changes,
      ...meta,
    });
    await writeOutbox(manager, audit);
    await def.events[type].cascade?.(doc, ctx);
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
    const spec = def.guards[best.failed];
    return refuse(codeOfGuardKind[spec.kind], spec.description);
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

function refuse(code: UserErrorCode, message: string, field?: string): Verdict {
  return { allowed: false, error: { code, message, field: field ?? null } };
}

function restore(def: DocumentDefinition<any, any>, state: string): AnyMachineSnapshot {
  return def.machine.resolveState({ value: state, context: {} });
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
