import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError, type Language } from '../domain/errors.ts';
import { maskMsisdn } from '../domain/msisdn.ts';
import { addSeconds } from '../domain/time.ts';
import { insertRows } from '../store/bulk.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import type { AppContext } from './context.ts';
import { assertNotLocked, attemptSucceeded, lockNow, takeAttempt } from './lockout.ts';

export type OtpPurpose = 'confirm_termination' | 'password_reset' | 'cancel_without_signin';

const hashCode = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest();

/**
 * Sends a one-time code by SMS to `msisdn`. The text names the action and says
 * the operator never asks for the code; only a hash is stored. Returns the
 * code only so tests and the demo mailbox can read it — channels never show it.
 */
export interface OtpRequest {
  readonly customerId: string;
  readonly purpose: OtpPurpose;
  readonly subject: string;
  readonly msisdn: string;
  readonly language: Language;
}

export async function issueOtp(ctx: AppContext, input: OtpRequest): Promise<{ code: string; expiresAt: string }> {
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
export async function issueOtpsIn(ctx: AppContext, tx: Tx, inputs: readonly OtpRequest[], options: { replace: boolean }): Promise<{ code: string; expiresAt: string }[]> {
  if (inputs.length === 0) return [];
  const now = ctx.clock();
  const { length, ttlSeconds } = ctx.policy.otp;
  const expiresAt = addSeconds(now, ttlSeconds);
  const issued = inputs.map((input) => ({ input, id: newId('otp'), code: Array.from({ length }, () => randomInt(0, 10)).join('') }));
  if (options.replace) {
    for (const { input } of issued) {
      await tx.updateTable('otp_codes').set({ used_at: now }).where('purpose', '=', input.purpose).where('subject', '=', input.subject).where('used_at', 'is', null).execute();
    }
  }
  await insertRows(
    tx,
    'otp_codes',
    issued.map(({ input, id, code }) => ({ id, customer_id: input.customerId, purpose: input.purpose, subject: input.subject, code_hash: hashCode(id, code).toString('hex'), attempts: 0, expires_at: expiresAt, used_at: null, created_at: now })),
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
      payload: { code, msisdn: maskMsisdn(input.msisdn), subject: input.subject, expiresAt },
    })),
    now,
  );
  return issued.map(({ code }) => ({ code, expiresAt }));
}

/** Checks a code; wrong codes count per action and per address and lock out past the limit. */
export async function verifyOtp(ctx: AppContext, input: { purpose: OtpPurpose; subject: string; code: string; address: string }): Promise<{ customerId: string }> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const keys = [`otp:${input.purpose}:${input.subject}`, `otp-addr:${input.address}`];
  await assertNotLocked(db, keys, now, 'OTP_LOCKED');
  const row = await db
    .selectFrom('otp_codes')
    .selectAll()
    .where('purpose', '=', input.purpose)
    .where('subject', '=', input.subject)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row) throw new AppError('OTP_EXPIRED', {});
  if (row.expires_at <= now) throw new AppError('OTP_EXPIRED', {});
  const { maxAttempts, lockoutMinutes } = ctx.policy.otp;
  const [subjectKey, addressKey] = keys as [string, string];
  await takeAttempt(db, [[subjectKey, maxAttempts], [addressKey, ctx.policy.signIn.maxAttemptsPerAddress]], now, lockoutMinutes, 'OTP_LOCKED');
  // Counted on the code itself too, before comparing: parallel guesses cannot exceed the limit.
  const counted = await db.updateTable('otp_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', row.id).returning('attempts').executeTakeFirstOrThrow();
  const attempts = Number(counted.attempts);
  if (attempts > maxAttempts) throw new AppError('OTP_LOCKED', { until: await lockNow(db, subjectKey, now, lockoutMinutes) });
  if (!timingSafeEqual(Buffer.from(row.code_hash, 'hex'), hashCode(row.id, input.code.trim()))) {
    if (attempts >= maxAttempts) {
      await db.updateTable('otp_codes').set({ used_at: now }).where('id', '=', row.id).execute();
      throw new AppError('OTP_LOCKED', { until: await lockNow(db, subjectKey, now, lockoutMinutes) });
    }
    throw new AppError('OTP_INVALID', { attemptsLeft: maxAttempts - attempts });
  }
  await db.updateTable('otp_codes').set({ used_at: now }).where('id', '=', row.id).execute();
  await attemptSucceeded(db, subjectKey, addressKey);
  return { customerId: row.customer_id };
}
