/**
 * How many jobs of a kind one claim takes. A claimed job is leased for `worker.leaseSeconds`; a batch that takes
 * longer is claimed again by another worker while the first still works on it, and every call outside is made
 * twice (harmless by the keys, but a struggling gateway or SM-DP+ gets the load twice over, and more). So a kind
 * whose jobs call outside takes only what its adapters can carry out in half the lease even when every call runs
 * to its timeout; a kind answered from our own store takes the whole `batchSize`.
 */
import type { CallPace } from '../adapters/ports.ts';
import type { AppContext } from '../app/context.ts';
import { webhookClaimLimit } from '../app/events-outbox.ts';
import type { JobKind } from '../store/jobs.repository.ts';

/** Milliseconds one item costs a batch at `pace`: its worst call shared among the lanes. */
const perItem = (pace: CallPace | undefined, calls = 1): number => (pace ? (calls * pace.worstMs) / Math.max(1, pace.lanes) : 0);

function limitFor(ctx: Pick<AppContext, 'policy'>, msPerItem: number): number {
  const { batchSize, leaseSeconds } = ctx.policy.worker;
  if (msPerItem <= 0) return batchSize;
  return Math.max(1, Math.min(batchSize, Math.floor((leaseSeconds * 1000) / 2 / msPerItem)));
}

export function claimLimitOf(ctx: Pick<AppContext, 'policy' | 'adapters' | 'events'>, kind: JobKind): number {
  switch (kind) {
    case 'event.webhook':
      return webhookClaimLimit(ctx);
    case 'termination.execute':
      // The bars of a batch are one round, its eSIM releases the next.
      return limitFor(ctx, perItem(ctx.adapters.network.pace) + perItem(ctx.adapters.esim.pace));
    case 'esim.prepare':
      // One job after another, two calls each (DownloadOrder, ConfirmOrder).
      return limitFor(ctx, ctx.adapters.esim.pace ? 2 * ctx.adapters.esim.pace.worstMs : 0);
    default:
      return ctx.policy.worker.batchSize;
  }
}
