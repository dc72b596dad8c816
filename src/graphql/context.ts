import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Caller } from '../auth/roles';
import type { Config } from '../config';
import type { WorkflowEngine, RequestMeta } from '../workflow/engine';
import type { Loaders } from './loaders';

/** Everything a resolver may use, built once per HTTP request. */
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
}
