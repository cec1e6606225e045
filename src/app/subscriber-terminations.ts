import type { Actor, Channel } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import type { EffectiveChoice } from '../domain/preview.ts';
import type { Termination } from '../domain/termination.ts';
import { formerNumbersOf } from '../store/lines.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';
import { checkOtp, issueOtp } from './otp.ts';
import type { Principal } from './principal.ts';
import { requestTermination } from './request-termination.ts';
import { reclaimNumber } from './inventory-actions.ts';
import { type LineView, lineFor, linesOf, terminationFor } from './self-service.ts';
import { documentHash } from './secrets.ts';
import { acceptCharges, confirmTermination, verifyIdentity, withdrawTermination } from './termination-actions.ts';

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
  const outcome = await requestTermination(ctx, { lineId: line.id, channel: input.channel, authority: 'subscriber', actor: actorOf(principal, input.channel), effective: input.effective });
  // The code went out with the order, in the same transaction.
  return { termination: outcome.termination, codeSentUntil: outcome.kind === 'created' ? (outcome.codeSentUntil ?? null) : null };
}

export async function resendConfirmationCode(ctx: AppContext, principal: Principal, reference: string): Promise<{ expiresAt: string }> {
  const t = await terminationFor(ctx, principal, reference);
  if (t.state !== 'awaiting_confirmation') throw new AppError('INVALID_TRANSITION', { entity: 'termination', from: t.state, to: 'scheduled' });
  return sendConfirmationCode(ctx, t);
}

/** Confirms with the SMS code; using the code up and confirming commit together. */
export async function confirmWithCode(ctx: AppContext, principal: Principal, reference: string, code: string, address: string, device?: string): Promise<Termination> {
  const t = await terminationFor(ctx, principal, reference);
  if (t.state !== 'awaiting_confirmation') {
    if (t.state === 'blocked') throw new AppError('BLOCKERS_PRESENT', { codes: t.blockers.map((b) => b.code) });
    throw new AppError('INVALID_TRANSITION', { entity: 'termination', from: t.state, to: 'scheduled' });
  }
  const checked = await checkOtp(ctx, { purpose: 'confirm_termination', subject: reference, code, address, device });
  return confirmTermination(ctx, reference, actorOf(principal, t.channel), { within: checked.spend });
}

/** Withdraws a request that has not taken effect, for whoever may act for its holder; recorded under the order's channel. */
export async function withdrawAs(ctx: AppContext, principal: Principal, reference: string): Promise<Termination> {
  const t = await terminationFor(ctx, principal, reference);
  return withdrawTermination(ctx, t.reference, actorOf(principal, t.channel));
}

/** "Not me": the holder never asked for this request. Withdraws it, records it as not theirs and alerts the back office. */
export async function reportNotMe(ctx: AppContext, principal: Extract<Principal, { kind: 'customer' }>, reference: string): Promise<Termination> {
  const t = await terminationFor(ctx, principal, reference);
  return withdrawTermination(ctx, t.reference, actorOf(principal, t.channel), null, { notMe: true });
}

/** Accepts the early-termination fee and device instalments on the final invoice. */
export async function acceptChargesAs(ctx: AppContext, principal: Principal, reference: string): Promise<Termination> {
  const t = await terminationFor(ctx, principal, reference);
  return acceptCharges(ctx, t.reference, actorOf(principal, t.channel));
}

/** A signed-in subscriber proves who they are with the number of the document on file; a mismatch is IDENTITY_MISMATCH. */
export async function verifyIdentityByDocument(ctx: AppContext, principal: Extract<Principal, { kind: 'customer' }>, documentNumber: string): Promise<void> {
  const customer = (await customersById(ctx.store.db, [principal.id])).get(principal.id);
  if (!customer?.document || customer.document.numberHash !== documentHash(ctx.secrets.documentKey, documentNumber)) throw new AppError('IDENTITY_MISMATCH', {});
  await verifyIdentity(ctx, principal.id, actorOf(principal, 'web'), 'document number');
}

/** The customer's former numbers still kept for them (none when the policy allows no reclaim). */
export async function formerNumbers(ctx: AppContext, customerId: string): Promise<{ msisdn: string; endedAt: string | null; reclaimableUntil: string | null }[]> {
  if (!ctx.policy.quarantine.reclaimAllowed) return [];
  return formerNumbersOf(ctx.store.db, customerId);
}

/** Takes back one of the customer's quarantined numbers on a new SIM or eSIM, through the web; the new line as the customer sees it. */
export async function reclaimAs(ctx: AppContext, principal: Extract<Principal, { kind: 'customer' }>, input: { msisdn: string; simType: 'sim' | 'esim' }): Promise<LineView> {
  const line = await reclaimNumber(ctx, { msisdn: input.msisdn, customerId: principal.id, simType: input.simType, channel: 'web', actor: actorOf(principal, 'web') });
  const view = (await linesOf(ctx, principal.id)).find((l) => l.id === line.id);
  if (!view) throw new AppError('LINE_NOT_FOUND', { input: line.id });
  return view;
}
