/**
 * Every document list: the caller's read scope (grants included, reads through
 * them logged), the list's own filters, keyset pagination under the page cap.
 */
import type { SelectQueryBuilder } from 'typeorm';
import { Field } from 'type-graphql';
import { whereOverdue } from '../time/deadlines';
import type { DocumentDefinition } from '../workflow/definition';
import { fetchVisible, visibleQuery } from '../workflow/grants';
import type { WorkflowDocument } from '../workflow/workflow.entities';
import { paginate, type Page, type SortKey } from './connection';
import type { Context } from './context';
export type { CapturedList } from './context';

/** A filter naming an id of the wrong kind matches nothing (rather than everything). */
export const NO_MATCH = '00000000-0000-0000-0000-000000000000';

/** Newest first, ties broken by id. */
export function newestFirst<D extends WorkflowDocument>(): SortKey<D>[] {
  return [
    { sql: 'd.created_at', direction: 'DESC', kind: 'timestamp', value: (r) => r.createdAt.toISOString() },
    { sql: 'd.id', direction: 'DESC', kind: 'uuid', value: (r) => r.id },
  ];
}

/** The `overdue` filter of every list (one line in each list's filter input): deadlines past due and unmet now. */
export const OverdueFilter = () =>
  Field(() => Boolean, { nullable: true, description: 'true: only documents with a deadline past due and unmet; false: only those without one' });

export function listDocuments<D extends WorkflowDocument>(
  ctx: Context,
  def: DocumentDefinition<D, any>,
  page: { first?: number | null; after?: string | null; filter?: { overdue?: boolean | null } | null; overdue?: boolean | null },
  filter: (qb: SelectQueryBuilder<D>) => void,
  order: SortKey<D>[] = newestFirst<D>(),
): Promise<Page<D>> {
  const qb = visibleQuery(ctx.dataSource.getRepository(def.entity).createQueryBuilder('d'), def, ctx.caller) as SelectQueryBuilder<D>;
  filter(qb);
  whereOverdue(qb, def.type, page.filter?.overdue ?? page.overdue, ctx.config.clock());
  // an export (src/export) runs the list's own resolver to this point: the same scope and filters, then streams the query itself
  const first = Math.min(page.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize);
  if (ctx.listCapture) return ctx.listCapture({ def, qb, order, first, after: page.after }) as Promise<Page<D>>;
  return paginate(qb, order, first, page.after, (q) => fetchVisible(q, def, ctx.caller, ctx.loaders.readLog));
}
