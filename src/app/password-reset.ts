/**
 * A subscriber who forgot their password sets a new one with a code sent by
 * SMS to their number. Asking answers the same whether or not the number is
 * ours; setting the password ends every other session and remembered device
 * of the person and is audited.
 */
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import { addSeconds } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { setPasswordHash } from '../store/auth.repository.ts';
import { inTransaction } from '../store/database.ts';
import { liveLinesByMsisdn } from '../store/lines.repository.ts';
import { voidOpenCodesOfCustomer } from '../store/otp.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import { endAllSessions, issueSession, type SignedIn, trustedDeviceOf } from './auth.ts';
import type { AppContext } from './context.ts';
import { takeSend } from './lockout.ts';
import { checkOtp, issueOtp } from './otp.ts';
import { hashPassword } from './secrets.ts';

/** Where the request comes from: the caller's address and device cookie (the owner's own device has a budget of its own). */
export interface ResetOrigin {
  readonly address: string;
  readonly device?: string | undefined;
}

/**
 * Sends a reset code to the number when it is one of ours. Sends are limited
 * per number and per address, counted for numbers that are not ours too, so
 * neither the limit nor the answer tells whether the number is ours.
 */
export async function requestPasswordReset(ctx: AppContext, msisdn: string, origin: ResetOrigin): Promise<{ expiresAt: string }> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const line = (await liveLinesByMsisdn(db, [msisdn])).get(msisdn);
  const { maxSendsPerNumber, maxSendsPerAddress, sendWindowMinutes, ttlSeconds } = ctx.policy.otp;
  const trusted = await trustedDeviceOf(ctx, origin.device, line ? { kind: 'customer', id: line.customerId } : undefined);
  const perNumber = trusted ? `reset-send:${msisdn}#${trusted.slice(0, 32)}` : `reset-send:${msisdn}`;
  const limits: [string, number][] = trusted ? [[perNumber, maxSendsPerNumber]] : [[perNumber, maxSendsPerNumber], [`reset-send-addr:${origin.address}`, maxSendsPerAddress]];
  await takeSend(db, limits, now, sendWindowMinutes, 'TOO_MANY_CODES');
  if (!line) return { expiresAt: addSeconds(now, ttlSeconds) };
  const customer = (await customersById(db, [line.customerId])).get(line.customerId);
  return issueOtp(ctx, { customerId: line.customerId, purpose: 'password_reset', subject: msisdn, msisdn, language: (customer?.language ?? 'en') as Language });
}

/**
 * Sets a new password with the SMS code and signs in. Using the code up, the
 * new password, the end of every other session and remembered device, the
 * end of the person's other reset codes and the audit entry commit together.
 */
export async function resetPassword(ctx: AppContext, input: { msisdn: string; code: string; newPassword: string } & ResetOrigin): Promise<SignedIn> {
  const checked = await checkOtp(ctx, { purpose: 'password_reset', subject: input.msisdn, code: input.code, address: input.address, device: input.device });
  const { customerId } = checked;
  const passwordHash = await hashPassword(input.newPassword);
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    await checked.spend(tx);
    const customer = (await customersById(tx, [customerId])).get(customerId);
    if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', { input: customerId });
    await setPasswordHash(tx, customerId, passwordHash);
    const principal = { kind: 'customer', id: customer.id, name: customer.name, language: customer.language } as const;
    const sessionsEnded = await endAllSessions(tx, principal);
    await voidOpenCodesOfCustomer(tx, customerId, 'password_reset', now);
    const signedIn = await issueSession(ctx, principal, tx);
    await appendAudit(tx, [
      { entityType: 'customer', entityId: customerId, action: 'password_reset', from: null, to: null, actor: { kind: 'customer', id: customerId, channel: 'web' }, at: now, reason: 'new password set with an SMS code; every other session ended', data: { sessionsEnded } },
    ]);
    return signedIn;
  });
}
