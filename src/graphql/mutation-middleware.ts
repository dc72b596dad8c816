/**
 * Middleware on every document mutation (and only there: a global middleware
 * would wrap every field of every answer). Invalid input and an Idempotency-Key
 * that forbids running are answered as data, like every other refusal.
 */
import { ArgumentValidationError, type MiddlewareFn } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { UserErrorCode, type UserErrorData } from '../workflow/errors';
import type { Context } from './context';

/** class-validator's nested errors as one VALIDATION error per field. */
export function validationErrors(errors: ValidationError[], prefix = ''): UserErrorData[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ code: UserErrorCode.VALIDATION, message, field }));
    return [...own, ...validationErrors(e.children ?? [], field)];
  });
}

export const InputValidationAsUserErrors: MiddlewareFn = async (_, next) => {
  try {
    return await next();
  } catch (error) {
    if (!(error instanceof ArgumentValidationError)) throw error;
    return { document: null, userErrors: validationErrors(error.extensions.validationErrors as ValidationError[]) };
  }
};

/** A request whose Idempotency-Key forbids running it: each mutation answers the conflict, in the shape the client asked for. */
export const IdempotencyRefusal: MiddlewareFn<Context> = async ({ context }, next) => {
  if (!context.idempotencyRefusal) return next();
  return { document: null, userErrors: [{ code: UserErrorCode.IDEMPOTENCY_CONFLICT, message: context.idempotencyRefusal, field: null }] };
};
