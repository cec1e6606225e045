/**
 * What the SM-DP+ tells us about a profile on a device (ES2+ `handleDownloadProgressInfo`, translated by
 * channels/api/routes/es2plus.routes.ts). The one that matters here: the device deleted (or disabled) the profile
 * of an ended line, which closes the eSIM part of that termination (`sim.release` left it awaiting the device)
 * and tells the former holder, by e-mail, that the place on the device is free. The line is barred by then, so a
 * text to it would never arrive.
 *
 * The SM-DP+ repeats a notification it is not sure we received, and may report on profiles that are not ours
 * or not ours any more: each case is answered without error (the SM-DP+ only needs to stop sending) and said
 * in the result for the log.
 */
import { systemActor } from '../domain/channels.ts';
import { esimTransitions, type EsimState } from '../domain/inventory.ts';
import { canTransition } from '../domain/state-machine.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import { closeEsimOnDevice, esimWithLine } from '../store/inventory.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';
import { toAllContacts } from './messages.ts';

export type DeviceEvent = 'deleted' | 'disabled';

/**
 * `closed`: the profile of an ended line left the device, the subscriber is told. `recorded`: the line is not
 * ended (the subscriber removed it before any termination ran): the fact is kept, the later release step makes
 * no call for it. `duplicate`: already known. `unknown`: not one of our profiles. `stale`: the profile is in a
 * state the event cannot follow (e.g. cancelled before it was ever downloaded).
 */
export type DeviceEventOutcome = 'closed' | 'recorded' | 'duplicate' | 'unknown' | 'stale';

export async function esimDeviceEvent(ctx: AppContext, iccid: string, event: DeviceEvent): Promise<DeviceEventOutcome> {
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const profile = await esimWithLine(tx, iccid);
    if (!profile) return 'unknown';
    const from = profile.state as EsimState;
    if (from === 'deleted' || (from === event && profile.awaitingDeviceDeletionSince === null)) return 'duplicate';
    if (from !== event && !canTransition(esimTransitions, from, event)) return 'stale';
    // Only one of two racing copies moves it; the other is a duplicate.
    if (!(await closeEsimOnDevice(tx, iccid, from, event, now))) return 'duplicate';
    const ended = profile.line?.state === 'terminated';
    await appendAudit(tx, [
      { entityType: 'esim', entityId: iccid, action: 'transition', from, to: event, actor: systemActor, at: now, reason: `SM-DP+ ${event === 'deleted' ? 'delete' : 'disable'} notification`, data: { lineEnded: ended } },
    ]);
    if (!ended || !profile.line) return 'recorded';
    const line = profile.line;
    const customer = (await customersById(tx, [line.customerId])).get(line.customerId);
    if (customer) {
      // Keyed by the profile: a disable then a delete of the same profile tell the subscriber once.
      const messages = toAllContacts(customer, line, 'esim.slot_free', line.msisdn, { msisdn: line.msisdn, removedAt: now }, iccid).filter((m) => m.medium === 'email');
      await ctx.adapters.notifier.enqueue(tx, messages, now);
    }
    return 'closed';
  });
}
