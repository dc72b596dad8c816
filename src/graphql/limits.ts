/**
 * One caller can slow only itself (issue #9):
 *  - the price of a query counts list sizes: a list field costs its children times the number of items it
 *    may return (`first`, or the default page for a connection, or a fan-out for nested lists without one),
 *    so `serviceRequests(first: 100) { nodes { tasks { records { entries { revisions } } } } }` is priced at
 *    what it could return and refused above `maxQueryCost` — before any SQL runs;
 *  - per caller (per token's user), in each API process: a number of requests at once, a token bucket of
 *    mutations and a token bucket of query cost. Refusals are HTTP 429 with Retry-After.
 * The buckets live in process memory: no database round trip on the hot path, and nothing to clean up.
 * With several API processes a caller gets each process's allowance; a load balancer that routes by
 * token keeps the limit exact (README: Limits).
 */
import {
  getNamedType,
  getVariableValues,
  getNullableType,
  GraphQLError,
  GraphQLList,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { FairnessConfig } from '../config';
import type { Context } from './context';
import { HISTORY_PAGE_DEFAULT } from './history';


const argument = (field: FieldNode, name: string, variables: Record<string, unknown>): unknown => {
  const node = field.arguments?.find((a) => a.name.value === name)?.value;
  return node ? valueOf(node, variables) : undefined;
};

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/** The price of an operation: every field 1, a list field's children times the items it may return. */
export function priceOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, config: Pick<FairnessConfig, 'nestedListFanout' | 'defaultPageSize'>): number {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;

  const walk = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, seen: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        if (on && isCompositeType(on)) total += walk(fragment.selectionSet, on, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (on && isCompositeType(on)) total += walk(selection.selectionSet, on, seen);
        continue;
      }
      const field = 'getFields' in type ? type.getFields()[selection.name.value] : undefined;
      if (!field && selection.selectionSet && selection.name.value.startsWith('__')) {
        // introspection (__schema, __type): priced as a large list, whatever it selects
        total += config.nestedListFanout * config.nestedListFanout * 10;
        continue;
      }
      if (!field || !selection.selectionSet) {
        total += 1;
        continue;
      }
      const fieldType = getNullableType(field.type);
      const named = getNamedType(field.type);
      const first = argument(selection, 'first', variables);
      // a connection's nodes and edges are the page its own `first` already counted
      const pageOfConnection = type.name.endsWith('Connection') && (field.name === 'nodes' || field.name === 'edges');
      // a connection without `first` returns its default page (history: 50, lists: DEFAULT_PAGE_SIZE)
      const defaultPage = named.name === 'HistoryConnection' ? HISTORY_PAGE_DEFAULT : config.defaultPageSize;
      const items = pageOfConnection ? 1 : typeof first === 'number' ? first : named.name.endsWith('Connection') ? defaultPage : isListType(fieldType) || fieldType instanceof GraphQLList ? config.nestedListFanout : 1;
      total += 1 + Math.max(items, 1) * (isCompositeType(named) ? walk(selection.selectionSet, named, seen) : 0);
    }
    return total;
  };
  return walk(operation.selectionSet, root, new Set());
}

/** A token bucket: `rate` per second, up to `burst`. */
class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  /** takes `n`, or says in how many seconds they would be there */
  take(n: number): { ok: true } | { ok: false; retryAfter: number } {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens >= n) {
      this.tokens -= n;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((Math.min(n, this.burst) - this.tokens) / this.rate)) };
  }
  full(): boolean {
    return this.tokens >= this.burst;
  }
}

export class TooManyRequests extends GraphQLError {
  constructor(message: string, retryAfter: number) {
    const headers = new HeaderMap([['retry-after', String(retryAfter)]]);
    super(message, { extensions: { code: 'RATE_LIMITED', retryAfter, http: { status: 429, headers } } });
  }
}

/** Per-caller allowances in this process. */
export class CallerLimits {
  private readonly inFlight = new Map<string, number>();
  private readonly mutations = new Map<string, Bucket>();
  private readonly cost = new Map<string, Bucket>();

  constructor(readonly config: FairnessConfig) {
    // forget idle callers now and then, so the maps hold only the active ones
    setInterval(() => this.sweep(), 60_000).unref();
  }

  /** Takes one of the caller's concurrent slots; null when they already use them all. */
  enter(callerId: string): (() => void) | null {
    const n = this.inFlight.get(callerId) ?? 0;
    if (n >= this.config.maxConcurrentPerCaller) return null;
    this.inFlight.set(callerId, n + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const now = (this.inFlight.get(callerId) ?? 1) - 1;
      if (now <= 0) this.inFlight.delete(callerId);
      else this.inFlight.set(callerId, now);
    };
  }

  charge(callerId: string, kind: 'mutation' | 'cost', amount: number): { ok: true } | { ok: false; retryAfter: number } {
    const buckets = kind === 'mutation' ? this.mutations : this.cost;
    let bucket = buckets.get(callerId);
    if (!bucket) {
      bucket = kind === 'mutation' ? new Bucket(this.config.mutationsPerSecond, this.config.mutationBurst) : new Bucket(this.config.costPerSecond, this.config.costBurst);
      buckets.set(callerId, bucket);
    }
    return bucket.take(amount);
  }

  private sweep(): void {
    for (const buckets of [this.mutations, this.cost]) for (const [id, bucket] of buckets) if (bucket.full()) buckets.delete(id);
  }
}

/**
 * Prices each operation once it is resolved (before execution): refuses one priced above the maximum
 * (a client error, whatever the caller's allowance), then charges the caller's cost bucket, and a
 * mutation their mutation bucket.
 */
export function fairnessPlugin(limits: CallerLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          // variables as the operation will see them: defaults applied (a `$n: Int = 100` counts as 100)
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          const price = priceOf(schema, document, operation, 'coerced' in coerced && coerced.coerced ? coerced.coerced : (request.variables ?? {}), limits.config);
          if (price > limits.config.maxQueryCost) {
            throw new GraphQLError(`This operation could return too much: it is priced at ${price}, above the limit of ${limits.config.maxQueryCost}. Ask for smaller pages (first) or fewer nested lists.`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', price, maxPrice: limits.config.maxQueryCost },
            });
          }
          const caller = contextValue.caller.userId;
          // the mutation allowance first: a mutation refused for it spends no query allowance
          if (operation.operation === 'mutation') {
            const mutation = limits.charge(caller, 'mutation', 1);
            if (!mutation.ok) throw new TooManyRequests(`You have sent too many mutations for now; retry in ${mutation.retryAfter} s.`, mutation.retryAfter);
          }
          const cost = limits.charge(caller, 'cost', price);
          if (!cost.ok) throw new TooManyRequests(`You have spent your query allowance for now; retry in ${cost.retryAfter} s.`, cost.retryAfter);
        },
      };
    },
  };
}
