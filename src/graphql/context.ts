import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Caller } from '../auth/roles';
import type { Config } from '../config';
import type { WorkflowEngine, RequestMeta } from '../workflow/engine';
import type { Loaders } from './loaders';
import type { OutboxFeed } from '../jobs/outbox-feed';
import type { SelectQueryBuilder } from 'typeorm';
import type { DocumentDefinition } from '../workflow/definition';
import type { SortKey } from './connection';

/** What a subscription over WebSocket has besides the context of a request (src/graphql/websocket.ts). */
export interface LiveSession {
  /** every committed outbox row, as this process hears it */
  feed: OutboxFeed;
  /** the caller behind the connection's token now (roles, grants, active); null once it is revoked: the socket is then closed 4401 */
  refreshCaller(): Promise<Caller | null>;
  /** events one subscription may have waiting before it is ended as too slow */
  maxQueue: number;
}

/** Everything a resolver may use, built once per HTTP request (per subscription over WebSocket: caller and loaders then renewed per event). */
export interface Context {
  caller: Caller;
  meta: RequestMeta;
  loaders: Loaders;
  engine: WorkflowEngine;
  dataSource: DataSource;
  config: Config;
  log: Logger;
  /** set when the request's Idempotency-Key may not run it: every mutation answers IDEMPOTENCY_CONFLICT with this */
  idempotencyRefusal: string | null;
  /** set when a mutation of this request committed: its Idempotency-Key then keeps the response */
  effects: { committed: boolean };
  /** set by an export (src/export): a document list hands it its query instead of fetching a page; the resolver's answer is then an empty page */
  listCapture?: (list: CapturedList) => Promise<unknown>;
  /** false: this request reads through the resolvers only (the test switch of compiled reads); otherwise config.compiledReads.enabled */
  compiledReads?: boolean;
  /**
   * a wholly compiled query answered with the statements' JSON text as it is (src/graphql/compiled-reads.ts):
   * false to build objects for graphql-js instead (the test switch); `answers` holds the texts the HTTP edge
   * splices into the response in place of their placeholders
   */
  compiledText?: { enabled: boolean; answers?: Map<string, string> };
  /** set over WebSocket only */
  live?: LiveSession;
  /**
   * Drops a user's tokens from this process's token cache at once (an admin change to the user or their tokens,
   * after commit); other processes drop them on the caller-change notification.
   */
  forgetCaller?: (userId: string) => void;
}

/** A list's query as its resolver built it (scope, filters, order), before any page is taken: what an export streams. */
export interface CapturedList {
  def: DocumentDefinition<any, any>;
  qb: SelectQueryBuilder<any>;
  order: SortKey<any>[];
  /** the page asked for, under the cap (compiled reads take the page themselves) */
  first?: number;
  after?: string | null;
}
