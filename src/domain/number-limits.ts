/**
 * The per-person limit on numbers (`numberLimits` in the policy; in Russia at most 20 per citizen and 10 per
 * foreigner). Pure: the caller counts the numbers the person holds now.
 */
import type { Policy } from './policy.ts';

/** The most numbers this person may hold at once under the policy. */
export const numberLimitFor = (limits: Policy['numberLimits'], person: { readonly foreigner: boolean }): number => (person.foreigner ? limits.foreigner : limits.citizen);

export type LimitDecision = { readonly ok: true } | { readonly ok: false; readonly code: 'NUMBER_LIMIT_REACHED'; readonly limit: number; readonly held: number };

/**
 * Whether the person may take `adding` more numbers while holding `held` (lines not yet ended). Refused when
 * the result would pass their limit; a person already over it (the limit was lowered) gains nothing.
 */
export function decideNumberLimit(limits: Policy['numberLimits'], person: { readonly foreigner: boolean }, held: number, adding = 1): LimitDecision {
  const limit = numberLimitFor(limits, person);
  return held + adding <= limit ? { ok: true } : { ok: false, code: 'NUMBER_LIMIT_REACHED', limit, held };
}
