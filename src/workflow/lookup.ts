/**
 * Another type's document, by type name, as a document folder may need it while it builds or judges its
 * own (a task's request, a record's task) — through the registry, so no document folder imports another.
 */
import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/roles';
import { normalScope } from './grants';
import { definitionOf } from './registry';
import { applyScope } from './scope';

/**
 * The document within the caller's normal read scope, row-locked until the transaction ends (so it cannot
 * change state while a document is added to it), or null when it does not exist or is out of scope.
 */
export async function lockVisibleDocument<T = Record<string, any>>(manager: EntityManager, type: string, id: string | null, caller: Caller): Promise<T | null> {
  const def = definitionOf(type);
  if (!def) throw new Error(`no document type ${type}`);
  if (!id) return null;
  const qb = manager.createQueryBuilder(def.entity, 'd').where('d.id = :id', { id }).setLock('pessimistic_write');
  return (await applyScope(qb, normalScope(def, caller)).getOne()) as T | null;
}

/** The document, row-locked, without a scope: for documents the system opens on another's behalf. */
export async function lockDocument<T = Record<string, any>>(manager: EntityManager, type: string, id: string): Promise<T | null> {
  const def = definitionOf(type);
  if (!def) throw new Error(`no document type ${type}`);
  return (await manager.createQueryBuilder(def.entity, 'd').where('d.id = :id', { id }).setLock('pessimistic_write').getOne()) as T | null;
}
