import { isEsimOnDevice } from '../domain/inventory.ts';
import { insertRows } from '../store/bulk.ts';
import { newId } from '../store/ids.ts';
import { lockAccountsById, type NewLedgerEntry, postLedger } from '../store/parties.repository.ts';
import type { Adapters, BillingAdapter, EsimAdapter, NetworkAdapter, Notifier } from './ports.ts';

/** Records each barring once per key, as a real HLR provisioning gateway de-duplicates by transaction id. */
export const builtinNetwork: NetworkAdapter = {
  async bar(tx, requests, at) {
    await insertRows(
      tx,
      'network_barrings',
      requests.map((r) => ({ key: r.key, msisdn: r.msisdn, iccid: r.iccid, at })),
      { ignoreConflicts: true },
    );
    return requests.map(() => ({ ok: true as const }));
  },
};

/** Answers as an SM-DP+ does to ES2+ CancelOrder: released profiles become unavailable (ICCIDs are not reused). */
export const builtinEsim: EsimAdapter = {
  async release(_tx, requests) {
    return requests.map((r) =>
      isEsimOnDevice(r.state)
        ? { ok: true as const, finalState: null, awaitDeviceDeletion: true }
        : r.state === 'unavailable' || r.state === 'deleted'
          ? { ok: true as const, finalState: null, awaitDeviceDeletion: false }
          : { ok: true as const, finalState: 'unavailable' as const, awaitDeviceDeletion: false },
    );
  },
};

/** simexit's own ledger as the billing system: one invoice and one refund entry per order, keyed. */
export const builtinBilling: BillingAdapter = {
  async settle(tx, requests, at) {
    const accounts = await lockAccountsById(tx, requests.map((r) => r.accountId));
    const taken = new Set(
      (
        await tx
          .selectFrom('ledger_entries')
          .select('key')
          .where(
            'key',
            'in',
            requests.flatMap((r) => [`${r.key}:invoice`, `${r.key}:refund`]),
          )
          .execute()
      ).map((r) => r.key),
    );
    const entries: NewLedgerEntry[] = [];
    for (const r of requests) {
      if (r.invoice > 0 && !taken.has(`${r.key}:invoice`)) {
        entries.push({
          accountId: r.accountId,
          kind: 'invoice',
          amount: -r.invoice,
          description: 'Final invoice',
          reference: r.reference,
          key: `${r.key}:invoice`,
          at,
        });
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
    return requests.map((r) => ({ ok: true as const, invoiced: r.invoice, refunded: r.refund }));
  },
};

export const outboxNotifier: Notifier = {
  async enqueue(tx, messages, at) {
    await insertRows(
      tx,
      'notifications',
      messages.map((m) => ({
        id: newId('msg'),
        key: m.key,
        customer_id: m.customerId,
        subject_ref: m.subjectRef,
        template: m.template,
        medium: m.medium,
        address: m.address,
        language: m.language,
        payload: JSON.stringify(m.payload),
        state: 'queued',
        created_at: at,
        sent_at: null,
        last_error: null,
      })),
      { ignoreConflicts: true },
    );
  },
};

export const builtinAdapters: Adapters = {
  network: builtinNetwork,
  esim: builtinEsim,
  billing: builtinBilling,
  notifier: outboxNotifier,
};
