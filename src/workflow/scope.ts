/**
 * A read scope: a SQL condition on the document's alias. Every read path
 * (node, lists, nested fields, history, the engine's locked load) applies
 * the same scope, so an out-of-scope document looks exactly like a missing one.
 */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface Scope {
  /** a condition using `{doc}` for the document table's alias, or TRUE/FALSE */
  sql: string;
  params: Record<string, unknown>;
}

export const ALL: Scope = { sql: 'TRUE', params: {} };
export const NONE: Scope = { sql: 'FALSE', params: {} };

export const anyOf = (...scopes: Scope[]): Scope => {
  const useful = scopes.filter((s) => s.sql !== 'FALSE');
  if (useful.some((s) => s.sql === 'TRUE')) return ALL;
  if (useful.length === 0) return NONE;
  return {
    sql: useful.map((s) => `(${s.sql})`).join(' OR '),
    params: Object.assign({}, ...useful.map((s) => s.params)),
  };
};

export function applyScope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, scope: Scope, alias = qb.alias): SelectQueryBuilder<T> {
  if (scope.sql === 'TRUE') return qb;
  // parenthesised: an OR in a scope must not bind to conditions added after it
  return qb.andWhere(`(${scope.sql.replace(/\{doc\}/g, alias)})`, scope.params);
}
