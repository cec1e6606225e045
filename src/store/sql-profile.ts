import type { LogEvent } from 'kysely';

/**
 * With SIMEXIT_SQL_PROFILE=1, time per statement shape is summed and the
 * slowest shapes are printed to stderr when the process exits — how the
 * figures in docs/performance.md were found.
 */
export function sqlProfiler(): ((event: LogEvent) => void) | undefined {
  if (!process.env.SIMEXIT_SQL_PROFILE) return undefined;
  const totals = new Map<string, { ms: number; count: number }>();
  process.once('exit', () => {
    const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    for (const [shape, t] of rows) process.stderr.write(`${t.ms.toFixed(0).padStart(8)} ms ${String(t.count).padStart(9)}×  ${shape}\n`);
  });
  return (event) => {
    const shape = event.query.sql.replace(/\s+/g, ' ').slice(0, 90);
    const entry = totals.get(shape) ?? { ms: 0, count: 0 };
    entry.ms += event.queryDurationMillis;
    entry.count++;
    totals.set(shape, entry);
  };
}
