import { NUMBER_STATES, type NumberState } from '../../domain/inventory.ts';
import { numbersByState } from '../../app/console.ts';
import { fail, humanFormat, openApp, output, table, wholeNumber } from '../runtime.ts';

/** Numbers by state; quarantined ones soonest-released first, with the day their quarantine ends. */
export async function run(values: Record<string, unknown>): Promise<number> {
  const state = values.state as string | undefined;
  if (state !== undefined && !(NUMBER_STATES as readonly string[]).includes(state)) fail(`--state must be one of ${NUMBER_STATES.join(', ')} (got ${state})`);
  const limit = wholeNumber(values.limit, '--limit', { min: 1, fallback: 50 });
  const app = await openApp();
  try {
    const f = humanFormat(app.policy, values.language);
    const rows = await numbersByState(app, { state: state as NumberState | undefined, limit });
    output(Boolean(values.json)).result(rows, () =>
      rows.length === 0
        ? 'no numbers'
        : table(
            ['number', 'state', 'quarantine ends'],
            rows.map((r) => [f.phone(r.msisdn), r.state, r.quarantineUntil ? f.dateTime(r.quarantineUntil) : '']),
          ),
    );
    return 0;
  } finally {
    await app.close();
  }
}
