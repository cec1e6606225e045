import { seed } from '../../seed/seed.ts';
import { fail, openApp, output, progress } from '../runtime.ts';

export const positiveInt = (text: unknown, name: string, fallback?: number): number => {
  if (text === undefined && fallback !== undefined) return fallback;
  const n = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(n)) fail(`${name} must be a whole number (got ${String(text)})`);
  return n;
};

export async function run(values: Record<string, unknown>): Promise<number> {
  const customers = positiveInt(values.customers, '--customers');
  const seedValue = positiveInt(values.seed, '--seed', 1);
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
