/**
 * Per-request DataLoaders: nested fields batch their reads into one query per
 * kind and level, so a list's statement count does not grow with its size.
 * Document loaders apply the caller's scope: a nested document outside it
 * resolves to null, like a missing one.
 */
import DataLoader from 'dataloader';
import { DataSource, In, ObjectLiteral } from 'typeorm';
import type { Caller } from '../auth/roles';
import { Customer, Department, User } from '../organisation/organisation.entities';
import { AuditEvent } from '../workflow/workflow.entities';
import type { DocumentDefinition } from '../workflow/definition';
import { applyScope } from '../workflow/scope';

function byId<T extends ObjectLiteral & { id: string }>(dataSource: DataSource, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await dataSource.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

export function createLoaders(dataSource: DataSource, caller: Caller) {
  const documentLoaders = new Map<string, DataLoader<string, unknown>>();
  return {
    customer: byId(dataSource, Customer),
    department: byId(dataSource, Department),
    user: byId(dataSource, User),
    /** a document by uuid, within the caller's scope */
    document<D extends ObjectLiteral & { id: string }>(def: DocumentDefinition<any, any>): DataLoader<string, D | null> {
      let loader = documentLoaders.get(def.type);
      if (!loader) {
        loader = new DataLoader<string, D | null>(async (ids) => {
          const qb = dataSource.getRepository(def.entity).createQueryBuilder('d').where('d.id IN (:...ids)', { ids: [...ids] });
          const rows = (await applyScope(qb, def.scope(caller)).getMany()) as unknown as D[];
          const map = new Map(rows.map((r) => [r.id, r]));
          return ids.map((id) => map.get(id) ?? null);
        });
        documentLoaders.set(def.type, loader);
      }
      return loader as DataLoader<string, D | null>;
    },
    /** the audit events of documents, oldest first */
    history: new DataLoader<string, AuditEvent[]>(async (ids) => {
      const rows = await dataSource.getRepository(AuditEvent).find({ where: { documentId: In([...ids]) }, order: { documentId: 'ASC', seq: 'ASC' } });
      const map = new Map<string, AuditEvent[]>();
      for (const r of rows) map.set(r.documentId, [...(map.get(r.documentId) ?? []), r]);
      return ids.map((id) => map.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
