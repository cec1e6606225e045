/**
 * The embedded default adapters. Each records its effect in simexit's own
 * store and says so (`recordsInStore`, see local.ts): the step runner calls
 * them inside the transaction that records the step, so their effect and
 * the step's progress commit together, many orders per transaction.
 */
import { isEsimOnDevice } from '../domain/inventory.ts';
import { postedLedgerKeys, recordBarrings } from '../store/execution.repository.ts';
import { lockAccountsById, type NewLedgerEntry, postLedger } from '../store/parties.repository.ts';
import { enqueueMessages } from '../notifications/outbox.repository.ts';
import type { Adapters, Notifier } from './adapters.ts';
import type { RecordsInStore } from './local.ts';
import type { BarRequest, BillingAdapter, EsimAdapter, EsimReleaseAnswer, EsimReleaseRequest, NetworkAdapter, SettleAnswer, SettleRequest } from './ports.ts';

/** Records each barring once per key, as a real HLR provisioning gateway de-duplicates by transaction id. */
export const builtinNetwork: NetworkAdapter & RecordsInStore<BarRequest, object> = {
  async bar(requests) {
    return requests.map(() => ({ ok: true as const }));
  },
  async recordsInStore(tx, requests, answers, at) {
    await recordBarrings(tx, requests.filter((_, i) => answers[i]?.ok), at);
  },
};

/** Answers as an SM-DP+ does to ES2+ CancelOrder: released profiles become unavailable (ICCIDs are not reused). */
export const builtinEsim: EsimAdapter & RecordsInStore<EsimReleaseRequest, EsimReleaseAnswer> = {
  async release(requests) {
    return requests.map((r) =>
      isEsimOnDevice(r.state)
        ? { ok: true as const, finalState: null, awaitDeviceDeletion: true }
        : r.state === 'unavailable' || r.state === 'deleted'
          ? { ok: true as const, finalState: null, awaitDeviceDeletion: false }
          : { ok: true as const, finalState: 'unavailable' as const, awaitDeviceDeletion: false },
    );
  },
  // The profile's new state is the step's own record (steps.ts); there is nothing else to keep.
  async recordsInStore() {},
  // A demo SM-DP+: it releases the profile under the matching id asked for, so a repeat answers as the first time.
  async prepareDownload(requests) {
    return requests.map((r) => ({ ok: true as const, matchingId: r.matchingId, smdpAddress: DEMO_SMDP_ADDRESS }));
  },
};

/** The demo SM-DP+'s address: `.invalid`, so no device ever finds a server behind a demo activation code. */
export const DEMO_SMDP_ADDRESS = 'smdp.demo.simexit.invalid';

/** simexit's own ledger as the billing system: one invoice and one refund entry per order, keyed. */
export const builtinBilling: BillingAdapter & RecordsInStore<SettleRequest, SettleAnswer> = {
  async settle(requests) {
    return requests.map((r) => ({ ok: true as const, invoiced: r.invoice, refunded: r.refund }));
  },
  async recordsInStore(tx, all, answers, at) {
    const requests = all.filter((_, i) => answers[i]?.ok);
    if (requests.length === 0) return;
    const accounts = await lockAccountsById(tx, requests.map((r) => r.accountId));
    const taken = await postedLedgerKeys(tx, requests.flatMap((r) => [`${r.key}:invoice`, `${r.key}:refund`]));
    const entries: NewLedgerEntry[] = [];
    for (const r of requests) {
      if (r.invoice > 0 && !taken.has(`${r.key}:invoice`)) {
        entries.push({ accountId: r.accountId, kind: 'invoice', amount: -r.invoice, description: 'Final invoice', reference: r.reference, key: `${r.key}:invoice`, at });
      }
      if (r.refund > 0 && !taken.has(`${r.key}:refund`)) {
        entries.push({
          accountId: r.accountId,
          kind: 'refund',
          amount: -r.refund,
          description: `Refund of the remaining balance (${r.refundMethod})`,
          reference: r.reference,
          key: `${r.key}:refund`,
          at,
        });
      }
    }
    await postLedger(tx, entries, new Map([...accounts].map(([id, a]) => [id, a.balance])));
  },
};

export const outboxNotifier: Notifier = { enqueue: enqueueMessages };

export const builtinAdapters: Adapters = {
  network: builtinNetwork,
  esim: builtinEsim,
  billing: builtinBilling,
  notifier: outboxNotifier,
};
