/** The number's life after a termination: sweep out of quarantine, reclaim, and the eSIM's last word. */
import type { Actor, Channel } from '../domain/channels.ts';
import { systemActor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import { esimTransitions, numberTransitions, type SimType, simTransitions } from '../domain/inventory.ts';
import type { Line } from '../domain/model.ts';
import { assertTransition } from '../domain/state-machine.ts';
import type { StateEvent } from '../domain/termination.ts';
import { addDays } from '../domain/time.ts';
import { decideNumberLimit } from '../domain/number-limits.ts';
import { DEFAULT_SWEEP_POLICY } from '../domain/policy.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import {
  activateSim,
  allocateEsim,
  assignNumberToNewLine,
  firstAvailableEsim,
  firstSimInStock,
  insertReclaim,
  lockNumber,
  quarantinesEndingBetween,
  releaseDueNumbers,
} from '../store/inventory.repository.ts';
import { latestLinesByMsisdn, liveNumberCountOf } from '../store/lines.repository.ts';
import { customersById, lockCustomer } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';
import { enqueueEsimPrepare } from './esim-prepare.ts';
import { toAllContacts } from './messages.ts';
import { knownNotificationKeys } from '../notifications/outbox.repository.ts';

/** How a sweep goes: batch size, a running count, and a way to stop between batches (a lost lease). */
export interface SweepOptions {
  /** Numbers per transaction; default the policy's `sweep.batchSize`. */
  readonly batchSize?: number;
  readonly onProgress?: (released: number) => void;
  /** Asked before each batch: true stops the sweep there (what was released stays released). */
  readonly shouldStop?: () => boolean | Promise<boolean>;
}

/**
 * Releases numbers whose quarantine is over back to `available`, the longest-ended first, a batch per
 * transaction: one UPDATE picks and moves the batch in the database (a million due numbers are never loaded at
 * once), then each move is audited. A number a reclaim is taking is never released (`releaseDueNumbers`).
 * Returns how many were released; `onProgress` sees the running count.
 */
export async function sweepQuarantine(ctx: AppContext, options: SweepOptions | ((released: number) => void) = {}): Promise<number> {
  const { batchSize = (ctx.policy.sweep ?? DEFAULT_SWEEP_POLICY).batchSize, onProgress, shouldStop } = typeof options === 'function' ? { onProgress: options } : options;
  assertTransition('number', numberTransitions, 'quarantined', 'available');
  let released = 0;
  for (;;) {
    if (await shouldStop?.()) return released;
    const batch = await inTransaction(ctx.store, async (tx) => {
      const now = ctx.clock();
      const moved = await releaseDueNumbers(tx, now, batchSize);
      await appendAudit(
        tx,
        moved.map((msisdn): StateEvent => ({ entityType: 'number', entityId: msisdn, action: 'transition', from: 'quarantined', to: 'available', actor: systemActor, at: now, reason: 'quarantine over', data: null })),
      );
      return moved.length;
    });
    released += batch;
    onProgress?.(released);
    if (batch < batchSize) return released;
  }
}

/**
 * Tells former holders that their number's quarantine ends within
 * `quarantine.endingSoonNoticeDays`: the last days to take it back. One message
 * per number and quarantine end, however often the sweep runs. Returns how
 * many numbers' former holders were told this run.
 */
export async function noticeQuarantineEndingSoon(ctx: AppContext): Promise<number> {
  const days = ctx.policy.quarantine.endingSoonNoticeDays;
  if (days <= 0 || !ctx.policy.quarantine.reclaimAllowed) return 0;
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const ending = await quarantinesEndingBetween(tx, now, addDays(now, days), 5000);
    if (ending.length === 0) return 0;
    const formerLines = await latestLinesByMsisdn(tx, ending.map((n) => n.msisdn));
    const customers = await customersById(tx, [...formerLines.values()].map((l) => l.customerId));
    const messages = ending.flatMap((n) => {
      const line = formerLines.get(n.msisdn);
      const customer = line ? customers.get(line.customerId) : undefined;
      if (!line || !customer) return [];
      return toAllContacts(customer, line, 'quarantine.ending_soon', n.msisdn, { msisdn: n.msisdn, quarantineUntil: n.quarantineUntil }, `${n.msisdn}:${n.quarantineUntil}`);
    });
    // Counted by what this run adds: a number told on an earlier run is not counted again.
    const known = await knownNotificationKeys(tx, messages.map((m) => m.key));
    const fresh = messages.filter((m) => !known.has(m.key));
    await ctx.adapters.notifier.enqueue(tx, fresh, now);
    return new Set(fresh.map((m) => m.subjectRef)).size;
  });
}

export interface ReclaimRequest {
  readonly msisdn: string;
  /** The customer asking, whose identity the channel has checked. */
  readonly customerId: string;
  readonly simType: SimType;
  readonly channel: Channel;
  readonly actor: Actor;
}

/** Gives a quarantined number back to its former holder on a new line with a new SIM or eSIM. */
export async function reclaimNumber(ctx: AppContext, request: ReclaimRequest): Promise<Line> {
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    // Anyone but the number's last holder gets one answer, whatever the number's state (or whether it is ours):
    // a reclaim must not tell a stranger that a number is assigned, quarantined or free.
    const former = (await latestLinesByMsisdn(tx, [request.msisdn])).get(request.msisdn);
    if (!former || former.customerId !== request.customerId) throw new AppError('RECLAIM_NOT_FORMER_HOLDER', {});
    // The number's row is locked (Postgres) before its state is read: a sweep running now skips it, so the
    // number stays quarantined until this reclaim commits or gives up.
    const number = await lockNumber(tx, request.msisdn);
    if (!number) throw new AppError('RECLAIM_NOT_FORMER_HOLDER', {});
    if (number.state !== 'quarantined' || !ctx.policy.quarantine.reclaimAllowed) {
      throw new AppError('NUMBER_NOT_RECLAIMABLE', { msisdn: request.msisdn, state: number.state });
    }
    // The person's row is locked too, so two reclaims of theirs at once count each other's line.
    const person = await lockCustomer(tx, request.customerId);
    if (!person) throw new AppError('RECLAIM_NOT_FORMER_HOLDER', {});
    const limit = decideNumberLimit(ctx.policy.numberLimits, person, await liveNumberCountOf(tx, request.customerId));
    if (!limit.ok) throw new AppError(limit.code, { limit: limit.limit, held: limit.held });
    const iccid = await takeFromStock(tx, request.simType, now);
    const line: Line = {
      ...former,
      id: newId('ln'),
      simType: request.simType,
      iccid,
      state: 'active',
      contract: { startedAt: now, minimumTermEndsAt: null, instalmentsLeft: 0 },
      dataLeftMb: 0,
      periodStart: now,
      periodEnd: addDays(now, 30),
      portOutRequestedAt: null,
      legalHoldAt: null,
      lastPaidActivityAt: now,
      activatedAt: now,
      terminatedAt: null,
    };
    assertTransition('number', numberTransitions, number.state, 'assigned');
    await assignNumberToNewLine(tx, line, now);
    // The profile is ordered from the SM-DP+ by a job after this commits: no outside call inside the transaction.
    if (request.simType === 'esim') await enqueueEsimPrepare(ctx, tx, iccid, now);
    const reclaimId = newId('rcl');
    await ctx.adapters.notifier.enqueue(tx, toAllContacts(person, line, 'reclaim.completed', request.msisdn, { msisdn: request.msisdn, simType: request.simType, reclaimedAt: now }, reclaimId), now);
    await insertReclaim(tx, { id: reclaimId, msisdn: request.msisdn, customerId: request.customerId, formerLineId: former.id, newLineId: line.id, channel: request.channel, at: now });
    await appendAudit(tx, [
      { entityType: 'number', entityId: request.msisdn, action: 'transition', from: 'quarantined', to: 'assigned', actor: request.actor, at: now, reason: 'reclaimed by the former holder', data: { line: line.id } },
      { entityType: 'line', entityId: line.id, action: 'transition', from: null, to: 'active', actor: request.actor, at: now, reason: 'reclaim', data: { iccid, formerLine: former.id } },
      { entityType: 'reclaim', entityId: reclaimId, action: 'created', from: null, to: null, actor: request.actor, at: now, reason: null, data: { msisdn: request.msisdn } },
    ]);
    return line;
  });
}

async function takeFromStock(tx: Tx, simType: SimType, now: string): Promise<string> {
  if (simType === 'sim') {
    const sim = await firstSimInStock(tx);
    if (!sim) throw new AppError('NO_STOCK', { kind: 'SIM' });
    assertTransition('sim', simTransitions, 'in_stock', 'active');
    await activateSim(tx, sim, now);
    return sim;
  }
  const profile = await firstAvailableEsim(tx);
  if (!profile) throw new AppError('NO_STOCK', { kind: 'eSIM' });
  assertTransition('esim', esimTransitions, 'available', 'allocated');
  await allocateEsim(tx, profile, now);
  return profile;
}
