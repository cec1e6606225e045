/**
 * A payment the subscriber makes through the operator's payment provider, and
 * the rule for how much may be paid. Pure: no I/O.
 */
import { AppError } from './errors.ts';
import type { Account } from './model.ts';
import type { Minor } from './money.ts';
import { DEFAULT_PAYMENTS_POLICY, type Policy } from './policy.ts';

/**
 * `starting`: recorded, the provider not yet (or not successfully) asked.
 * `pending`: the provider has it; the subscriber is on its page.
 * `succeeded` / `failed`: a verified callback said so (final).
 */
export type PaymentRecordState = 'starting' | 'pending' | 'succeeded' | 'failed';

export const FINAL_PAYMENT_STATES: readonly PaymentRecordState[] = ['succeeded', 'failed'];

export interface Payment {
  readonly id: string;
  readonly accountId: string;
  readonly customerId: string;
  readonly amount: Minor;
  readonly currency: string;
  readonly provider: string;
  readonly providerPaymentId: string | null;
  readonly state: PaymentRecordState;
  readonly redirectUrl: string | null;
  readonly idempotencyKey: string;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly settledAt: string | null;
}

/** What the account owes, in minor units (0 when it is in credit). */
export const owedOn = (account: Pick<Account, 'balance'>): Minor => Math.max(0, -account.balance);

/**
 * The amount to take: what the account owes when none is asked for; an asked
 * amount up to what is owed; more only when the policy allows overpayment, up
 * to its largest payment. Anything else is refused before anything is recorded.
 */
export function payableAmount(account: Pick<Account, 'balance'>, requested: number | undefined, policy: Pick<Policy, 'payments'>): Minor {
  const rules = policy.payments ?? DEFAULT_PAYMENTS_POLICY;
  const owed = owedOn(account);
  const amount = requested ?? owed;
  if (!Number.isSafeInteger(amount) || amount < 0) throw new AppError('INVALID_AMOUNT', { input: String(amount) });
  if (amount === 0) {
    if (requested === undefined) throw new AppError('NOTHING_TO_PAY', {});
    throw new AppError('INVALID_AMOUNT', { input: String(amount) });
  }
  if (amount > owed) {
    if (!rules.allowOverpayment) {
      if (owed === 0) throw new AppError('NOTHING_TO_PAY', {});
      throw new AppError('PAYMENT_OVER_DEBT', { input: amount, owed });
    }
    if (amount > rules.maxAmount) throw new AppError('INVALID_AMOUNT', { input: String(amount), max: rules.maxAmount });
  }
  return amount;
}
