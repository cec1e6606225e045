import { LINE_STATES, type LineState } from '../../domain/inventory.ts';
import { listLines } from '../../store/lines.repository.ts';
import { accountsById } from '../../store/parties.repository.ts';
import { fail, openApp, output, wholeNumber } from '../runtime.ts';

export async function run(values: Record<string, unknown>): Promise<number> {
  const state = values.state as string | undefined;
  if (state !== undefined && !(LINE_STATES as readonly string[]).includes(state)) {
    fail(`--state must be one of ${LINE_STATES.join(', ')} (got ${state})`);
  }
  const limit = wholeNumber(values.limit, '--limit', { min: 1, fallback: 50 });
  const app = await openApp();
  try {
    const lines = await listLines(app.store.db, { state: state as LineState | undefined, limit });
    const accounts = await accountsById(app.store.db, lines.map((l) => l.accountId));
    const rows = lines.map((l) => ({
      id: l.id,
      msisdn: l.msisdn,
      state: l.state,
      simType: l.simType,
      plan: l.planName,
      balance: accounts.get(l.accountId)?.balance ?? 0,
      currency: accounts.get(l.accountId)?.currency ?? app.policy.currency,
      dataLeftMb: l.dataLeftMb,
      customerId: l.customerId,
    }));
    output(Boolean(values.json)).result(rows, () =>
      rows.map((r) => `${r.msisdn}  ${r.state.padEnd(22)} ${r.simType.padEnd(5)} ${String(r.balance).padStart(9)} ${r.currency}  ${r.id}`).join('\n') || 'no lines',
    );
    return 0;
  } finally {
    await app.close();
  }
}
