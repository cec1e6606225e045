/**
 * Cancelling without signing in (Germany's §312k BGB "Kündigungsbutton": a
 * court held that asking for the customer's password is unlawful). The holder
 * gives the number, their name and one identifying fact; the order is the same
 * as any other (channel `web`), confirmed by a code sent to the line — or,
 * when the SIM is lost, by an identity check at a shop or by phone before it
 * takes effect. Failed matches count per number and per address.
 */
import { AppError } from '../domain/errors.ts';
import type { EffectiveChoice } from '../domain/preview.ts';
import { PUBLIC_CANCELLATION_REASON, SIM_LOST_REASON, type Termination } from '../domain/termination.ts';
import { liveLinesByMsisdn } from '../store/lines.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import { terminationByReference } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import { guessFailed, guessKeys, guessSucceeded, takeGuess } from './lockout.ts';
import { checkOtp } from './otp.ts';
import { requestTermination } from './request-termination.ts';
import { confirmTermination, withdrawTermination } from './termination-actions.ts';

export interface PublicCancellation {
  readonly msisdn: string;
  readonly holderName: string;
  readonly documentLast4?: string;
  readonly birthDate?: string;
  readonly effective: EffectiveChoice;
  readonly email?: string;
  readonly simLost: boolean;
  readonly address: string;
}

/** Names compare without case, accents, extra spaces or word order ("IVANOVA Anna" = "Anna Ivanova"). */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/ё/g, 'е')
      .split(/[\s,.-]+/)
      .filter(Boolean)
      .sort()
      .join(' ');
  const x = norm(a);
  const y = norm(b);
  return x.length > 0 && (x === y || x.replace(/ /g, '') === y.replace(/ /g, ''));
}

/** An identity check by an agent has up to a week; a code sent to the line, the usual confirmation window. */
const SIM_LOST_CONFIRMATION_MINUTES = 7 * 24 * 60;

/** What the holder types to prove it is them: the name and one identifying fact. */
export interface HolderProof {
  readonly holderName: string;
  readonly documentLast4?: string;
  readonly birthDate?: string;
  readonly address: string;
}

/**
 * Checks the holder's name and fact against `customerId` (undefined: no such number or order). Guesses count
 * like sign-ins, per (subject, address), per address, and slow the subject down; one answer for "not found"
 * and "details do not match", so nothing is learnt by probing.
 */
async function proveHolder(ctx: AppContext, subject: string, customerId: string | undefined, proof: HolderProof): Promise<void> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const keys = guessKeys('cancel', subject, { address: proof.address });
  const { maxAttempts, maxAttemptsPerAddress, lockoutMinutes, slowDownAfter } = ctx.policy.signIn;
  const rules = { perPair: maxAttempts, perAddress: maxAttemptsPerAddress, lockoutMinutes, slowDownAfter };
  await takeGuess(db, keys, rules, now, 'AUTH_LOCKED');
  const customer = customerId ? (await customersById(db, [customerId])).get(customerId) : undefined;
  const factMatches =
    customer !== undefined &&
    ((proof.documentLast4 !== undefined && customer.document?.last4 === proof.documentLast4) || (proof.birthDate !== undefined && customer.birthDate === proof.birthDate));
  if (!customer || !factMatches || !sameName(customer.name, proof.holderName)) {
    await guessFailed(db, keys, rules, now, 'AUTH_LOCKED');
    throw new AppError('IDENTITY_MISMATCH', {});
  }
  await guessSucceeded(db, keys);
}

export async function cancelWithoutSignIn(ctx: AppContext, input: PublicCancellation): Promise<{ termination: Termination; confirmation: 'sms_code' | 'identity_check' }> {
  const line = (await liveLinesByMsisdn(ctx.store.db, [input.msisdn])).get(input.msisdn);
  await proveHolder(ctx, input.msisdn, line?.customerId, input);
  if (!line) throw new AppError('IDENTITY_MISMATCH', {});
  const customer = { id: line.customerId };
  const outcome = await requestTermination(ctx, {
    lineId: line.id,
    channel: 'web',
    authority: 'subscriber',
    actor: { kind: 'customer', id: customer.id, channel: 'web' },
    effective: input.effective,
    reason: input.simLost ? SIM_LOST_REASON : PUBLIC_CANCELLATION_REASON,
    confirmWithinMinutes: input.simLost ? SIM_LOST_CONFIRMATION_MINUTES : undefined,
    extraEmail: input.email,
  });
  // The code (unless the SIM is lost) went out with the order, in its transaction; see confirmationCodeFor.
  const termination = outcome.termination;
  return { termination, confirmation: input.simLost ? 'identity_check' : 'sms_code' };
}

/**
 * Withdraws a request made without signing in: the same proof as making it (name and fact of the holder of
 * that request's number), never the reference alone. A wrong reference answers like wrong details.
 */
export async function withdrawPublicCancellation(ctx: AppContext, reference: string | null, proof: HolderProof): Promise<Termination> {
  const t = reference ? await terminationByReference(ctx.store.db, reference) : undefined;
  await proveHolder(ctx, t?.msisdn ?? `ref:${reference ?? ''}`, t?.customerId, proof);
  if (!t) throw new AppError('IDENTITY_MISMATCH', {});
  return withdrawTermination(ctx, t.reference, { kind: 'customer', id: t.customerId, channel: 'web' }, 'withdrawn by the holder without signing in');
}

/** Confirms with the SMS code; using the code up and confirming commit together. */
export async function confirmPublicCancellation(ctx: AppContext, reference: string, code: string, address: string, device?: string): Promise<Termination> {
  const t = await terminationByReference(ctx.store.db, reference);
  if (!t) throw new AppError('TERMINATION_NOT_FOUND', { input: reference });
  const checked = await checkOtp(ctx, { purpose: 'cancel_without_signin', subject: reference, code, address, device });
  return confirmTermination(ctx, reference, { kind: 'customer', id: t.customerId, channel: 'web' }, { within: checked.spend });
}
