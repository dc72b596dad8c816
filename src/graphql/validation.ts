/**
 * Input rules that class-validator does not have, applied to every text input:
 * PostgreSQL counts characters in code points (char_length) and rejects NUL
 * and lone surrogates, so we refuse them here with a VALIDATION error rather
 * than meet them as a database error.
 */
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(value: unknown, max: number, required: boolean): string | null {
  if (value === undefined || value === null) return required ? 'is required' : null;
  if (typeof value !== 'string') return 'must be text';
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains a lone surrogate)';
  if (required && value.trim().length === 0) return 'must not be blank';
  const length = codePoints(value);
  if (length > max) return `must be at most ${max} characters (it has ${length})`;
  return null;
}

/** A text field: no NUL, no lone surrogates, at most `max` code points; `required` also refuses blank text. */
export function Text(max: number, options: { required?: boolean } & ValidationOptions = {}) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'text',
      target: object.constructor,
      propertyName,
      options: { ...options, message: (args: ValidationArguments) => `${args.property} ${textProblem(args.value, max, options.required ?? false)}` },
      validator: { validate: (value: unknown) => textProblem(value, max, options.required ?? false) === null },
    });
}

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** A timestamp PostgreSQL and a person would both accept. */
export function SaneDate(options: ValidationOptions = {}) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'saneDate',
      target: object.constructor,
      propertyName,
      options: { ...options, message: (args: ValidationArguments) => `${args.property} must be a date between 1970 and 2200` },
      validator: {
        validate: (value: unknown) =>
          value === undefined || value === null || (value instanceof Date && !Number.isNaN(value.getTime()) && value.getTime() >= EARLIEST && value.getTime() < LATEST),
      },
    });
}
