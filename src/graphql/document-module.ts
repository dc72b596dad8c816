import type { ClassType } from 'type-graphql';
import type { DocumentDefinition } from '../workflow/definition';

/** What one document folder hands the registry (src/documents/index.ts): its definition and its GraphQL classes. */
export interface DocumentModule {
  def: DocumentDefinition<any, any>;
  /** its TypeORM entities: the document's own, then its sub-tables */
  entities: Function[];
  /** the GraphQL object type class */
  objectType: ClassType;
  /** the type's own queries and fields (lists, its own sub-objects); fields leading to other types are in src/documents/relations.ts */
  resolvers: ClassType[];
}
