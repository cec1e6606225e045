import { runWorker } from '../../jobs/worker.ts';
import { openApp, output } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  // Workers never migrate (several start at once in production; `simexit migrate` is run once per release): they check.
  const app = await openApp({ delivers: !values['no-deliver'] });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const tty = process.stderr.isTTY;
    const totals = await runWorker(app, {
      untilIdle: Boolean(values['until-idle']),
      deliver: !values['no-deliver'],
      signal: stop.signal,
      onProgress: (t) => tty && process.stderr.write(`\rcompleted ${t.completed}, expired ${t.expired}, retried ${t.retried}, needs attention ${t.needsAttention}`),
    });
    if (tty) process.stderr.write('\n');
    output(Boolean(values.json)).result(totals, () => `worker done: completed ${totals.completed}, expired ${totals.expired}, retried ${totals.retried}, needs attention ${totals.needsAttention}`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await app.close();
  }
}
