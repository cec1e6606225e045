import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import { maskMsisdn } from '../domain/msisdn.ts';
import { addSeconds } from '../domain/time.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { countCodeAttempt, insertOtpCodes, latestOpenCode, spendCode, voidCode, voidOpenCodesFor } from '../store/otp.repository.ts';
import type { AppContext } from './context.ts';
import { trustedDeviceOf } from './auth.ts';
import { assertNotLocked, type GuessRules, guessFailed, guessKeys, guessSucceeded, takeGuess } from './lockout.ts';

export type OtpPurpose = 'confirm_termination' | 'password_reset' | 'cancel_without_signin' | 'hotline_sign_in' | 'sms_cancel';

/**
 * What is stored to check a code: an HMAC keyed with this installation's
 * secret, so a copy of the database alone cannot try the million codes.
 */
const hashCode = (ctx: AppContext, id: string, code: string) => createHmac('sha256', `otp-code:${ctx.secrets.documentKey}`).update(`${id}:${code}`).digest();

/**
 * Sends a one-time code by SMS to `msisdn`. The text names the action and says
 * the operator never asks for the code. Only a hash is stored; the message
 * holds the code until it is delivered, then the outbox scrubs it. Nothing
 * here returns the code: a test reads it where the subscriber would, in the
 * delivered SMS.
 */
export interface OtpRequest {
  readonly customerId: string;
  readonly purpose: OtpPurpose;
  readonly subject: string;
  readonly msisdn: string;
  readonly language: Language;
  /** What the code's message states besides the code (`sms_cancel`: the preview). */
  readonly preview?: Readonly<Record<string, string | number>>;
}

export async function issueOtp(ctx: AppContext, input: OtpRequest): Promise<{ expiresAt: string }> {
  return inTransaction(ctx.store, async (tx) => {
    const [issued] = await issueOtpsIn(ctx, tx, [input], { replace: true });
    if (!issued) throw new Error('no code issued');
    return issued;
  });
}

/**
 * Issues codes inside the caller's transaction, so the state that needs a code
 * (an order now awaiting confirmation) and the code itself commit together.
 * `replace`: earlier unused codes for the same action stop working.
 */
export async function issueOtpsIn(ctx: AppContext, tx: Tx, inputs: readonly OtpRequest[], options: { replace: boolean }): Promise<{ expiresAt: string }[]> {
  if (inputs.length === 0) return [];
  const now = ctx.clock();
  const { length, ttlSeconds } = ctx.policy.otp;
  const expiresAt = addSeconds(now, ttlSeconds);
  const issued = inputs.map((input) => ({ input, id: newId('otp'), code: Array.from({ length }, () => randomInt(0, 10)).join('') }));
  if (options.replace) {
    for (const { input } of issued) {
      await voidOpenCodesFor(tx, input.purpose, input.subject, now);
    }
  }
  await insertOtpCodes(
    tx,
    issued.map(({ input, id, code }) => ({ id, customerId: input.customerId, purpose: input.purpose, subject: input.subject, codeHash: hashCode(ctx, id, code).toString('hex'), expiresAt, createdAt: now })),
  );
  await ctx.adapters.notifier.enqueue(
    tx,
    issued.map(({ input, id, code }) => ({
      key: `otp:${id}`,
      customerId: input.customerId,
      subjectRef: input.subject,
      template: `otp.${input.purpose}`,
      medium: 'sms' as const,
      address: input.msisdn,
      language: input.language,
      payload: { ...input.preview, code, msisdn: maskMsisdn(input.msisdn), subject: input.subject, expiresAt },
    })),
    now,
  );
  return issued.map(() => ({ expiresAt }));
}

const otpRules = (ctx: AppContext): GuessRules => {
  const { maxAttempts, lockoutMinutes, slowDownAfter } = ctx.policy.otp;
  return { perPair: maxAttempts, perAddress: ctx.policy.signIn.maxAttemptsPerAddress, lockoutMinutes, slowDownAfter };
};

/** A right code, not yet used up: `spend` uses it up inside the transaction of the action it allows. */
export interface CheckedCode {
  readonly customerId: string;
  /** Marks the code used, in `tx`; refuses when it was used meanwhile. Roll `tx` back and the code stays good. */
  spend(tx: Tx): Promise<void>;
}

/**
 * Checks a code without using it up. Wrong codes count per (action,
 * address), per address and per action from anywhere (a growing delay, see
 * lockout.ts); from a device that signed in as the code's owner before, only
 * that device's wrong codes count. One code takes `otp.maxAttempts` wrong
 * tries, then it is void and a new one must be asked for.
 */
export async function checkOtp(
  ctx: AppContext,
  input: { purpose: OtpPurpose; subject: string; code: string; address: string; device?: string | undefined },
): Promise<CheckedCode> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const row = await latestOpenCode(db, input.purpose, input.subject);
  const trustedDevice = await trustedDeviceOf(ctx, input.device, row ? { kind: 'customer', id: row.customerId } : undefined);
  const keys = guessKeys(`otp:${input.purpose}`, input.subject, { address: input.address, trustedDevice });
  const rules = otpRules(ctx);
  await assertNotLocked(db, keys, now, 'OTP_LOCKED');
  if (!row || row.expiresAt <= now) throw new AppError('OTP_EXPIRED', {});
  await takeGuess(db, keys, rules, now, 'OTP_LOCKED');
  const { maxAttempts } = ctx.policy.otp;
  // Counted on the code itself too, before comparing: parallel guesses cannot exceed the limit.
  const attempts = await countCodeAttempt(db, row.id);
  const right = attempts <= maxAttempts && timingSafeEqual(Buffer.from(row.codeHash, 'hex'), hashCode(ctx, row.id, input.code.trim()));
  if (!right) {
    if (attempts >= maxAttempts) await voidCode(db, row.id, now);
    await guessFailed(db, keys, rules, now, 'OTP_LOCKED');
    if (attempts >= maxAttempts) throw new AppError('OTP_EXPIRED', {});
    throw new AppError('OTP_INVALID', { attemptsLeft: maxAttempts - attempts });
  }
  await guessSucceeded(db, keys);
  return {
    customerId: row.customerId,
    async spend(tx) {
      if (!(await spendCode(tx, row.id, ctx.clock()))) throw new AppError('OTP_EXPIRED', {});
    },
  };
}
