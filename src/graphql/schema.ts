import 'reflect-metadata';
import path from 'node:path';
import { GraphQLError, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { ArgumentValidationError, buildSchema, MiddlewareFn, type NonEmptyArray } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { documentModules } from '../documents';
import { CustomerResolver, DepartmentResolver, UserResolver } from '../organisation/organisation.resolver';
import { WorkflowResolver } from '../workflow/workflow.resolver';
import { UserErrorCode, UserErrorData } from '../workflow/errors';
import { connectionResolvers } from './connection';
import { createDocumentResolver } from './document-resolver';
import type { Context } from './context';

/** the committed contract; `npm run schema:emit` rewrites it, a test fails when it drifts */
export const SCHEMA_FILE = path.resolve(__dirname, '../../schema/schema.graphql').replace(`${path.sep}dist${path.sep}`, path.sep);

export const printApiSchema = (schema: GraphQLSchema): string => printSchema(lexicographicSortSchema(schema)) + '\n';

/** class-validator's nested errors as one VALIDATION error per field. */
export function validationErrors(errors: ValidationError[], prefix = ''): UserErrorData[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ code: UserErrorCode.VALIDATION, message, field }));
    return [...own, ...validationErrors(e.children ?? [], field)];
  });
}

/**
 * Mutations answer invalid input as data (userErrors), like every other
 * refusal; queries get a VALIDATION error naming the fields.
 */
const InputValidationAsUserErrors: MiddlewareFn = async ({ info }, next) => {
  try {
    return await next();
  } catch (error) {
    if (!(error instanceof ArgumentValidationError)) throw error;
    const userErrors = validationErrors(error.extensions.validationErrors as ValidationError[]);
    if (info.parentType.name === 'Mutation') return { document: null, userErrors };
    throw new GraphQLError(userErrors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      extensions: { code: 'VALIDATION', fields: userErrors.map((e) => e.field) },
    });
  }
};

/** A request whose Idempotency-Key forbids running it: each mutation answers the conflict as data, in the shape the client asked for. */
const IdempotencyRefusal: MiddlewareFn<Context> = async ({ info, context }, next) => {
  if (info.parentType.name !== 'Mutation' || !context.idempotencyRefusal) return next();
  return { document: null, userErrors: [{ code: UserErrorCode.IDEMPOTENCY_CONFLICT, message: context.idempotencyRefusal, field: null }] };
};

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
    globalMiddlewares: [IdempotencyRefusal, InputValidationAsUserErrors],
  });
}
