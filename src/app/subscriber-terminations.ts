import type { Actor, Channel } from '../domain/channels.ts';
import { AppError, type Language } from '../domain/errors.ts';
import type { EffectiveChoice } from '../domain/preview.ts';
import type { Termination } from '../domain/termination.ts';
import { customersById } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';
import { issueOtp, verifyOtp } from './otp.ts';
import type { Principal } from './principal.ts';
import { requestTerminations } from './request-terminations.ts';
import { lineFor, terminationFor } from './self-service.ts';
import { confirmTermination } from './termination-actions.ts';

export const actorOf = (principal: Principal, channel: Channel): Actor => ({
  kind: principal.kind === 'customer' ? 'customer' : principal.kind === 'staff' ? 'staff' : 'system',
  id: principal.id,
  channel,
});

async function sendConfirmationCode(ctx: AppContext, t: Termination): Promise<{ expiresAt: string }> {
  const customer = (await customersById(ctx.store.db, [t.customerId])).get(t.customerId);
  return issueOtp(ctx, { customerId: t.customerId, purpose: 'confirm_termination', subject: t.reference, msisdn: t.msisdn, language: (customer?.language ?? 'en') as Language });
}

/**
 * A subscriber's own request (web or app). When nothing blocks it, a code goes
 * by SMS to the line itself; the order waits for that code.
 */
export async function requestAsSubscriber(
  ctx: AppContext,
  principal: Principal,
  input: { lineId: string; effective: EffectiveChoice; channel: Channel },
): Promise<{ termination: Termination; codeSentUntil: string | null }> {
  const line = await lineFor(ctx, principal, input.lineId);
  const [outcome] = await requestTerminations(ctx, [
    { lineId: line.id, channel: input.channel, authority: 'subscriber', actor: actorOf(principal, input.channel), effective: input.effective },
  ]);
  if (!outcome) throw new Error('no outcome');
  if (outcome.kind === 'error') throw outcome.error;
  // The code went out with the order, in the same transaction.
  return { termination: outcome.termination, codeSentUntil: outcome.kind === 'created' ? (outcome.codeSentUntil ?? null) : null };
}

export async function resendConfirmationCode(ctx: AppContext, principal: Principal, reference: string): Promise<{ expiresAt: string }> {
  const t = await terminationFor(ctx, principal, reference);
  if (t.state !== 'awaiting_confirmation') throw new AppError('INVALID_TRANSITION', { entity: 'termination', from: t.state, to: 'scheduled' });
  return sendConfirmationCode(ctx, t);
}

export async function confirmWithCode(ctx: AppContext, principal: Principal, reference: string, code: string, address: string): Promise<Termination> {
  const t = await terminationFor(ctx, principal, reference);
  if (t.state !== 'awaiting_confirmation') {
    if (t.state === 'blocked') throw new AppError('BLOCKERS_PRESENT', { codes: t.blockers.map((b) => b.code) });
    throw new AppError('INVALID_TRANSITION', { entity: 'termination', from: t.state, to: 'scheduled' });
  }
  await verifyOtp(ctx, { purpose: 'confirm_termination', subject: reference, code, address });
  return confirmTermination(ctx, reference, actorOf(principal, t.channel));
}
