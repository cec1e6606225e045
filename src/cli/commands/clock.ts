import { advanceClock, showClock } from '../../app/demo-clock.ts';
import { processEnvironment } from '../../config/env.ts';
import { AppError } from '../../domain/errors.ts';
import { synopsis } from '../command-table.ts';
import { cliActor } from './status.ts';
import { fail, humanFormat, openApp, output, wholeNumber } from '../runtime.ts';

/** Demo mode's clock: `show`, or `advance --days N` (refused outside demo mode with CLOCK_DEMO_ONLY). */
export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const action = positionals[0];
  if (action !== 'show' && action !== 'advance') fail(synopsis('clock'));
  const days = action === 'advance' ? wholeNumber(values.days, '--days', { min: 1 }) : 0;
  // Refused before anything opens: outside demo mode the clock is the system's, always.
  const env = processEnvironment();
  if (action === 'advance' && !env.demo) throw new AppError('CLOCK_DEMO_ONLY');
  const app = await openApp({ env });
  try {
    const f = humanFormat(app.policy, values.language);
    const state = action === 'advance' ? await advanceClock(app, days, cliActor(app.env.user)) : await showClock(app);
    output(Boolean(values.json)).result({ ...state, demo: app.demo }, () =>
      [
        `${action === 'advance' ? `moved ${days} day(s) forward; ` : ''}simexit's clock: ${f.dateTime(state.now)} (${app.policy.operator.timezone})`,
        state.offsetDays ? `  ${state.offsetDays} day(s) ahead of real time (${f.dateTime(state.realNow)}); demo mode only` : '  real time',
        ...(action === 'advance' ? ['  a running `simexit start` follows within a second; run `simexit sweep` and the worker to act on what is now due'] : []),
      ].join('\n'),
    );
    return 0;
  } finally {
    await app.close();
  }
}
