import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError, type Language } from '../domain/errors.ts';
import { maskMsisdn } from '../domain/msisdn.ts';
import { addSeconds } from '../domain/time.ts';
import { inTransaction } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import type { AppContext } from './context.ts';
import { assertNotLocked, clearFailures, recordFailure } from './lockout.ts';

export type OtpPurpose = 'confirm_termination' | 'password_reset' | 'cancel_without_signin';

const hashCode = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest();

/**
 * Sends a one-time code by SMS to `msisdn`. The text names the action and says
 * the operator never asks for the code; only a hash is stored. Returns the
 * code only so tests and the demo mailbox can read it — channels never show it.
 */
export async function issueOtp(
  ctx: AppContext,
  input: { customerId: string; purpose: OtpPurpose; subject: string; msisdn: string; language: Language },
): Promise<{ code: string; expiresAt: string }> {
  const now = ctx.clock();
  const { length, ttlSeconds } = ctx.policy.otp;
  const code = Array.from({ length }, () => randomInt(0, 10)).join('');
  const id = newId('otp');
  const expiresAt = addSeconds(now, ttlSeconds);
  await inTransaction(ctx.store, async (tx) => {
    // A new code replaces the old ones for the same action.
    await tx.updateTable('otp_codes').set({ used_at: now }).where('purpose', '=', input.purpose).where('subject', '=', input.subject).where('used_at', 'is', null).execute();
    await tx
      .insertInto('otp_codes')
      .values({ id, customer_id: input.customerId, purpose: input.purpose, subject: input.subject, code_hash: hashCode(id, code).toString('hex'), attempts: 0, expires_at: expiresAt, used_at: null, created_at: now })
      .execute();
    await ctx.adapters.notifier.enqueue(
      tx,
      [
        {
          key: `otp:${id}`,
          customerId: input.customerId,
          subjectRef: input.subject,
          template: `otp.${input.purpose}`,
          medium: 'sms',
          address: input.msisdn,
          language: input.language,
          payload: { code, msisdn: maskMsisdn(input.msisdn), subject: input.subject, expiresAt },
        },
      ],
      now,
    );
  });
  return { code, expiresAt };
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
  const expected = Buffer.from(row.code_hash, 'hex');
  const given = hashCode(row.id, input.code.trim());
  if (!timingSafeEqual(expected, given)) {
    const attempts = Number(row.attempts) + 1;
    await db.updateTable('otp_codes').set({ attempts, used_at: attempts >= maxAttempts ? now : null }).where('id', '=', row.id).execute();
    const limits = [[keys[0] as string, maxAttempts], [keys[1] as string, ctx.policy.signIn.maxAttemptsPerAddress]] as const;
    const locked = await recordFailure(db, limits, now, lockoutMinutes);
    if (locked || attempts >= maxAttempts) {
      await assertNotLocked(db, keys, now, 'OTP_LOCKED');
      throw new AppError('OTP_LOCKED', { until: now });
    }
    throw new AppError('OTP_INVALID', { attemptsLeft: maxAttempts - attempts });
  }
  await db.updateTable('otp_codes').set({ used_at: now }).where('id', '=', row.id).execute();
  await clearFailures(db, [keys[0] as string]);
  return { customerId: row.customer_id };
}
