/**
 * Words more than one document type uses (SPEC §2, §3): complexity, urgency, money. A document folder
 * imports these, never another document's folder.
 */
import { registerEnumType } from 'type-graphql';

export enum Urgency { NORMAL = 'NORMAL', URGENT = 'URGENT', CRITICAL = 'CRITICAL' }
export enum Complexity { STANDARD = 'STANDARD', COMPLEX = 'COMPLEX' }

registerEnumType(Urgency, { name: 'Urgency', description: 'Urgent and critical requests come first in review queues' });
registerEnumType(Complexity, { name: 'Complexity', description: 'COMPLEX raises the approval tier to EXECUTIVE' });

/** Sort rank: higher comes first in a review queue. */
export const URGENCY_RANK: Record<Urgency, number> = { NORMAL: 0, URGENT: 1, CRITICAL: 2 };

/** numeric columns come back from pg as strings; amounts are handled as numbers with 2 decimals */
export const numericTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
