import { migrate } from '../../store/database.ts';
import { openApp, output } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const app = await openApp({ migrate: false });
  try {
    const applied = await migrate(app.store);
    output(Boolean(values.json)).result({ applied }, () => (applied.length ? `applied: ${applied.join(', ')}` : 'already up to date'));
    return 0;
  } finally {
    await app.close();
  }
}
