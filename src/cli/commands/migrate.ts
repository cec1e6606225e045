import { openApp, output } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const app = await openApp({ schema: 'migrate' });
  try {
    const applied = app.migrationsApplied;
    output(Boolean(values.json)).result({ applied }, () => (applied.length ? `applied: ${applied.join(', ')}` : 'already up to date'));
    return 0;
  } finally {
    await app.close();
  }
}
