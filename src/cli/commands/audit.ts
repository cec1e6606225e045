import { anchorAuditHead, verifyAnchors } from '../../app/audit-anchor.ts';
import { verifyAuditLog } from '../../app/console.ts';
import { fail, openApp, output, progress } from '../runtime.ts';
import { synopsis } from '../command-table.ts';

export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  if (positionals[0] !== 'verify' && positionals[0] !== 'anchor') fail(synopsis('audit'));
  const app = await openApp();
  try {
    if (positionals[0] === 'anchor') {
      const file = typeof values.anchor === 'string' ? values.anchor : app.env.auditAnchor;
      const signed = await anchorAuditHead(app.store.db, app.keys, file, app.clock());
      output(Boolean(values.json)).result({ file, signed: signed ?? null }, () => (signed ? `audit head signed: entry ${signed.seq}, appended to ${file}` : `audit head unchanged since the last signature in ${file}`));
      return 0;
    }
    let bar: ReturnType<typeof progress> | undefined;
    const verdict = await verifyAuditLog(app, (done, total) => {
      bar ??= progress('verifying', total);
      bar.update(done);
    });
    bar?.stop();
    const anchored = typeof values.anchor === 'string' ? await verifyAnchors(app.store.db, app.keys, values.anchor) : undefined;
    const ok = verdict.ok && (anchored === undefined || anchored.ok);
    output(Boolean(values.json)).result({ ...verdict, ok, ...(anchored ? { anchor: anchored } : {}) }, () =>
      [
        verdict.ok ? `audit log intact: ${verdict.entries} entries` : `audit log CHANGED at entry ${verdict.firstBadSeq}: ${verdict.problem} (${verdict.entries} entries before it are intact)`,
        ...(anchored ? [anchored.ok ? `anchor: ${anchored.anchors} signed heads, all still in the log` : `anchor: ${anchored.problem}`] : []),
      ].join('\n'),
    );
    return ok ? 0 : 1;
  } finally {
    await app.close();
  }
}
