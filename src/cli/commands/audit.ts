import { verifyAudit } from '../../store/audit.repository.ts';
import { fail, openApp, output, progress } from '../runtime.ts';
import { synopsis } from '../command-table.ts';

export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  if (positionals[0] !== 'verify') fail(synopsis('audit'));
  const app = await openApp();
  try {
    let bar: ReturnType<typeof progress> | undefined;
    const verdict = await verifyAudit(app.store.db, (done, total) => {
      bar ??= progress('verifying', total);
      bar.update(done);
    });
    bar?.stop();
    output(Boolean(values.json)).result(verdict, () =>
      verdict.ok ? `audit log intact: ${verdict.entries} entries` : `audit log CHANGED at entry ${verdict.firstBadSeq}: ${verdict.problem} (${verdict.entries} entries before it are intact)`,
    );
    return verdict.ok ? 0 : 1;
  } finally {
    await app.close();
  }
}
