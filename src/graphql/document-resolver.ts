/**
 * Derives a document type's GraphQL surface from its definition: the payload
 * type, `<type>(id)`, `create<Type>` and one mutation per caller-sendable
 * machine event, and the `id`, `availableEvents` and `history` fields.
 * Resolvers stay thin: input in, engine outcome out.
 */
import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, UseMiddleware, type ClassType } from 'type-graphql';
import { isPortalUser } from '../auth/roles';
import type { DocumentDefinition } from '../workflow/definition';
import type { Outcome } from '../workflow/engine';
import type { WorkflowDocument } from '../workflow/workflow.entities';
import { AvailableEvent, DocumentEventInput, HistoryEvent, UserError } from './common.types';
import type { Context } from './context';
import { idOf, toGlobalId } from './global-id';
import { registerNodeType } from './node';
import { IdempotencyRefusal, InputValidationAsUserErrors } from './mutation-middleware';

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

/** Portal users see no staff-only fields in history either. */
function historyFor(events: HistoryEventSource[], staffOnly: string[], staffOnlyEvents: string[], portal: boolean): HistoryEvent[] {
  return events.filter((e) => !portal || !staffOnlyEvents.includes(e.event)).map((e) => ({
    seq: e.seq,
    event: e.event,
    fromState: e.fromState,
    toState: e.toState,
    version: e.version,
    actor: { id: toGlobalId('User', e.actorId), name: e.actorName },
    actorRoles: e.actorRoles as HistoryEvent['actorRoles'],
    at: e.at,
    reason: e.reason,
    changes: portal ? Object.fromEntries(Object.entries(e.changes).filter(([k]) => !staffOnly.includes(k))) : e.changes,
    requestId: e.requestId,
    idempotencyKey: e.idempotencyKey,
    prevHash: e.prevHash,
    hash: e.hash,
  }));
}
type HistoryEventSource = import('../workflow/workflow.entities').AuditEvent;

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
      const events = await ctx.engine.availableEvents(def, doc, ctx.caller);
      return events.map((e) => ({ ...e, mutation: mutationName(e.event, def.type) }));
    }

    @FieldResolver(() => [HistoryEvent], { description: 'The audit trail, oldest first' })
    async history(@Root() doc: D, @Ctx() ctx: Context): Promise<HistoryEvent[]> {
      return historyFor(await ctx.loaders.history.load(doc.id), def.staffOnlyFields, def.staffOnlyEvents ?? [], isPortalUser(ctx.caller));
    }

    @Query(() => objectType, { name: lowerFirst(def.type), nullable: true, description: `One ${def.type} by global id; null when it does not exist or is outside your scope` })
    async one(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<D | null> {
      const uuid = idOf(id, def.type);
      return uuid ? ctx.loaders.document<D>(def).load(uuid) : null;
    }
  }

  // create<Type>, unless the type is only ever opened by another document's event
  if (!def.create.system) {
    const create = async function (input: object, ctx: Context) {
      return toPayload(await ctx.engine.create(def, ctx.caller, input, ctx.meta), ctx);
    };
    Object.defineProperty(DocumentResolver.prototype, 'create', { value: create, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(DocumentResolver.prototype, 'create')!;
    Mutation(() => PayloadType, { name: `create${def.type}`, description: def.create.description })(DocumentResolver.prototype, 'create', descriptor);
    UseMiddleware(IdempotencyRefusal, InputValidationAsUserErrors)(DocumentResolver.prototype, 'create', descriptor);
    Arg('input', () => def.create.input)(DocumentResolver.prototype, 'create', 0);
    Ctx()(DocumentResolver.prototype, 'create', 1);
  }

  // one mutation per caller-sendable event, decorated by hand because the list is data
  for (const [event, spec] of Object.entries(def.events)) {
    if (spec.system) continue;
    const name = mutationName(event, def.type);
    const method = async function (input: DocumentEventInput, ctx: Context) {
      const outcome = await ctx.engine.fire(def, ctx.caller, event, { ...input, id: idOf(input.id, def.type) }, ctx.meta);
      return toPayload(outcome, ctx);
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
