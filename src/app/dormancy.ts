/**
 * The dormancy rule (DESIGN §2): a line with no paid activity for
 * `dormancy.inactiveDays` is ended by the operator, after notices sent
 * `dormancy.noticeDaysBefore` days ahead (src/domain/dormancy.ts decides). A
 * line is ended only once every notice was recorded as sent by the outbox, each
 * its days ahead; the end date counts from the first notice, never from the
 * past. The termination is an ordinary operator order (channel `bulk`, reason
 * `dormancy`), created once per line and period of non-use.
 */
import { systemActor } from '../domain/channels.ts';
import { decideDormancy, type DormancyDecision, noticeWindowStart } from '../domain/dormancy.ts';
import type { Line } from '../domain/model.ts';
import type { Instant } from '../domain/time.ts';
import { inTransaction } from '../store/database.ts';
import { dormancyNoticeKey, dormancyNoticesOf, linesInDormancyWindow, recordDormancyNotices } from '../store/dormancy.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';
import { toAllContacts } from './messages.ts';
import { requestTerminations } from './request-terminations.ts';

/** One line the rule acts on (or would, in a dry run), and when. */
export interface DormancyEntry {
  readonly lineId: string;
  readonly msisdn: string;
  readonly lastActivityAt: Instant;
  /** `notice`: notices go out this run; `end`: ordered ended this run; `wait`: under notice, nothing this run. */
  readonly action: 'notice' | 'end' | 'wait';
  /** The notices (days before the end) this run sends. */
  readonly noticeDaysBefore: readonly number[];
  /** The earliest the line is ended (for `end`: now). */
  readonly terminationAt: Instant;
  /** For `wait`: the next notice is due then (or null), or the line waits for its notices to be delivered. */
  readonly waitingFor: 'time' | 'delivery' | 'undelivered' | null;
  readonly nextNoticeAt: Instant | null;
}

/** What this run did (or, dry, would do): counts of this run's actions, not totals. */
export interface DormancyReport {
  readonly dryRun: boolean;
  readonly at: Instant;
  /** Notices sent this run (one per line and notice day; a line past the limit gets one). */
  noticed: number;
  /** Lines ordered ended this run. */
  terminated: number;
  /** Lines under notice with nothing to do this run. */
  waiting: number;
  /** Of those, lines whose notice could not be delivered: they stay active until someone looks. */
  undelivered: number;
  /** Dry run: every line acted on or waiting, up to `listLimit`. */
  readonly entries: DormancyEntry[];
}

const BATCH = 500;

export async function applyDormancy(ctx: AppContext, options: { dryRun?: boolean; listLimit?: number } = {}): Promise<DormancyReport> {
  const dryRun = Boolean(options.dryRun);
  const listLimit = options.listLimit ?? 1000;
  const { dormancy } = ctx.policy;
  const now = ctx.clock();
  const report: DormancyReport = { dryRun, at: now, noticed: 0, terminated: 0, waiting: 0, undelivered: 0, entries: [] };
  if (!dormancy.enabled) return report;
  const windowStart = noticeWindowStart(dormancy, now);

  for (let after = ''; ; ) {
    const lines = await linesInDormancyWindow(ctx.store.db, windowStart, after, BATCH);
    if (lines.length === 0) break;
    after = (lines.at(-1) as Line).id;
    const notices = await dormancyNoticesOf(ctx.store.db, lines);
    const decided = lines.flatMap((line) => {
      const activity = line.lastPaidActivityAt;
      if (!activity) return [];
      const decision = decideDormancy(dormancy, activity, notices.get(line.id) ?? [], now);
      return decision.kind === 'none' ? [] : [{ line, activity, decision }];
    });
    const toNotice = decided.filter((d) => d.decision.kind === 'notice');
    const toEnd = decided.filter((d) => d.decision.kind === 'end');
    for (const d of decided) {
      if (d.decision.kind === 'wait') {
        report.waiting++;
        if (d.decision.waitingFor === 'undelivered') report.undelivered++;
      }
      if (dryRun && report.entries.length < listLimit) report.entries.push(entryOf(d.line, d.activity, d.decision));
    }
    if (dryRun) {
      report.noticed += toNotice.length;
      report.terminated += toEnd.length;
    } else {
      if (toNotice.length > 0) report.noticed += await sendNotices(ctx, toNotice as { line: Line; activity: Instant; decision: Extract<DormancyDecision, { kind: 'notice' }> }[], now);
      if (toEnd.length > 0) {
        const outcomes = await requestTerminations(
          ctx,
          toEnd.map(({ line, activity }) => ({
            lineId: line.id,
            channel: 'bulk' as const,
            authority: 'operator' as const,
            actor: systemActor,
            effective: { mode: 'now' as const },
            reason: 'dormancy: no paid activity',
            confirmNow: true,
            bulkKey: `dormancy:${line.id}:${activity}`,
          })),
        );
        report.terminated += outcomes.filter((o) => o.kind === 'created').length;
      }
    }
    if (lines.length < BATCH) break;
  }
  return report;
}

function entryOf(line: Line, activity: Instant, decision: Exclude<DormancyDecision, { kind: 'none' }>): DormancyEntry {
  return {
    lineId: line.id,
    msisdn: line.msisdn,
    lastActivityAt: activity,
    action: decision.kind,
    noticeDaysBefore: decision.kind === 'notice' ? decision.daysBefore : [],
    terminationAt: decision.terminationAt,
    waitingFor: decision.kind === 'wait' ? decision.waitingFor : null,
    nextNoticeAt: decision.kind === 'wait' ? decision.nextNoticeAt : null,
  };
}

/** Queues the notices and records them, in one transaction; returns how many were new (a concurrent sweep's are not counted twice). */
async function sendNotices(ctx: AppContext, due: readonly { line: Line; activity: Instant; decision: Extract<DormancyDecision, { kind: 'notice' }> }[], now: Instant): Promise<number> {
  return inTransaction(ctx.store, async (tx) => {
    const customers = await customersById(tx, due.map((d) => d.line.customerId));
    const rows = due.flatMap(({ line, activity, decision }) => decision.daysBefore.map((daysBefore) => ({ lineId: line.id, activityAt: activity, daysBefore, terminationAt: decision.terminationAt, queuedAt: now })));
    const messages = due.flatMap(({ line, activity, decision }) => {
      const customer = customers.get(line.customerId);
      if (!customer) return [];
      return decision.daysBefore.flatMap((daysBefore) =>
        toAllContacts(customer, line, 'dormancy.notice', line.msisdn, { msisdn: line.msisdn, lastActivityAt: activity, terminationAt: decision.terminationAt }, dormancyNoticeKey(line.id, activity, daysBefore)),
      );
    });
    const recorded = await recordDormancyNotices(tx, rows);
    await ctx.adapters.notifier.enqueue(tx, messages, now);
    return recorded;
  });
}
