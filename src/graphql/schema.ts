import 'reflect-metadata';
import path from 'node:path';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { documentModules } from '../documents';
import { CustomerResolver, DepartmentResolver, UserResolver } from '../organisation/organisation.resolver';
import { WorkflowResolver } from '../workflow/workflow.resolver';
import { connectionResolvers } from './connection';
import { createDocumentResolver } from './document-resolver';

/** the committed contract; `npm run schema:emit` rewrites it, a test fails when it drifts */
export const SCHEMA_FILE = path.resolve(__dirname, '../../schema/schema.graphql').replace(`${path.sep}dist${path.sep}`, path.sep);

export const printApiSchema = (schema: GraphQLSchema): string => printSchema(lexicographicSortSchema(schema)) + '\n';

export async function buildApiSchema(): Promise<GraphQLSchema> {
  const resolvers = [
    WorkflowResolver,
    DepartmentResolver,
    CustomerResolver,
    UserResolver,
    ...documentModules.flatMap((m) => [createDocumentResolver(m), ...m.resolvers]),
    ...connectionResolvers,
  ] as unknown as NonEmptyArray<Function>;
  return buildSchema({
    resolvers,
    validate: { forbidUnknownValues: false },
  });
}
