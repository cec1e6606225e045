import { runWorker } from '../../jobs/worker.ts';
import { seed } from '../../seed/seed.ts';
import { openApp, progress } from '../runtime.ts';

export const DEMO_CUSTOMERS = 500;

/** `npm start`: migrate, seed demo data on an empty store, then run the worker until stopped. */
export async function run(): Promise<number> {
  const app = await openApp();
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  try {
    const empty = !(await app.store.db.selectFrom('customers').select('id').limit(1).executeTakeFirst());
    if (empty) {
      const bar = progress('seeding demo data', DEMO_CUSTOMERS);
      const summary = await seed(app, { customers: DEMO_CUSTOMERS, seed: 1, onProgress: (n) => bar.update(n) });
      bar.stop();
      process.stdout.write(`Seeded ${summary.customers} demo customers.\n\nDemo logins:\n`);
      for (const l of summary.demoLogins) process.stdout.write(`  ${l.role.padEnd(12)} ${l.login.padEnd(14)} ${l.password}   ${l.description}\n`);
    } else {
      process.stdout.write('Store already holds data; demo logins (password demo1234): +79990000000 … +79990000005, backoffice, shop1, callcentre, admin\n');
    }
    process.stdout.write(`\nStore: ${process.env.SIMEXIT_DB ?? 'sqlite:./data/simexit.db'}\nWorker running; stop with Ctrl+C.\n`);
    await runWorker(app, { signal: stop.signal });
    return 0;
  } finally {
    await app.close();
  }
}
