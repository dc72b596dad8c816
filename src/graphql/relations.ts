/**
 * Fields that lead from one document type to another (task → request, task → records, request → tasks),
 * generated from the table in src/documents/relations.ts, so no document folder imports another's
 * types. Every such field reads through the target's per-request loader: the target's read scope
 * (grants included, reads through them logged), one query per level of a nested list.
 */
import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import type { DocumentDefinition } from '../workflow/definition';
import type { Context } from './context';

export type Relation =
  /** the document a foreign key on this one names: null when it is outside the caller's scope */
  | { from: string; field: string; to: string; kind: 'parent'; key: string; description: string }
  /** the documents whose foreign key `column` (property `key`) names this one, oldest first */
  | { from: string; field: string; to: string; kind: 'children'; column: string; key: string; description: string };

export interface RelatedType {
  def: DocumentDefinition<any, any>;
  objectType: ClassType;
}

export function createRelationResolvers(relations: Relation[], types: Map<string, RelatedType>): ClassType[] {
  return relations.map((relation) => {
    const from = types.get(relation.from);
    const to = types.get(relation.to);
    if (!from || !to) throw new Error(`relation ${relation.from}.${relation.field} names an unregistered type`);

    @Resolver(() => from.objectType)
    class RelationResolver {}
    const resolve = async (doc: Record<string, string>, ctx: Context): Promise<unknown> => {
      if (relation.kind === 'parent') return doc[relation.key] ? ctx.loaders.document(to.def).load(doc[relation.key]) : null;
      return ctx.loaders.children(to.def, relation.column, relation.key as never).load(doc.id);
    };
    // a method name of its own: type-graphql keys field resolvers by method name
    const method = `${relation.from}_${relation.field}`;
    Object.defineProperty(RelationResolver.prototype, method, { value: resolve, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(RelationResolver.prototype, method)!;
    const returns = relation.kind === 'parent' ? () => to.objectType : () => [to.objectType];
    FieldResolver(returns, { name: relation.field, nullable: relation.kind === 'parent', description: relation.description })(RelationResolver.prototype, method, descriptor);
    Root()(RelationResolver.prototype, method, 0);
    Ctx()(RelationResolver.prototype, method, 1);
    Object.defineProperty(RelationResolver, 'name', { value: `${relation.from}${relation.field[0].toUpperCase()}${relation.field.slice(1)}Resolver` });
    return RelationResolver;
  });
}
