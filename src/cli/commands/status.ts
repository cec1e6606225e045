import type { Actor, Channel } from '../../domain/channels.ts';
import { normalizeReference } from '../../domain/reference.ts';
import { statusOf } from '../../app/self-service.ts';
import { AppError } from '../../domain/errors.ts';
import { fail, openApp, output } from '../runtime.ts';

/** Who a CLI command acts as in the audit log: `cli:<USER>` (the user comes from the environment read at start-up). */
export const cliActor = (user: string, channel: Channel | 'system' = 'system'): Actor => ({ kind: 'staff', id: `cli:${user}`, channel });

export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const input = positionals[0];
  if (!input) fail('status needs a REFERENCE, for example TRM-7KQ2-9XW4');
  const reference = normalizeReference(input as string);
  if (!reference) throw new AppError('TERMINATION_NOT_FOUND', { input: input as string });
  const app = await openApp();
  try {
    const status = await statusOf(app, 'console', reference);
    const t = status.termination;
    const timeline = status.timeline.map((e) => ({ at: e.at, from: e.from, to: e.to, action: e.action, by: `${e.actor}:${e.actorId}`, channel: e.channel, reason: e.reason }));
    output(Boolean(values.json)).result({ ...t, timeline }, () =>
      [
        `${t.reference}  ${t.state}`,
        `  line ${t.msisdn} (${t.simType}), channel ${t.channel}, ${t.authority}'s order`,
        `  effective ${t.effectiveAt}${t.completedAt ? `, completed ${t.completedAt}` : ''}`,
        `  settled ${t.amountSettled ?? '-'}, refunded ${t.amountRefunded ?? '-'} (${t.quote.currency} minor units)`,
        ...(t.blockers.length ? [`  blockers: ${t.blockers.map((b) => b.code).join(', ')}`] : []),
        ...(t.lastError ? [`  last error: ${t.lastError}`] : []),
        '  timeline:',
        ...timeline.map((e) => `    ${e.at}  ${(e.from ?? '').padEnd(22)} → ${(e.to ?? e.action).padEnd(22)} ${e.by} via ${e.channel}${e.reason ? ` (${e.reason})` : ''}`),
      ].join('\n'),
    );
    return 0;
  } finally {
    await app.close();
  }
}
