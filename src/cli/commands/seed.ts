import { seed } from '../../seed/seed.ts';
import { openApp, output, progress, wholeNumber } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const customers = wholeNumber(values.customers, '--customers', { min: 1 });
  const seedValue = wholeNumber(values.seed, '--seed', { min: 0, fallback: 1 });
  const app = await openApp();
  try {
    const bar = progress('seeding', customers);
    const summary = await seed(app, { customers, seed: seedValue, onProgress: (n) => bar.update(n) });
    bar.stop();
    output(Boolean(values.json)).result(summary, () =>
      [
        `seeded ${summary.customers} customers, ${summary.lines} lines (${summary.sim} SIM, ${summary.esim} eSIM)`,
        `in debt: ${summary.inDebt}, with credit: ${summary.withCredit}, minimum term: ${summary.withMinimumTerm}, unverified foreigners: ${summary.foreignersUnverified}`,
        ...summary.demoLogins.map((l) => `  ${l.role.padEnd(12)} ${l.login.padEnd(14)} ${l.password}  ${l.description}`),
      ].join('\n'),
    );
    return 0;
  } finally {
    await app.close();
  }
}
