import { sweepQuarantine } from '../../app/inventory-actions.ts';
import { openApp, output } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const app = await openApp();
  try {
    const released = await sweepQuarantine(app, (n) => process.stderr.isTTY && process.stderr.write(`\rreleased ${n}`));
    if (process.stderr.isTTY) process.stderr.write('\n');
    output(Boolean(values.json)).result({ released }, () => `released ${released} number(s) from quarantine`);
    return 0;
  } finally {
    await app.close();
  }
}
