/**
 * Derives a document type's GraphQL surface from its definition: the payload
 * type, `<type>(id)`, one mutation per caller-sendable machine event
 * (`create<Type>` for CREATE), and the `id`, `availableEvents` and `history` fields.
 * Resolvers stay thin: input in, engine outcome out.
 */
import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, UseMiddleware, type ClassType } from 'type-graphql';
import DataLoader from 'dataloader';
import { CREATE, sentByCallers, type DocumentDefinition } from '../workflow/definition';
import type { AvailableEventData, Outcome } from '../workflow/engine';
import type { WorkflowDocument } from '../workflow/workflow.entities';
import { AvailableEvent, DocumentEventInput, HistoryArgs, HistoryConnection, UserError } from './common.types';
import { historyPage } from './history';
import type { Context } from './context';
import { idOf, toGlobalId } from './global-id';
import { registerNodeType } from './node';
import { IdempotencyRefusal, InputValidationAsUserErrors } from './mutation-middleware';
import { isPortalUser } from '../auth/roles';
import { Deadline } from '../time/time.types';
import { deadlinesOf, type DeadlineRow } from '../time/deadlines';
import { CUSTOMER_VISIBLE_KINDS } from '../time/deadline-rules';
import type { EscalationLevel } from '../time/escalations';
import { retentionUntil } from '../records/retention';
import { isArchivist, type HoldRow } from '../records/records';
import { LegalHoldType } from '../records/records.types';
import { toLegalHold } from '../records/records.resolver';

export const mutationName = (event: string, type: string): string =>
  event.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) + type;

const lowerFirst = (s: string): string => s[0].toLowerCase() + s.slice(1);

export interface DocumentGraphQL<D extends WorkflowDocument> {
  def: DocumentDefinition<D, any>;
  /** the GraphQL object type class */
  objectType: ClassType;
}

/** The payload every mutation of the type returns: the document after the event, and why not. */
export function Payload(objectType: ClassType, type: string) {
  const field = lowerFirst(type);
  @ObjectType(`${type}Payload`, { description: `The ${type} after the mutation (as it is, when refused and visible), and the refusals` })
  class PayloadType {
    @Field(() => objectType, { nullable: true, name: field }) document: unknown;
    @Field(() => [UserError]) userErrors: UserError[];
  }
  return PayloadType;
}


export function createDocumentResolver<D extends WorkflowDocument>({ def, objectType }: DocumentGraphQL<D>): ClassType {
  registerNodeType(def.entity, def.type);
  const PayloadType = Payload(objectType, def.type);
  const toPayload = (outcome: Outcome<D>, ctx: Context) => {
    if (outcome.userErrors.length === 0) ctx.effects.committed = true;
    return payloadOf(outcome);
  };
  const payloadOf = (outcome: Outcome<D>) => ({ document: outcome.document, userErrors: outcome.userErrors.map((e): UserError => ({ ...e, field: e.field ?? null })) });

  @Resolver(() => objectType)
  class DocumentResolver {
    @FieldResolver(() => ID, { description: 'Opaque global id' })
    id(@Root() doc: D): string {
      return toGlobalId(def.type, doc.id);
    }

    @FieldResolver(() => [AvailableEvent], { description: 'Every event a caller can send, whether this caller may send it now, and why not' })
    async availableEvents(@Root() doc: D, @Ctx() ctx: Context): Promise<AvailableEvent[]> {
      // batched: a page of documents asking for their buttons loads its facts once
      const loader = ctx.loaders.memo(`availableEvents:${def.type}`, () => new DataLoader<D, AvailableEventData[], string>((docs) => ctx.engine.availableEventsMany(def, [...docs], ctx.caller), { cacheKeyFn: (d) => d.id }));
      const events = await loader.load(doc);
      return events.map((e) => ({ ...e, mutation: mutationName(e.event, def.type) }));
    }

    @FieldResolver(() => [Deadline], { description: 'Its deadlines (SPEC §4), open and met, oldest first; portal users see those that concern them' })
    async deadlines(@Root() doc: D, @Ctx() ctx: Context): Promise<Deadline[]> {
      // batched: a page of documents loads its deadlines in one query
      const loader = ctx.loaders.memo(`deadlines:${def.type}`, () => new DataLoader<string, DeadlineRow[]>(async (ids) => {
        const by = await deadlinesOf(ctx.dataSource.manager, def.type, ids);
        return ids.map((id) => by.get(id) ?? []);
      }));
      const now = ctx.config.clock();
      const portal = isPortalUser(ctx.caller);
      return (await loader.load(doc.id))
        .filter((d) => !portal || CUSTOMER_VISIBLE_KINDS.includes(d.kind))
        .map((d) => ({
          kind: d.kind,
          openedAt: d.openedAt,
          dueAt: d.dueAt,
          metAt: d.metAt,
          // the sweep marked it, or it is past due unmet now, or it was met late
          breached: d.breachedAt !== null || (d.metAt ? d.metAt > d.dueAt : d.dueAt < now),
          escalationLevel: d.escalationLevel as EscalationLevel | null,
        }));
    }

    @FieldResolver(() => Date, { nullable: true, description: 'Records control (SPEC §5): kept until then — its closing (end of service) plus its type\'s retention; null while open or for types outside records control' })
    async retentionUntil(@Root() doc: D, @Ctx() ctx: Context): Promise<Date | null> {
      if (!def.records) return null;
      // batched: a page of documents reads the register once
      const loader = ctx.loaders.memo(`closedAt:${def.type}`, () => new DataLoader<string, Date | null>(async (ids) => {
        const rows: Array<{ document_id: string; closed_at: Date | null }> = await ctx.dataSource.query(`SELECT document_id, closed_at FROM document_record WHERE document_id = ANY($1::uuid[])`, [[...ids]]);
        const by = new Map(rows.map((r) => [r.document_id, r.closed_at]));
        return ids.map((id) => by.get(id) ?? null);
      }));
      return retentionUntil(ctx.engine.policy.current().records, def.type, await loader.load(doc.id));
    }

    @FieldResolver(() => [LegalHoldType], { description: 'Records control: its legal holds, standing and lifted (the records custodian only; empty for everyone else)' })
    async legalHolds(@Root() doc: D, @Ctx() ctx: Context): Promise<LegalHoldType[]> {
      if (!def.records || !isArchivist(ctx.caller)) return [];
      const loader = ctx.loaders.memo(`legalHolds:${def.type}`, () => new DataLoader<string, HoldRow[]>(async (ids) => {
        const rows: HoldRow[] = await ctx.dataSource.query(`SELECT * FROM legal_hold WHERE document_id = ANY($1::uuid[]) ORDER BY set_at, id`, [[...ids]]);
        return ids.map((id) => rows.filter((r) => r.document_id === id));
      }));
      return (await loader.load(doc.id)).map(toLegalHold);
    }

    @FieldResolver(() => HistoryConnection, { description: 'The audit trail, oldest first, a page at a time (at most 100 events)' })
    history(@Root() doc: D, @Args(() => HistoryArgs) args: HistoryArgs, @Ctx() ctx: Context): Promise<HistoryConnection> {
      return historyPage(ctx, def, doc.id, args);
    }

    @Query(() => objectType, { name: lowerFirst(def.type), nullable: true, description: `One ${def.type} by global id; null when it does not exist or is outside your scope` })
    async one(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<D | null> {
      const uuid = idOf(id, def.type);
      return uuid ? ctx.loaders.document<D>(def).load(uuid) : null;
    }
  }

  // one mutation per caller-sendable machine event, create<Type> among them (CREATE is the machine's first transition)
  for (const [event, spec] of Object.entries(def.events)) {
    if (!sentByCallers(spec)) continue;
    const name = mutationName(event, def.type);
    const method =
      event === CREATE
        ? async function (input: object, ctx: Context) {
            return toPayload(await ctx.engine.create(def, ctx.caller, input, ctx.meta), ctx);
          }
        : async function (input: DocumentEventInput, ctx: Context) {
            return toPayload(await ctx.engine.fire(def, ctx.caller, event, { ...input, id: idOf(input.id, def.type) }, ctx.meta), ctx);
          };
    Object.defineProperty(DocumentResolver.prototype, name, { value: method, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(DocumentResolver.prototype, name)!;
    Mutation(() => PayloadType, { name, description: spec.description })(DocumentResolver.prototype, name, descriptor);
    UseMiddleware(IdempotencyRefusal, InputValidationAsUserErrors)(DocumentResolver.prototype, name, descriptor);
    Arg('input', () => spec.input ?? DocumentEventInput)(DocumentResolver.prototype, name, 0);
    Ctx()(DocumentResolver.prototype, name, 1);
  }
  Object.defineProperty(DocumentResolver, 'name', { value: `${def.type}DocumentResolver` });
  return DocumentResolver;
}
