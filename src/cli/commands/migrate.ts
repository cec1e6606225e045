import { migrateSchema } from '../../app/console.ts';
import { openApp, output } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const app = await openApp({ migrate: false });
  try {
    const applied = await migrateSchema(app);
    output(Boolean(values.json)).result({ applied }, () => (applied.length ? `applied: ${applied.join(', ')}` : 'already up to date'));
    return 0;
  } finally {
    await app.close();
  }
}
