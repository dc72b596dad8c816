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
import { ApprovalSignature } from '../approval/approval.entity';
import { ServiceRecordEntry, ServiceRecordEntryRevision } from '../documents/service-record/service-record.entity';
import type { DocumentDefinition } from '../workflow/definition';
import { fetchVisible, visibleQuery } from '../workflow/grants';

/** rows grouped by a key property, in the order the query returned them */
function groupBy<T>(keys: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** all rows of an entity whose `property` is one of the keys, grouped by it, in `order` */
function manyBy<T extends ObjectLiteral>(dataSource: DataSource, entity: new () => T, property: keyof T & string, order: Record<string, 'ASC' | 'DESC'>) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await dataSource.getRepository(entity).find({ where: { [property]: In([...keys]) } as never, order: order as never });
    return groupBy(keys, rows, (r) => r[property] as string);
  });
}

function byId<T extends ObjectLiteral & { id: string }>(dataSource: DataSource, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await dataSource.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

export function createLoaders(dataSource: DataSource, caller: Caller, requestId: string | null = null) {
  const readLog = { manager: dataSource.manager, requestId };
  const documentLoaders = new Map<string, DataLoader<string, unknown>>();
  const childLoaders = new Map<string, DataLoader<string, unknown[]>>();
  const memos = new Map<string, unknown>();
  return {
    /** any other per-request loader, made once per request under its key */
    memo<T>(key: string, make: () => T): T {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
    /** where reads through access grants are logged */
    readLog,
    customer: byId(dataSource, Customer),
    department: byId(dataSource, Department),
    user: byId(dataSource, User),
    /** a document by uuid, within the caller's scope */
    document<D extends ObjectLiteral & { id: string }>(def: DocumentDefinition<any, any>): DataLoader<string, D | null> {
      let loader = documentLoaders.get(def.type);
      if (!loader) {
        loader = new DataLoader<string, D | null>(async (ids) => {
          const qb = dataSource.getRepository(def.entity).createQueryBuilder('d').where('d.id IN (:...ids)', { ids: [...ids] });
          const rows = (await fetchVisible(visibleQuery(qb, def, caller), def, caller, readLog)) as unknown as D[];
          const map = new Map(rows.map((r) => [r.id, r]));
          return ids.map((id) => map.get(id) ?? null);
        });
        documentLoaders.set(def.type, loader);
      }
      return loader as DataLoader<string, D | null>;
    },
    /**
     * The documents of a type whose foreign key `column` (SQL name, e.g.
     * request_id) is one of the keys, within the caller's scope, oldest first:
     * a nested list (request → tasks → records) is one query per level.
     */
    children<D extends ObjectLiteral & { id: string }>(def: DocumentDefinition<any, any>, column: string, property: keyof D & string): DataLoader<string, D[]> {
      const name = `${def.type}.${column}`;
      let loader = childLoaders.get(name);
      if (!loader) {
        loader = new DataLoader<string, D[]>(async (keys) => {
          const qb = dataSource.getRepository(def.entity).createQueryBuilder('d').where(`d.${column} IN (:...keys)`, { keys: [...keys] });
          const rows = (await fetchVisible(visibleQuery(qb, def, caller).orderBy('d.created_at', 'ASC').addOrderBy('d.id', 'ASC'), def, caller, readLog)) as unknown as D[];
          return groupBy(keys, rows, (r) => r[property] as string);
        });
        childLoaders.set(name, loader);
      }
      return loader as DataLoader<string, D[]>;
    },
    /** approval signatures of documents, in signing order */
    signatures: manyBy(dataSource, ApprovalSignature, 'documentId', { at: 'ASC', id: 'ASC' }),
    /** a record's entries, in order */
    recordEntries: manyBy(dataSource, ServiceRecordEntry, 'recordId', { seq: 'ASC' }),
    /** an entry's revisions, first (as written) to latest */
    entryRevisions: manyBy(dataSource, ServiceRecordEntryRevision, 'entryId', { revision: 'ASC' }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
