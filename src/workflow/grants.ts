/**
 * Read access through granted access requests (SPEC §3.7, §7): the one place
 * that says which documents a grant opens, and that logs each read made
 * through one. Grants widen reads only; events still need the normal scope
 * (a grantee who tries one gets NOT_FOUND, as before the grant).
 */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../auth/roles';
import type { DocumentDefinition } from './definition';
import { ownerDepartmentSql, policyScope } from './policy';
import { anyOf, applyScope, type Scope } from './scope';

/** SQL yielding the id of an active grant of the caller that covers the document, or NULL. */
function grantIdSql(def: DocumentDefinition<any, any>, caller: Caller): string | null {
  const owner = ownerDepartmentSql(def.policy);
  if (!caller.holdsGrants || !owner || def.type === 'AccessRequest') return null;
  return `(SELECT g.id FROM access_request g
    WHERE g.created_by_id = :grantee AND g.state = 'GRANTED' AND g.granted_until > now()
      AND ((g.target_kind = 'DOCUMENT' AND g.document_type = '${def.type}' AND g.document_id = {doc}.id)
        OR (g.target_kind = 'DEPARTMENT' AND g.department_id = ${owner}))
    LIMIT 1)`;
}

/** The caller's normal audience for a type, from its read policy (no grants). */
export const normalScope = (def: DocumentDefinition<any, any>, caller: Caller): Scope => policyScope(def.type, def.policy, caller);

/** The caller's read scope: their normal audience, and what their active grants open. */
export function readScope(def: DocumentDefinition<any, any>, caller: Caller): Scope {
  const base = normalScope(def, caller);
  const grant = grantIdSql(def, caller);
  if (base.sql === 'TRUE' || !grant) return base;
  return anyOf(base, { sql: `${grant} IS NOT NULL`, params: { grantee: caller.userId } });
}

/**
 * Restricts a document query (alias `d`-style, any alias) to the caller's read
 * scope; when a grant may be involved, it also selects which grant opened each row.
 */
export function visibleQuery<D extends ObjectLiteral>(qb: SelectQueryBuilder<D>, def: DocumentDefinition<any, any>, caller: Caller): SelectQueryBuilder<D> {
  const base = normalScope(def, caller);
  const grant = grantIdSql(def, caller);
  applyScope(qb, readScope(def, caller));
  if (base.sql !== 'TRUE' && grant) {
    const at = (sql: string) => sql.replace(/\{doc\}/g, qb.alias);
    qb.addSelect(`CASE WHEN ${at(base.sql)} THEN NULL ELSE ${at(grant)} END`, 'via_grant').setParameters({ ...base.params, grantee: caller.userId });
  }
  return qb;
}

export interface ReadLog {
  manager: EntityManager;
  requestId: string | null;
}

/** Fetches a query built by visibleQuery, and logs every row only a grant made visible (one INSERT, only then). */
export async function fetchVisible<D extends ObjectLiteral & { id: string }>(qb: SelectQueryBuilder<D>, def: DocumentDefinition<any, any>, caller: Caller, log: ReadLog): Promise<D[]> {
  if (!qb.expressionMap.selects.some((s) => s.aliasName === 'via_grant')) return qb.getMany();
  const { entities, raw } = await qb.getRawAndEntities();
  const viaGrant = new Map<string, string>();
  for (const row of raw) if (row.via_grant) viaGrant.set(row[`${qb.alias}_id`], row.via_grant);
  const logged = entities.filter((e) => viaGrant.has(e.id));
  if (logged.length) {
    await log.manager.query(
      `INSERT INTO access_log_entry (access_request_id, reader_id, document_type, document_id, at, request_id)
       SELECT unnest($1::uuid[]), $2, $3, unnest($4::uuid[]), now(), $5`,
      [logged.map((e) => viaGrant.get(e.id)), caller.userId, def.type, logged.map((e) => e.id), log.requestId],
    );
  }
  return entities;
}
