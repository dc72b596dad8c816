import { registerEnumType } from 'type-graphql';

/** SPEC §9: refusals are data with stable codes. */
export enum UserErrorCode {
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  GUARD_FAILED = 'GUARD_FAILED',
  APPROVAL_TIER = 'APPROVAL_TIER',
  SEGREGATION_OF_DUTIES = 'SEGREGATION_OF_DUTIES',
  VALIDATION = 'VALIDATION',
  STALE_VERSION = 'STALE_VERSION',
  IDEMPOTENCY_CONFLICT = 'IDEMPOTENCY_CONFLICT',
  /** the document is archived: read-only on every path (SPEC §5) */
  ARCHIVED = 'ARCHIVED',
  /** a legal hold stands on the document: it cannot be purged until every hold is lifted (SPEC §5) */
  LEGAL_HOLD = 'LEGAL_HOLD',
}
registerEnumType(UserErrorCode, { name: 'UserErrorCode', description: 'Why a mutation was refused (SPEC §9)' });

export interface UserErrorData {
  code: UserErrorCode;
  message: string;
  field?: string | null;
}

/**
 * Thrown inside an engine transaction to refuse an event: the transaction is
 * rolled back, so a refusal leaves nothing behind but itself.
 */
export class Refusal extends Error {
  constructor(readonly errors: UserErrorData[]) {
    super(errors.map((e) => e.message).join('; '));
  }
  static of(code: UserErrorCode, message: string, field?: string): Refusal {
    return new Refusal([{ code, message, field: field ?? null }]);
  }
}

export const notFound = (what = 'document'): Refusal => Refusal.of(UserErrorCode.NOT_FOUND, `No ${what} with this id.`, 'id');
