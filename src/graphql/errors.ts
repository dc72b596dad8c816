/**
 * What a client may see of an error: the codes below with their messages;
 * anything else is an internal error, logged with its stack and answered as
 * "Internal server error" with no detail.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';

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
]);

export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    if (code === 'BAD_USER_INPUT') {
      // a variable GraphQL could not coerce (wrong enum, malformed date, text for a number): name the field
      const at = /at "([^"]+)"/.exec(formatted.message)?.[1] ?? /Variable "\$([^"]+)"/.exec(formatted.message)?.[1] ?? null;
      const field = at ? at.split('.').slice(1).join('.') || at : null;
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'VALIDATION', field } };
    }
    if (code && CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: unwrapResolverError(error), path: formatted.path }, 'internal error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
