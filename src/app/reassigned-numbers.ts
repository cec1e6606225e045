/**
 * The reassigned-numbers query for banks and messengers (issue 17; rules in src/domain/reassigned-numbers.ts).
 * An integrator key with the `reassigned-numbers` scope asks about up to 1,000 (number, date) pairs at once.
 * A bad request is refused before anything is counted or recorded; a good one is counted against the key's limit,
 * answered from one read of the assignment history and audited (the key, how many pairs, the tally, a keyed hash of
 * the pairs — never the numbers themselves) before the answer leaves.
 */
import { createHmac } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { answerPair, checkPairs, type NumberPair, REASSIGNED_NUMBERS_SCOPE, type ReassignedAnswer } from '../domain/reassigned-numbers.ts';
import { newId } from '../store/ids.ts';
import { historyFactsOf } from '../store/reassigned-numbers.repository.ts';
import { auditTogether } from './audit-batch.ts';
import type { AppContext } from './context.ts';
import { takeSend } from './lockout.ts';
import type { Principal } from './principal.ts';

/** Queries one key may make per window (each up to 1,000 pairs): 600 a minute is 10,000 pairs a second sustained. */
export const QUERIES_PER_WINDOW = 600;
export const WINDOW_MINUTES = 1;

export interface PairAnswer {
  readonly number: string;
  readonly date: string;
  readonly answer: ReassignedAnswer;
}

type ApiKey = Extract<Principal, { kind: 'api_key' }>;

/** The caller as an integrator key with the query's scope, or FORBIDDEN (staff and subscribers included). */
export function requireQueryKey(principal: Principal | undefined): ApiKey {
  if (!principal) throw new AppError('AUTH_REQUIRED', {});
  if (principal.kind !== 'api_key' || !principal.scopes.includes(REASSIGNED_NUMBERS_SCOPE)) throw new AppError('FORBIDDEN', {});
  return principal;
}

/**
 * A keyed hash of the request's pairs, for the audit entry: whoever holds a copy of a request can show it was this
 * query, the log alone gives no number away. Keyed with the installation's document key, separated by a label.
 */
function pairsDigest(key: string, pairs: readonly NumberPair[]): string {
  const mac = createHmac('sha256', key).update('simexit reassigned-numbers query\n');
  for (const p of pairs) mac.update(`${p.number} ${p.date}\n`);
  return mac.digest('hex');
}

/** Answers each pair, in order. */
export async function queryReassignedNumbers(ctx: AppContext, principal: Principal | undefined, pairs: readonly NumberPair[]): Promise<PairAnswer[]> {
  const key = requireQueryKey(principal);
  const now = ctx.clock();
  checkPairs(pairs, now.slice(0, 10));
  // Counted in the store, so every API process shares one count per key.
  await takeSend(ctx.store.db, [[`rnd-key:${key.id}`, QUERIES_PER_WINDOW]], now, WINDOW_MINUTES, 'RND_RATE_LIMITED');
  const facts = await historyFactsOf(ctx.store.db, pairs.map((p) => p.number));
  const tally: Record<ReassignedAnswer, number> = { yes: 0, no: 0, no_data: 0 };
  const answers = pairs.map((p) => {
    const answer = answerPair(p.date, facts.get(p.number));
    tally[answer]++;
    return { number: p.number, date: p.date, answer };
  });
  // Never answered unaudited: the entry is committed (with other queries' entries of the moment) before the answer leaves.
  await auditTogether(ctx.store, {
    entityType: 'reassigned_numbers_query',
    entityId: newId('rnq'),
    action: 'queried',
    from: null,
    to: null,
    actor: { kind: 'system', id: key.id, channel: 'api' },
    at: now,
    reason: null,
    data: { apiKey: key.id, pairs: pairs.length, ...tally, digest: pairsDigest(ctx.secrets.documentKey, pairs) },
  });
  return answers;
}
