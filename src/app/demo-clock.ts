/**
 * Demo mode's movable clock: `simexit clock advance --days N` (or the demo
 * route) moves the whole installation forward, persistently (an offset in the
 * store) and audited, so cooling-off, quarantine, reminders, sweep and
 * dormancy can be walked end to end. Outside demo mode it is refused. The
 * moved clock stays on the server: cookies carry Max-Age, never a date from it.
 */
import { systemActor, type Actor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import { type Instant, toInstant } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Store } from '../store/database.ts';
import { carrySessionsForward, readClockOffset, writeClockOffset } from '../store/demo-clock.repository.ts';
import type { AppContext } from './context.ts';

export interface MovableClock {
  (): Instant;
  offsetSeconds: number;
  /** Reads the stored offset again (another process may have moved it). */
  refresh(): Promise<void>;
}

/** Real time plus the store's offset, read now and on `refresh()`. */
export async function movableClock(store: Store): Promise<MovableClock> {
  const clock = Object.assign(() => toInstant(Date.now() + clock.offsetSeconds * 1000), {
    offsetSeconds: await readClockOffset(store.db),
    refresh: async () => {
      clock.offsetSeconds = await readClockOffset(store.db);
    },
  }) as MovableClock;
  return clock;
}

export interface ClockState {
  readonly now: Instant;
  readonly realNow: Instant;
  readonly offsetDays: number;
}

export async function showClock(ctx: AppContext): Promise<ClockState> {
  const offset = await readClockOffset(ctx.store.db);
  return { now: toInstant(Date.now() + offset * 1000), realNow: toInstant(Date.now()), offsetDays: offset / 86_400 };
}

/** Moves the demo installation's clock `days` forward (never back). */
export async function advanceClock(ctx: AppContext, days: number, actor: Actor = systemActor): Promise<ClockState> {
  if (!ctx.demo) throw new AppError('CLOCK_DEMO_ONLY');
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new AppError('VALIDATION_FAILED', { reason: 'days must be a whole number from 1 to 3650' });
  await inTransaction(ctx.store, async (tx) => {
    const before = await readClockOffset(tx);
    const after = before + days * 86_400;
    const at = toInstant(Date.now() + after * 1000);
    await writeClockOffset(tx, after, at);
    await carrySessionsForward(tx, after - before, toInstant(Date.now() + before * 1000));
    await appendAudit(tx, [{ entityType: 'clock', entityId: 'demo', action: 'clock_advanced', from: String(before), to: String(after), actor, at, reason: `demo clock moved ${days} day(s) forward`, data: { days } }]);
  });
  const clock = ctx.clock as Partial<MovableClock>;
  if (typeof clock.refresh === 'function') await clock.refresh();
  return showClock(ctx);
}
