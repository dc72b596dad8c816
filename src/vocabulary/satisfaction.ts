/**
 * The five-point satisfaction scale (SPEC §3.4, §4 return visits, §8: satisfaction rate = (very satisfied +
 * satisfied) / responses), for every document that records a customer's satisfaction: acceptances,
 * complaints' return visits.
 */
import { registerEnumType } from 'type-graphql';

export enum Satisfaction {
  VERY_SATISFIED = 'VERY_SATISFIED',
  SATISFIED = 'SATISFIED',
  NEUTRAL = 'NEUTRAL',
  DISSATISFIED = 'DISSATISFIED',
  VERY_DISSATISFIED = 'VERY_DISSATISFIED',
}

registerEnumType(Satisfaction, { name: 'Satisfaction', description: 'The five-point satisfaction scale; VERY_SATISFIED and SATISFIED count as satisfied (SPEC §8)' });

/** The answers the satisfaction rate counts as satisfied (seed 001 §4.2.1). */
export const SATISFIED_ANSWERS: readonly Satisfaction[] = [Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED];
