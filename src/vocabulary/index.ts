/**
 * Words more than one document type uses (SPEC §2, §3): complexity, urgency, money, how something reached
 * us (channel), what service it is about (category, service type) and how satisfied a customer is. A
 * document folder imports these, never another document's folder.
 */
import { registerEnumType } from 'type-graphql';

export enum Urgency { NORMAL = 'NORMAL', URGENT = 'URGENT', CRITICAL = 'CRITICAL' }
export enum Complexity { STANDARD = 'STANDARD', COMPLEX = 'COMPLEX' }

/** SPEC §3.1; a consultation (§3.8) comes in the same ways, and becomes a request with the same words */
export enum Channel { PHONE = 'PHONE', ONLINE = 'ONLINE', PAPER = 'PAPER', EMAIL = 'EMAIL' }
export enum ServiceCategory { PRE_SALES = 'PRE_SALES', IN_SALES = 'IN_SALES', AFTER_SALES = 'AFTER_SALES' }
export enum ServiceType {
  INSTALLATION = 'INSTALLATION',
  TRAINING = 'TRAINING',
  ONSITE_SUPPORT = 'ONSITE_SUPPORT',
  REMOTE_SUPPORT = 'REMOTE_SUPPORT',
  REPAIR = 'REPAIR',
  PARTS_SUPPLY = 'PARTS_SUPPLY',
  CONSULTATION = 'CONSULTATION',
}

registerEnumType(Channel, { name: 'Channel', description: 'How the request reached us' });
registerEnumType(ServiceCategory, { name: 'ServiceCategory' });
registerEnumType(ServiceType, { name: 'ServiceType' });
registerEnumType(Urgency, { name: 'Urgency', description: 'Urgent and critical requests come first in review queues' });
registerEnumType(Complexity, { name: 'Complexity', description: 'COMPLEX raises the approval tier to EXECUTIVE' });

/** Sort rank: higher comes first in a review queue. */
export const URGENCY_RANK: Record<Urgency, number> = { NORMAL: 0, URGENT: 1, CRITICAL: 2 };

/** numeric columns come back from pg as strings; amounts are handled as numbers with 2 decimals */
export const numericTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

export { Satisfaction, SATISFIED_ANSWERS } from './satisfaction';
