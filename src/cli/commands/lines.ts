import { LINE_STATES, type LineState } from '../../domain/inventory.ts';
import { linesWithBalances } from '../../app/console.ts';
import { fail, humanFormat, openApp, output, table, wholeNumber } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const state = values.state as string | undefined;
  if (state !== undefined && !(LINE_STATES as readonly string[]).includes(state)) {
    fail(`--state must be one of ${LINE_STATES.join(', ')} (got ${state})`);
  }
  const limit = wholeNumber(values.limit, '--limit', { min: 1, fallback: 50 });
  const app = await openApp();
  try {
    const f = humanFormat(app.policy, values.language);
    const rows = await linesWithBalances(app, { state: state as LineState | undefined, limit });
    // --json keeps the balance in minor units; people read money as money, in the locale.
    output(Boolean(values.json)).result(rows, () =>
      rows.length === 0
        ? 'no lines'
        : table(
            ['number', 'state', 'SIM', 'plan', 'balance', 'line id'],
            rows.map((r) => [f.phone(r.msisdn), r.state, r.simType, r.plan, f.money(r.balance, r.currency), r.id]),
            ['left', 'left', 'left', 'left', 'right', 'left'],
          ),
    );
    return 0;
  } finally {
    await app.close();
  }
}
