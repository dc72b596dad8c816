/**
 * Subscriptions (served over graphql-ws, src/graphql/websocket.ts): committed outbox rows, as each
 * subscriber may see them.
 *
 *  - `documentEvents(types, documentId)`: every committed event of a document, delivered when, at delivery,
 *    the document is within the subscriber's read scope (loaded through ctx.loaders.document, the same scope,
 *    grants and grant logging as a query) and the event is not one the subscriber's history would hide
 *    (a portal user never receives a type's staff-only events). The event is shaped and masked by history's
 *    own toEvent, and the document is resolved through the schema, so staff-only fields are null for portal
 *    users exactly as in queries.
 *  - `escalations`: outbox rows of any other type (document_type not a document type, e.g. 'Escalation'),
 *    delivered only to callers the type's registered audience admits (registerNoticeAudience). A type
 *    without an audience is delivered to nobody.
 *
 * Each subscription keeps its own queue of rows; every event is judged with the caller as they are now
 * (their token is verified again: roles, grants and revocations apply at once) and fresh loaders, so
 * nothing is served from an earlier event's cache.
 */
import { GraphQLError } from 'graphql';
import { Arg, Field, ID, ObjectType, Resolver, Root, Subscription, type PubSub } from 'type-graphql';
import { isPortalUser, type Caller } from '../auth/roles';
import type { FeedEvent } from '../jobs/outbox-feed';
import { allDefinitions, definitionOf } from '../workflow/registry';
import { HistoryEvent } from './common.types';
import type { Context } from './context';
import { fromGlobalId, toGlobalId } from './global-id';
import { hiddenEventsFor, hiddenFieldsFor, toEvent } from './history';
import { createLoaders } from './loaders';
import { Node } from './node';

@ObjectType({ description: 'A committed event of a document you may see, delivered to `documentEvents`' })
export class DocumentEventNotice {
  @Field({ description: 'the document type, e.g. ServiceRequest' }) documentType: string;
  @Field(() => ID, { description: 'the document\'s global id' }) documentId: string;
  @Field(() => HistoryEvent, { description: 'the event as the document\'s history shows it to you (staff-only changes left out for portal users)' })
  event: HistoryEvent;
  @Field(() => Node, { nullable: true, description: 'the document as it is at delivery, read with your scope (ask for its fields with `... on ServiceRequest { … }`)' })
  document: unknown;
}

@ObjectType({ description: 'A committed event of something that is not a document (an escalation), delivered to `escalations` when its type\'s audience admits you' })
export class OutboxNotice {
  @Field({ description: 'what it is about, e.g. Escalation' }) type: string;
  @Field(() => ID, { description: 'its global id' }) id: string;
  @Field() event: string;
  @Field(() => String, { nullable: true }) fromState: string | null;
  @Field() toState: string;
  @Field() at: Date;
}

/** Whether a caller may receive one outbox row of a non-document type; ctx.caller and ctx.loaders are fresh for it. */
export type NoticeAudience = (event: FeedEvent, ctx: Context) => boolean | Promise<boolean>;

const audiences = new Map<string, NoticeAudience>();

/**
 * The hook for outbox rows that are not document events (escalations): their type's one audience rule.
 * Register at module load (next to the type), before the server starts.
 */
export function registerNoticeAudience(type: string, audience: NoticeAudience): () => void {
  if (definitionOf(type)) throw new Error(`${type} is a document type: its events go to documentEvents under its read policy`);
  if (audiences.has(type)) throw new Error(`an audience for ${type} is already registered`);
  audiences.set(type, audience);
  return () => {
    if (audiences.get(type) === audience) audiences.delete(type);
  };
}

/**
 * type-graphql's `pubSub` option, which it requires once a subscription exists. Every subscription here has its
 * own `subscribe` on the outbox feed (committed events, across processes); an in-memory topic would see only
 * this process's events, and none may be published past the outbox, so topics are refused.
 */
export const noTopics: PubSub = {
  publish() {
    throw new Error('publish to the outbox (in the event\'s transaction), not to a topic: subscriptions read the outbox feed');
  },
  subscribe() {
    throw new Error('subscriptions here take their own subscribe function on the outbox feed (src/graphql/subscriptions.ts)');
  },
};

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * A subscription's stream: the feed's rows queue up (bounded); each is judged in turn by `accept`, which
 * yields what to deliver or null to skip it. Delivered in commit order; ended by return() (the client
 * completes or disconnects) or by falling too far behind.
 */
export class FeedStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: FeedEvent[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private overflowed = false;
  private readonly unsubscribe: () => void;

  constructor(
    live: NonNullable<Context['live']>,
    private readonly accept: (event: FeedEvent) => Promise<T | null>,
  ) {
    this.unsubscribe = live.feed.subscribe((event) => {
      if (this.finished) return;
      if (this.queue.length >= live.maxQueue) {
        this.overflowed = true;
        this.finish();
        return;
      }
      this.queue.push(event);
      this.wake?.();
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      const event = this.queue.shift();
      if (!event) {
        if (this.finished) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const value = await this.accept(event);
      if (value !== null) return { value, done: false };
    }
    if (this.overflowed) {
      this.overflowed = false;
      throw new GraphQLError('This subscription fell too far behind and was ended; subscribe again and read what you missed from history.', { extensions: { code: 'RATE_LIMITED' } });
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish();
    this.queue.length = 0;
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    this.finish();
    throw error;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.unsubscribe();
    this.wake?.();
  }
}

/** Renews the caller and the loaders for one event; null when the token no longer stands (the socket is being closed). */
async function freshFor(ctx: Context): Promise<Caller | null> {
  const caller = await ctx.live!.refreshCaller();
  if (!caller) return null;
  ctx.caller = caller;
  ctx.loaders = createLoaders(ctx.dataSource, caller, ctx.meta.requestId);
  return caller;
}

function liveOf(ctx: Context) {
  if (!ctx.live) throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) only.', { extensions: { code: 'OPERATION_NOT_SUPPORTED' } });
  return ctx.live;
}

export function documentEventStream(ctx: Context, args: { types?: string[] | null; documentId?: string | null }): FeedStream<DocumentEventNotice> {
  const live = liveOf(ctx);
  const known = new Set(allDefinitions().map((d) => d.type));
  const unknown = (args.types ?? []).filter((t) => !known.has(t));
  if (unknown.length) throw badInput(`Not document types: ${unknown.join(', ')}. Known: ${[...known].join(', ')}.`);
  const types = args.types ? new Set(args.types) : null;
  const document = args.documentId ? fromGlobalId(args.documentId) : null;
  if (args.documentId && (!document || !known.has(document.type))) throw badInput('documentId is not the global id of a document.');

  return new FeedStream(live, async (row) => {
    const def = definitionOf(row.documentType);
    if (!def || (types && !types.has(row.documentType))) return null;
    if (document && (document.type !== row.documentType || document.id !== row.documentId)) return null;
    const caller = await freshFor(ctx);
    if (!caller || hiddenEventsFor(def, caller).includes(row.event)) return null;
    const doc = await ctx.loaders.document(def).load(row.documentId);
    if (!doc) return null;
    const event = toEvent(
      {
        document_id: row.documentId,
        seq: row.seq,
        event: row.event,
        from_state: row.fromState,
        to_state: row.toState,
        version: row.version ?? 0,
        actor_id: row.actorId,
        actor_name: row.actorName ?? '',
        actor_roles: row.actorRoles,
        at: row.at,
        reason: row.reason,
        changes: row.changes,
        request_id: row.requestId,
        idempotency_key: row.idempotencyKey,
        prev_hash: row.prevHash,
        hash: row.hash ?? '',
      },
      hiddenFieldsFor(def, caller),
    );
    return { documentType: def.type, documentId: toGlobalId(def.type, row.documentId), event, document: doc };
  });
}

export function escalationStream(ctx: Context): FeedStream<OutboxNotice> {
  const live = liveOf(ctx);
  return new FeedStream(live, async (row) => {
    const audience = audiences.get(row.documentType);
    if (!audience || definitionOf(row.documentType)) return null;
    if (!(await freshFor(ctx)) || !(await audience(row, ctx))) return null;
    return { type: row.documentType, id: toGlobalId(row.documentType, row.documentId), event: row.event, fromState: row.fromState, toState: row.toState, at: row.at };
  });
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => DocumentEventNotice, {
    description:
      'Every committed event of the documents you may see, as it commits (over WebSocket, graphql-ws). Optionally only some types, or one document. A portal user never receives staff-only events or fields. No replay: read what you missed from `history`.',
    subscribe: ({ args, context }) => documentEventStream(context as Context, args as { types?: string[] | null; documentId?: string | null }),
  })
  documentEvents(
    @Root() notice: DocumentEventNotice,
    @Arg('types', () => [String], { nullable: true, description: 'only these document types, e.g. ["ServiceRequest"]' }) _types?: string[],
    @Arg('documentId', () => ID, { nullable: true, description: 'only this document' }) _documentId?: string,
  ): DocumentEventNotice {
    return notice;
  }

  @Subscription(() => OutboxNotice, {
    description: 'Escalations (and other events that are not a document\'s) addressed to you, as they commit (over WebSocket, graphql-ws)',
    subscribe: ({ context }) => escalationStream(context as Context),
  })
  escalations(@Root() notice: OutboxNotice): OutboxNotice {
    return notice;
  }
}
