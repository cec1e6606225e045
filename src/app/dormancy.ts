/**
 * The dormancy rule (DESIGN §2): a line with no paid activity for
 * `dormancy.inactiveDays` is ended by the operator, after notices sent
 * `dormancy.noticeDaysBefore` days ahead. Notices go once per line, notice day
 * and activity date; the termination is an ordinary operator order (channel
 * `bulk`, reason `dormancy`), created once per line and activity date.
 */
import { systemActor } from '../domain/channels.ts';
import { addDays } from '../domain/time.ts';
import { inTransaction } from '../store/database.ts';
import { toLine } from '../store/mapping.ts';
import { customersById } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';
import { toAllContacts } from './messages.ts';
import { requestTerminations } from './request-terminations.ts';

export interface DormancyReport {
  noticed: number;
  terminated: number;
}

const BATCH = 1000;

export async function applyDormancy(ctx: AppContext): Promise<DormancyReport> {
  const { dormancy } = ctx.policy;
  const report: DormancyReport = { noticed: 0, terminated: 0 };
  if (!dormancy.enabled) return report;
  const now = ctx.clock();
  const db = ctx.store.db;
  const limit = addDays(now, -dormancy.inactiveDays);

  for (const daysBefore of [...dormancy.noticeDaysBefore].sort((a, b) => b - a)) {
    const from = addDays(now, -(dormancy.inactiveDays - daysBefore));
    const lines = (await db.selectFrom('lines').selectAll().where('state', '=', 'active').where('last_paid_activity_at', '<=', from).where('last_paid_activity_at', '>', limit).limit(50_000).execute()).map(toLine);
    for (let i = 0; i < lines.length; i += BATCH) {
      const batch = lines.slice(i, i + BATCH);
      await inTransaction(ctx.store, async (tx) => {
        const customers = await customersById(tx, batch.map((l) => l.customerId));
        const messages = batch.flatMap((line) => {
          const customer = customers.get(line.customerId);
          const lastActivityAt = line.lastPaidActivityAt;
          if (!customer || !lastActivityAt) return [];
          return toAllContacts(customer, line, 'dormancy.notice', line.msisdn, { msisdn: line.msisdn, lastActivityAt, terminationAt: addDays(lastActivityAt, dormancy.inactiveDays) }, `${line.id}:${daysBefore}:${lastActivityAt}`);
        });
        await ctx.adapters.notifier.enqueue(tx, messages, now);
      });
      report.noticed += batch.length;
    }
  }

  for (;;) {
    const dormant = (await db.selectFrom('lines').selectAll().where('state', '=', 'active').where('last_paid_activity_at', '<=', limit).orderBy('id').limit(BATCH).execute()).map(toLine);
    const outcomes = await requestTerminations(
      ctx,
      dormant.map((line) => ({
        lineId: line.id,
        channel: 'bulk' as const,
        authority: 'operator' as const,
        actor: systemActor,
        effective: { mode: 'now' as const },
        reason: 'dormancy: no paid activity',
        confirmNow: true,
        bulkKey: `dormancy:${line.id}:${line.lastPaidActivityAt}`,
      })),
    );
    const created = outcomes.filter((o) => o.kind === 'created').length;
    report.terminated += created;
    // Lines that stay active (a legal hold, a port-out) are not picked up again in this run.
    if (dormant.length < BATCH || created === 0) break;
  }
  return report;
}
