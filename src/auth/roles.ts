import { registerEnumType } from 'type-graphql';

/** SPEC §1. An automation holds the roles it was granted, like a person. */
export enum Role {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  TECHNICIAN = 'TECHNICIAN',
  SUPERVISOR = 'SUPERVISOR',
  EXECUTIVE = 'EXECUTIVE',
  ARCHIVIST = 'ARCHIVIST',
  ADMIN = 'ADMIN',
  /** 倉庫/備件管理員: issues the spare parts of approved requisitions (seed 003 §3.7: 備用件庫根據備用件領料單發放備用件) */
  STOREKEEPER = 'STOREKEEPER',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'What a user or automation may do (SPEC §1)',
  valuesConfig: {
    STOREKEEPER: { description: '倉庫/備件管理員 — the spare-parts storekeeper: issues the parts of approved requisitions, receives the old parts brought back, writes warranty parts off and follows supplier claims; reads the requisitions approved, issued, consumed or written off, and every supplier claim (seed 003 §3.7–3.8)' },
  },
});

export enum UserKind {
  HUMAN = 'HUMAN',
  AUTOMATION = 'AUTOMATION',
}
registerEnumType(UserKind, { name: 'UserKind' });

/** The authenticated caller of one request: everything a rule needs to know about who acts. */
export interface Caller {
  userId: string;
  name: string;
  kind: UserKind;
  roles: readonly Role[];
  departmentId: string | null;
  customerId: string | null;
  /**
   * The caller held an active access grant when the token was verified. Read
   * scopes consult grants only then; the grant's own state and expiry are still
   * checked live, so a revocation or an expiry takes effect at once, and a new
   * grant within the token cache's lifetime (TOKEN_CACHE_MS).
   */
  holdsGrants: boolean;
}

/** The actor of events no person sends (SPEC's "(system)" events, expiries); its own id, no roles. */
export const SYSTEM_CALLER: Caller = Object.freeze({
  userId: '00000000-0000-0000-0000-000000000000',
  name: 'system',
  kind: UserKind.AUTOMATION,
  roles: [],
  departmentId: null,
  customerId: null,
  holdsGrants: false,
});

export const hasRole = (caller: Caller, ...roles: Role[]): boolean => roles.some((r) => caller.roles.includes(r));
/** Portal users: see only what a customer may see (no costs, approvals, internal notes). */
export const isPortalUser = (caller: Caller): boolean => caller.customerId !== null && !caller.roles.some((r) => r !== Role.CUSTOMER);
