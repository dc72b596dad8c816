/**
 * Relay cursor connections with keyset pagination: the cursor holds the sort
 * keys of the last row, so a page costs the same wherever it starts, and
 * `totalCount` runs only when it is asked for.
 */
import { GraphQLError } from 'graphql';
import { Field, FieldResolver, Int, ObjectType, Resolver, Root, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { PageInfo } from './common.types';

export interface SortKey<T> {
  /** SQL expression on the query's alias, e.g. `d.created_at` */
  sql: string;
  direction: 'ASC' | 'DESC';
  /** what the column holds: a cursor value of another kind is refused before it reaches SQL */
  kind: 'timestamp' | 'uuid' | 'int';
  value(row: T): string | number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const fits: Record<SortKey<unknown>['kind'], (v: unknown) => boolean> = {
  timestamp: (v) => typeof v === 'string' && ISO_TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) <= 2_147_483_647,
};

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
  /** runs only when totalCount is selected */
  countTotal: () => Promise<number>;
}

/** a cursor this list did not give out: a VALIDATION error naming `after` */
export class CursorError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'VALIDATION', field: 'after' } });
  }
}

export const encodeCursor = (values: Array<string | number>): string => Buffer.from(JSON.stringify(values)).toString('base64url');

export function decodeCursor<T>(cursor: string, keys: SortKey<T>[]): Array<string | number> {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === keys.length && values.every((v, i) => fits[keys[i].kind](v))) return values;
  } catch {
    /* fall through */
  }
  throw new CursorError('after is not a cursor this list gave out');
}

export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  keys: SortKey<T>[],
  first: number,
  after?: string | null,
  fetch: (qb: SelectQueryBuilder<T>) => Promise<T[]> = (q) => q.getMany(),
): Promise<Page<T>> {
  const countQuery = qb.clone();
  const rows = await fetch(keysetPage(qb, keys, first, after));
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keys.map((k) => k.value(node))), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    countTotal: () => countQuery.getCount(),
  };
}

/** The page's query: after the cursor (refused when it is not one of this list's), in key order, one row more than the page (hasNextPage). */
export function keysetPage<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, keys: SortKey<T>[], first: number, after?: string | null): SelectQueryBuilder<T> {
  if (after) {
    const values = decodeCursor(after, keys);
    // (k1 after v1) OR (k1 = v1 AND k2 after v2) OR …
    const clauses = keys.map((key, i) => {
      const equal = keys.slice(0, i).map((k, j) => `${k.sql} = :cursor${j}`);
      const op = key.direction === 'ASC' ? '>' : '<';
      return `(${[...equal, `${key.sql} ${op} :cursor${i}`].join(' AND ')})`;
    });
    qb.andWhere(`(${clauses.join(' OR ')})`, Object.fromEntries(values.map((v, i) => [`cursor${i}`, v])));
  }
  keys.forEach((key, i) => (i === 0 ? qb.orderBy(key.sql, key.direction) : qb.addOrderBy(key.sql, key.direction)));
  return qb.limit(first + 1);
}

/** the totalCount resolvers of every connection type, added to the schema */
export const connectionResolvers: ClassType[] = [];

export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => nodeType) node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} documents (Relay cursor connection)` })
  class ConnectionType {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => [nodeType], { description: 'the nodes of edges, for clients that need no cursors' }) nodes: T[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }

  @Resolver(() => ConnectionType)
  class ConnectionResolver {
    @FieldResolver(() => Int, { description: 'all matching documents, not only this page (counted only when asked for)' })
    totalCount(@Root() page: Page<T>): Promise<number> {
      return page.countTotal();
    }
  }
  connectionResolvers.push(ConnectionResolver);
  return ConnectionType;
}
