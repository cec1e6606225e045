import { applyDormancy } from '../../app/dormancy.ts';
import { noticeQuarantineEndingSoon, sweepQuarantine } from '../../app/inventory-actions.ts';
import { openApp, output } from '../runtime.ts';

/** Every count is what this run did: a second run right after the first reports zeros. */
export async function run(values: Record<string, unknown>): Promise<number> {
  const app = await openApp();
  try {
    const released = await sweepQuarantine(app, (n) => process.stderr.isTTY && process.stderr.write(`\rreleased ${n}`));
    if (process.stderr.isTTY) process.stderr.write('\n');
    const noticed = await noticeQuarantineEndingSoon(app);
    const { entries: _entries, ...dormancy } = await applyDormancy(app);
    output(Boolean(values.json)).result({ released, endingSoonNoticed: noticed, dormancy }, () =>
      [
        'this run:',
        `  released ${released} number(s) from quarantine`,
        `  told ${noticed} former holder(s) their number's quarantine ends soon`,
        `  dormancy: sent ${dormancy.noticed} notice(s), ordered ${dormancy.terminated} line(s) ended${dormancy.terminated ? ' (run the worker to carry them out)' : ''}`,
        `  (${dormancy.waiting} line(s) under dormancy notice${dormancy.undelivered ? `, ${dormancy.undelivered} with an undelivered notice` : ''}; \`simexit dormancy --dry-run\` lists them)`,
      ].join('\n'),
    );
    return 0;
  } finally {
    await app.close();
  }
}
