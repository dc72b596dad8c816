import type { MiddlewareFn } from 'type-graphql';
import { isPortalUser } from '../auth/roles';
import type { Context } from './context';

/** A field portal users never see (costs, approvals, internal notes): null for them. */
export const StaffOnly: MiddlewareFn<Context> = async ({ context }, next) => (isPortalUser(context.caller) ? null : next());
