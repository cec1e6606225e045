import { requestTermination } from '../../app/request-termination.ts';
import { CHANNELS, isChannel } from '../../domain/channels.ts';
import { AppError } from '../../domain/errors.ts';
import { normalizeMsisdn } from '../../domain/msisdn.ts';
import { parseEffective } from '../../domain/preview.ts';
import { cliActor } from './status.ts';
import { fail, openApp, output } from '../runtime.ts';

/** Acts for the back office: the order is the operator's, confirmed at once. */
export async function run(values: Record<string, unknown>): Promise<number> {
  if (typeof values.msisdn !== 'string') fail('--msisdn is required');
  if (typeof values.channel !== 'string') fail(`--channel is required (one of ${CHANNELS.join(', ')})`);
  const channel = values.channel as string;
  if (!isChannel(channel)) throw new AppError('INVALID_CHANNEL', { input: channel, valid: CHANNELS.join(', ') });
  const effective = parseEffective((values.effective as string | undefined) ?? 'now');
  const app = await openApp();
  try {
    const msisdn = normalizeMsisdn(values.msisdn as string, app.policy.operator.country);
    const { termination: t } = await requestTermination(app, { msisdn, channel, authority: 'operator', actor: cliActor(app.env.user, channel), effective, reason: (values.reason as string | undefined) ?? 'back office request', confirmNow: true });
    output(Boolean(values.json)).result(
      { reference: t.reference, state: t.state, effectiveAt: t.effectiveAt, blockers: t.blockers.map((b) => b.code), msisdn: t.msisdn },
      () => `${t.reference}  ${t.state}  effective ${t.effectiveAt}${t.blockers.length ? `  blocked by: ${t.blockers.map((b) => b.code).join(', ')}` : ''}`,
    );
    return 0;
  } finally {
    await app.close();
  }
}
