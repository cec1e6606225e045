import { applyDormancy } from '../../app/dormancy.ts';
import { noticeQuarantineEndingSoon, sweepQuarantine } from '../../app/inventory-actions.ts';
import { openApp, output } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const app = await openApp();
  try {
    const released = await sweepQuarantine(app, (n) => process.stderr.isTTY && process.stderr.write(`\rreleased ${n}`));
    if (process.stderr.isTTY) process.stderr.write('\n');
    const noticed = await noticeQuarantineEndingSoon(app);
    const dormancy = await applyDormancy(app);
    output(Boolean(values.json)).result({ released, endingSoonNoticed: noticed, dormancy }, () =>
      [
        `released ${released} number(s) from quarantine; ${noticed} former holder(s) told their number's quarantine ends soon`,
        `dormancy: ${dormancy.noticed} notice(s), ${dormancy.terminated} line(s) ordered ended (run the worker to carry them out)`,
      ].join('\n'),
    );
    return 0;
  } finally {
    await app.close();
  }
}
