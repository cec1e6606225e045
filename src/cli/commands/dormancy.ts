import { applyDormancy, type DormancyEntry } from '../../app/dormancy.ts';
import type { Formatter } from '../../notifications/format.ts';
import { humanFormat, openApp, output, table, wholeNumber } from '../runtime.ts';

const doing = (e: DormancyEntry, f: Formatter): string => {
  if (e.action === 'notice') return `notice (${e.noticeDaysBefore.map((d) => `${d} days`).join(', ')} before the end)`;
  if (e.action === 'end') return 'end now';
  if (e.waitingFor === 'delivery') return 'wait: notice not delivered yet';
  if (e.waitingFor === 'undelivered') return 'wait: notice UNDELIVERED (check the contact)';
  return e.nextNoticeAt ? `wait: next notice on ${f.day(e.nextNoticeAt)}` : 'wait: notice period running';
};

/** The dormancy rule alone: `--dry-run` lists who would be noticed and ended, and when, changing nothing. */
export async function run(values: Record<string, unknown>): Promise<number> {
  const dryRun = Boolean(values['dry-run']);
  const limit = wholeNumber(values.limit, '--limit', { min: 1, fallback: 100 });
  const app = await openApp();
  try {
    const f = humanFormat(app.policy, values.language);
    const report = await applyDormancy(app, { dryRun, listLimit: dryRun ? limit : 0 });
    output(Boolean(values.json)).result(report, () => {
      const would = dryRun ? 'would send' : 'sent';
      const lines = [
        `dormancy${dryRun ? ' (dry run, nothing changed)' : ''} as of ${f.dateTime(report.at)} (${app.policy.operator.timezone}): ` +
          `${would} ${report.noticed} notice(s), ${dryRun ? 'would end' : 'ordered ended'} ${report.terminated} line(s); ${report.waiting} line(s) under notice${report.undelivered ? `, ${report.undelivered} with an undelivered notice` : ''}`,
      ];
      if (!app.policy.dormancy.enabled) lines.push('the dormancy rule is off in this policy');
      if (dryRun && report.entries.length > 0) {
        lines.push(
          table(
            ['number', 'last paid activity', 'this run', 'ends on or after'],
            report.entries.map((e) => [f.phone(e.msisdn), f.day(e.lastActivityAt), doing(e, f), e.action === 'end' ? f.day(report.at) : f.day(e.terminationAt)]),
          ),
        );
        const shown = report.entries.length;
        const total = report.noticed + report.terminated + report.waiting;
        if (total > shown) lines.push(`… and ${total - shown} more (--limit N shows more)`);
      }
      if (!dryRun && report.terminated > 0) lines.push('run `simexit worker --until-idle` (or keep `npm start` running) to carry the orders out');
      return lines.join('\n');
    });
    return 0;
  } finally {
    await app.close();
  }
}
