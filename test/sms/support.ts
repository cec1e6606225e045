// Helpers of the text-to-cancel tests: a line per language that may be cancelled at once, and the SMS it got.
import type { Language } from '../../src/domain/languages.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { type DeliveredMessage, delivered } from '../support/outbox.ts';
import type { TestApp } from '../support/stores.ts';

export interface TestLine {
  readonly lineId: string;
  readonly msisdn: string;
  readonly customerId: string;
  readonly language: Language;
}

/** Active lines of customers who speak `language`, with nothing owed on the account (so a request awaits its code). */
export async function linesSpeaking(app: TestApp, language: Language): Promise<TestLine[]> {
  const rows = await app.store.db
    .selectFrom('lines')
    .innerJoin('customers', 'customers.id', 'lines.customer_id')
    .innerJoin('accounts', 'accounts.id', 'lines.account_id')
    .select(['lines.id as lineId', 'lines.msisdn', 'lines.customer_id as customerId'])
    .where('customers.language', '=', language)
    .where('lines.state', '=', 'active')
    .where('accounts.balance', '>=', 0)
    .where('lines.minimum_term_ends_at', 'is', null)
    .orderBy('lines.msisdn')
    .execute();
  return rows.map((r) => ({ lineId: r.lineId, msisdn: r.msisdn, customerId: r.customerId, language }));
}

/** Runs the worker until nothing is due: inbound messages handled, replies delivered. */
export async function settle(app: TestApp, deliverers?: Parameters<typeof runWorker>[1] extends infer O ? (O extends { deliverers?: infer D } ? D : never) : never): Promise<void> {
  await runWorker(app, { untilIdle: true, ...(deliverers ? { deliverers } : {}) });
}

/**
 * The SMS this installation delivered to `msisdn`, oldest first. Both stores' tests seed the same numbers and
 * share one file outbox, so only messages of this store's outbox count.
 */
export async function smsTo(app: TestApp, msisdn: string): Promise<DeliveredMessage[]> {
  const keys = new Set((await app.store.db.selectFrom('notifications').select('key').where('address', '=', msisdn).execute()).map((r) => r.key));
  return delivered(msisdn).filter((m) => keys.has(m.key));
}
