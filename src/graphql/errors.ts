/**
 * What a client may see of an error: the codes below with their messages;
 * anything else is an internal error, logged with its stack and answered as
 * "Internal server error" with no detail.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { validationErrors } from './mutation-middleware';

const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'SERVICE_UNAVAILABLE',
  'OPERATION_NOT_SUPPORTED',
  'RATE_LIMITED',
  'RESPONSE_TOO_LARGE',
]);

export const DATABASE_UNAVAILABLE = 'The database is unavailable; retry shortly.';

/** Lost or refused connections (the server restarting, a failover): the client may retry, nothing internal is shown. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; driverError?: { code?: string; message?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  const message = e?.driverError?.message ?? e?.message ?? '';
  return (
    (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNREFUSED' || code === 'ECONNRESET')) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(message)
  );
}

/** GraphQL's hints at names the client did not give (fields, arguments, types, enum values). */
export const withoutSuggestions = (message: string): string => message.replace(/ ?Did you mean [^?]*\?/g, '');

export function createErrorFormatter(log: Logger, production = false) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) {
      // a query's arguments failed class-validator: one VALIDATION error naming the fields
      const problems = validationErrors(original.extensions.validationErrors as ValidationError[]);
      return {
        message: problems.map((e) => `${e.field}: ${e.message}`).join('; '),
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'VALIDATION', field: problems[0]?.field ?? null, fields: problems.map((e) => e.field) },
      };
    }
    if (code === 'BAD_USER_INPUT') {
      // a variable GraphQL could not coerce (wrong enum, malformed date, text for a number): name the field
      const at = /at "([^"]+)"/.exec(formatted.message)?.[1] ?? /Variable "\$([^"]+)"/.exec(formatted.message)?.[1] ?? null;
      const field = at ? at.split('.').slice(1).join('.') || at : null;
      return { message: production ? withoutSuggestions(formatted.message) : formatted.message, locations: formatted.locations, extensions: { code: 'VALIDATION', field } };
    }
    if (code && CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      // graphql-armor says "Syntax Error: Query Cost limit of 20000 exceeded, found …" of a well-formed query that is too big
      const limit = /^Syntax Error: (.+ limit of \d+ exceeded.*)$/s.exec(formatted.message);
      if (limit) return { ...formatted, message: limit[1], extensions };
      // production names nothing of the schema a client did not ask for: no "Did you mean …" for fields or enum values
      return { ...formatted, message: production ? withoutSuggestions(formatted.message) : formatted.message, extensions };
    }
    if (isDatabaseUnavailable(original)) {
      log.warn({ err: original, path: formatted.path }, 'database unavailable');
      return { message: DATABASE_UNAVAILABLE, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    log.error({ err: original, path: formatted.path }, 'internal error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
