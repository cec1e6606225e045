import { readFileSync } from 'node:fs';
import { bulkTerminate } from '../../app/bulk-terminate.ts';
import { parseEffective } from '../../domain/preview.ts';
import { fail, openApp, output, progress } from '../runtime.ts';
import { synopsis } from '../command-table.ts';
import { cliActor } from './status.ts';

export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  if (positionals[0] !== 'terminate') fail(synopsis('bulk'));
  if (typeof values.file !== 'string') fail('--file is required');
  let csv: string;
  try {
    csv = readFileSync(values.file as string, 'utf8');
  } catch (e) {
    return fail(`cannot read ${values.file as string}: ${(e as Error).message}`);
  }
  const effective = parseEffective((values.effective as string | undefined) ?? 'now');
  const app = await openApp();
  try {
    let bar: ReturnType<typeof progress> | undefined;
    const report = await bulkTerminate(app, {
      csv,
      actor: cliActor(app.env.user, 'bulk'),
      dryRun: Boolean(values['dry-run']),
      effective,
      reason: (values.reason as string | undefined) ?? null,
      onProgress: (done, total) => {
        bar ??= progress(values['dry-run'] ? 'checking' : 'terminating', total);
        bar.update(done);
      },
    });
    bar?.stop();
    output(Boolean(values.json)).result(report, () =>
      [
        `${report.dryRun ? 'dry run: would create' : 'created'} ${report.created} of ${report.requested} (skipped ${report.skipped}; ${report.completed} ${report.dryRun ? 'would be' : ''} carried out in the run; ${report.scheduled} scheduled)`.replace('  ', ' '),
        ...Object.entries(report.blocked).map(([code, n]) => `  blocked by ${code}: ${n}`),
        ...(report.dryRun || report.scheduled === 0 ? [] : ['run `simexit worker --until-idle` (or keep `npm start` running) to carry out the scheduled ones']),
      ].join('\n'),
    );
    return 0;
  } finally {
    await app.close();
  }
}
