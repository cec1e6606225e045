import type { LogEvent } from 'kysely';

let totals: Map<string, { ms: number; count: number }> | undefined;

/** Whether statements are being timed (read it live: `startSqlProfile` turns it on). */
export let profiling = false;

/**
 * With SIMEXIT_SQL_PROFILE=1 (the composition root calls this before opening the store), time per statement shape
 * is summed and the slowest shapes are printed to stderr when the process exits — how the figures in
 * docs/performance.md were found.
 */
export function startSqlProfile(): void {
  if (totals) return;
  const started = new Map<string, { ms: number; count: number }>();
  totals = started;
  profiling = true;
  process.once('exit', () => {
    const rows = [...started].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    for (const [shape, t] of rows) process.stderr.write(`${t.ms.toFixed(0).padStart(8)} ms ${String(t.count).padStart(9)}×  ${shape}\n`);
  });
}

/** Forgets the figures so far (a benchmark times its measured part only, not its set-up). */
export function resetSqlProfile(): void {
  totals?.clear();
}

/** Adds one statement's time to its shape's total; a no-op unless profiling. */
export function recordStatement(sql: string, ms: number): void {
  if (!totals) return;
  const shape = sql.replace(/\s+/g, ' ').slice(0, 90);
  const entry = totals.get(shape) ?? { ms: 0, count: 0 };
  entry.ms += ms;
  entry.count++;
  totals.set(shape, entry);
}


/** Kysely's log hook when profiling, else undefined (Kysely then skips timing statements at all). */
export function sqlProfiler(): ((event: LogEvent) => void) | undefined {
  return totals ? (event: LogEvent) => recordStatement(event.query.sql, event.queryDurationMillis) : undefined;
}
