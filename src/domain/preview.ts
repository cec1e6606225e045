import type { Authority, Channel } from './channels.ts';
import { AppError } from './errors.ts';
import { isEsimOnDevice, type EsimState } from './inventory.ts';
import type { Account, Customer, Line } from './model.ts';
import { type Minor, prorate } from './money.ts';
import type { EffectiveMode, Policy } from './policy.ts';
import { addDays, addHours, type Instant, localDate, maxInstant, ms, parseDate, startOfLocalDay } from './time.ts';

export const BLOCKER_CODES = [
  'UNPAID_BALANCE',
  'IDENTITY_NOT_VERIFIED',
  'EARLY_TERMINATION_FEE_NOT_ACCEPTED',
  'DEVICE_INSTALMENTS_OUTSTANDING',
  'LINE_NOT_ACTIVE',
  'PORT_OUT_IN_PROGRESS',
  'LEGAL_HOLD',
] as const;
export type BlockerCode = (typeof BLOCKER_CODES)[number];

/** Blockers that stop even an operator's order; the rest concern only a subscriber's own request. */
const HARD_BLOCKERS: readonly BlockerCode[] = ['PORT_OUT_IN_PROGRESS', 'LEGAL_HOLD'];

export const WARNING_CODES = [
  'DATA_WILL_BE_LOST',
  'BALANCE_WILL_BE_REFUNDED',
  'BALANCE_WILL_NOT_BE_REFUNDED',
  'BALANCE_STAYS_ON_ACCOUNT',
  'FINAL_INVOICE',
  'NUMBER_RECYCLED_AFTER',
  'EXPORT_DATA_AND_CONTACTS',
  'MOVE_LOGINS_OFF_NUMBER',
  'REMOVE_SIM_PIN',
  'DELETE_ESIM_ON_DEVICE',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Blocker {
  readonly code: BlockerCode;
  /** The amount involved, in minor units, where there is one. */
  readonly amount?: Minor;
}

export interface Warning {
  readonly code: WarningCode;
  readonly amount?: Minor;
  readonly dataLeftMb?: number;
  readonly date?: string;
  readonly method?: string;
}

/** What ending the line costs and returns, in minor units of the account's currency. */
export interface Quote {
  readonly currency: string;
  readonly balance: Minor;
  /** Unpaid balance now: must be paid before a subscriber's request goes ahead. */
  readonly owed: Minor;
  /** Services rendered in the current period up to the effective date. */
  readonly finalUsage: Minor;
  readonly earlyTerminationFee: Minor;
  readonly instalmentsLeft: Minor;
  /** Everything the final invoice will take: usage, fee, instalments. */
  readonly finalInvoice: Minor;
  /** Paid back after the final invoice. */
  readonly refund: Minor;
  /** Still owed after the final invoice (an operator's order may leave a debt). */
  readonly owedAfter: Minor;
}

/** The rows of the final invoice, each on its own: what the services cost up to the end date, the early-termination fee, the device instalments. */
export const CHARGE_CODES = ['SERVICES_TO_END_DATE', 'EARLY_TERMINATION_FEE', 'DEVICE_INSTALMENTS'] as const;
export type ChargeCode = (typeof CHARGE_CODES)[number];

export interface Charge {
  readonly code: ChargeCode;
  readonly amount: Minor;
  /** EARLY_TERMINATION_FEE: the day the minimum term would have ended. */
  readonly until?: Instant;
}

/**
 * The final invoice row by row; the rows add up to `quote.finalInvoice`. The
 * services row is always there; the fee and the instalments only when owed.
 */
export function chargesOf(q: Quote, minimumTermEndsAt: Instant | null): Charge[] {
  const rows: Charge[] = [{ code: 'SERVICES_TO_END_DATE', amount: q.finalUsage }];
  if (q.earlyTerminationFee > 0) {
    const until = minimumTermEndsAt;
    rows.push({ code: 'EARLY_TERMINATION_FEE', amount: q.earlyTerminationFee, ...(until ? { until } : {}) });
  }
  if (q.instalmentsLeft > 0) rows.push({ code: 'DEVICE_INSTALMENTS', amount: q.instalmentsLeft });
  return rows;
}

export interface EffectiveChoice {
  readonly mode: EffectiveMode;
  /** With mode `date`: `YYYY-MM-DD`, the operator-local day the line ends on. */
  readonly date?: string;
}

export interface PreviewInput {
  readonly line: Line;
  readonly account: Account;
  readonly customer: Customer;
  readonly esimState: EsimState | null;
  readonly policy: Policy;
  readonly channel: Channel;
  readonly authority: Authority;
  readonly effective: EffectiveChoice;
  readonly feeAccepted: boolean;
  readonly instalmentsAccepted: boolean;
  /** Other active or suspended lines on the same account. */
  readonly otherLiveLines: number;
  readonly now: Instant;
}

export interface Preview {
  readonly effectiveMode: EffectiveMode;
  readonly effectiveAt: Instant;
  readonly coolingOffEndsAt: Instant;
  readonly quarantineEndsAt: Instant;
  readonly dataLeftMb: number;
  readonly quote: Quote;
  /** The final invoice's rows (chargesOf): the early-termination fee is its own row, never inside the services. */
  readonly charges: readonly Charge[];
  readonly blockers: readonly Blocker[];
  readonly warnings: readonly Warning[];
  readonly effectiveOptions: readonly { mode: EffectiveMode; at: Instant | null }[];
}

/** Parses `now`, `end_of_period` or `YYYY-MM-DD` as typed by a person or a CSV file. */
export function parseEffective(text: string): EffectiveChoice {
  if (text === 'now' || text === 'end_of_period') return { mode: text };
  if (parseDate(text)) return { mode: 'date', date: text };
  throw new AppError('INVALID_EFFECTIVE_DATE', { input: text, reason: 'expected now, end_of_period or YYYY-MM-DD' });
}

/** The instant the line ends for a choice, before any cooling-off. Refuses what the policy does not allow. */
export function resolveEffectiveAt(choice: EffectiveChoice, line: Line, policy: Policy, now: Instant): Instant {
  const input = choice.mode === 'date' ? (choice.date ?? '') : choice.mode;
  if (!policy.effectiveDates.allowed.includes(choice.mode)) {
    throw new AppError('INVALID_EFFECTIVE_DATE', { input, reason: 'not allowed by the operator' });
  }
  if (choice.mode === 'now') return now;
  if (choice.mode === 'end_of_period') return maxInstant(line.periodEnd, now);
  const date = choice.date ? parseDate(choice.date) : undefined;
  if (!date) throw new AppError('INVALID_EFFECTIVE_DATE', { input, reason: 'expected YYYY-MM-DD' });
  const at = startOfLocalDay(date, policy.operator.timezone);
  if (input < localDate(now, policy.operator.timezone)) {
    throw new AppError('INVALID_EFFECTIVE_DATE', { input, reason: 'in the past' });
  }
  if (ms(at) > ms(addDays(now, policy.effectiveDates.maxDaysAhead))) {
    throw new AppError('INVALID_EFFECTIVE_DATE', {
      input,
      reason: `more than ${policy.effectiveDates.maxDaysAhead} days ahead`,
    });
  }
  return maxInstant(at, now);
}

function earlyTerminationFee(line: Line, policy: Policy, effectiveAt: Instant): Minor {
  const end = line.contract.minimumTermEndsAt;
  if (!end || end <= effectiveAt) return 0;
  const rule = policy.earlyTerminationFee;
  if (rule.rule === 'none') return 0;
  if (rule.rule === 'fixed') return rule.amount;
  const monthsLeft = Math.ceil((ms(end) - ms(effectiveAt)) / (30 * 86_400_000));
  const fee = Math.round(monthsLeft * line.monthlyFee * rule.shareOfMonthlyFee);
  return rule.cap === undefined ? fee : Math.min(fee, rule.cap);
}

/** The current period's fee for the days used up to the effective date (services rendered). */
function finalUsage(line: Line, effectiveAt: Instant): Minor {
  const start = ms(line.periodStart);
  const end = ms(line.periodEnd);
  return prorate(line.monthlyFee, ms(effectiveAt) - start, end - start);
}

/**
 * `sharedAccount`: other lines still live on the same account. Their credit is
 * theirs too, so nothing is refunded; the remaining balance stays on the account.
 */
export function quote(line: Line, account: Account, policy: Policy, effectiveAt: Instant, sharedAccount = false): Quote {
  const usage = finalUsage(line, effectiveAt);
  const fee = earlyTerminationFee(line, policy, effectiveAt);
  const instalments = line.contract.instalmentsLeft;
  const finalInvoice = usage + fee + instalments;
  const after = account.balance - finalInvoice;
  const refundable =
    !sharedAccount && policy.refund.positiveBalance === 'refund' && after >= Math.max(1, policy.refund.minimumAmount) ? after : 0;
  return {
    currency: account.currency,
    balance: account.balance,
    owed: Math.max(0, -account.balance),
    finalUsage: usage,
    earlyTerminationFee: fee,
    instalmentsLeft: instalments,
    finalInvoice,
    refund: refundable,
    owedAfter: Math.max(0, -after),
  };
}

export function identityRequired(customer: Customer, policy: Policy, channel: Channel): boolean {
  return policy.identity.requiredOn[channel] || (policy.identity.foreignersAlways && customer.foreigner);
}

/**
 * Other active or suspended lines on a line's account, from the account's
 * count of such lines (which includes this line only while it is itself
 * active or suspended).
 */
export function otherLiveLines(liveOnAccount: number, line: Line): number {
  const self = line.state === 'active' || line.state === 'suspended' ? 1 : 0;
  return Math.max(0, liveOnAccount - self);
}

export function blockersFor(input: Omit<PreviewInput, 'effective' | 'now' | 'otherLiveLines'>, q: Quote): Blocker[] {
  const { line, customer, policy, authority } = input;
  const found: Blocker[] = [];
  if (q.owed > 0) found.push({ code: 'UNPAID_BALANCE', amount: q.owed });
  if (!customer.identityVerifiedAt && identityRequired(customer, policy, input.channel)) {
    found.push({ code: 'IDENTITY_NOT_VERIFIED' });
  }
  if (q.earlyTerminationFee > 0 && !input.feeAccepted) {
    found.push({ code: 'EARLY_TERMINATION_FEE_NOT_ACCEPTED', amount: q.earlyTerminationFee });
  }
  if (q.instalmentsLeft > 0 && !input.instalmentsAccepted) {
    found.push({ code: 'DEVICE_INSTALMENTS_OUTSTANDING', amount: q.instalmentsLeft });
  }
  if (line.state === 'suspended') found.push({ code: 'LINE_NOT_ACTIVE' });
  if (line.portOutRequestedAt) found.push({ code: 'PORT_OUT_IN_PROGRESS' });
  if (line.legalHoldAt) found.push({ code: 'LEGAL_HOLD' });
  return authority === 'operator' ? found.filter((b) => HARD_BLOCKERS.includes(b.code)) : found;
}

function warningsFor(input: PreviewInput, q: Quote, quarantineEndsAt: Instant): Warning[] {
  const { line, policy } = input;
  const found: Warning[] = [];
  if (line.dataLeftMb > 0) found.push({ code: 'DATA_WILL_BE_LOST', dataLeftMb: line.dataLeftMb });
  if (q.finalInvoice > 0) found.push({ code: 'FINAL_INVOICE', amount: q.finalInvoice });
  if (q.refund > 0) found.push({ code: 'BALANCE_WILL_BE_REFUNDED', amount: q.refund, method: policy.refund.method });
  else if (input.otherLiveLines > 0 && q.balance - q.finalInvoice > 0) {
    found.push({ code: 'BALANCE_STAYS_ON_ACCOUNT', amount: q.balance - q.finalInvoice });
  } else if (q.balance - q.finalInvoice > 0) {
    found.push({ code: 'BALANCE_WILL_NOT_BE_REFUNDED', amount: q.balance - q.finalInvoice });
  }
  found.push({ code: 'NUMBER_RECYCLED_AFTER', date: quarantineEndsAt });
  found.push({ code: 'EXPORT_DATA_AND_CONTACTS' });
  found.push({ code: 'MOVE_LOGINS_OFF_NUMBER' });
  if (line.simType === 'sim') found.push({ code: 'REMOVE_SIM_PIN' });
  else if (!input.esimState || isEsimOnDevice(input.esimState)) found.push({ code: 'DELETE_ESIM_ON_DEVICE' });
  return found;
}

/**
 * What ending this line would mean, as facts: amounts, dates, blockers and
 * warnings. Pure: the caller passes the clock. Cooling-off applies only to a
 * subscriber's own request and pushes the effective instant back so a
 * fraudulent request can still be withdrawn.
 */
export function preview(input: PreviewInput): Preview {
  const { line, account, policy, now } = input;
  const chosen = resolveEffectiveAt(input.effective, line, policy, now);
  const coolingOffHours = input.authority === 'subscriber' ? policy.coolingOffHours[input.channel] : 0;
  const coolingOffEndsAt = addHours(now, coolingOffHours);
  const effectiveAt = maxInstant(chosen, coolingOffEndsAt);
  const quarantineEndsAt = addDays(effectiveAt, policy.quarantine.days);
  const q = quote(line, account, policy, effectiveAt, input.otherLiveLines > 0);
  const options = policy.effectiveDates.allowed.map((mode) => ({
    mode,
    at: mode === 'date' ? null : maxInstant(resolveEffectiveAt({ mode }, line, policy, now), coolingOffEndsAt),
  }));
  return {
    effectiveMode: input.effective.mode,
    effectiveAt,
    coolingOffEndsAt,
    quarantineEndsAt,
    dataLeftMb: line.dataLeftMb,
    quote: q,
    charges: chargesOf(q, line.contract.minimumTermEndsAt),
    blockers: blockersFor(input, q),
    warnings: warningsFor(input, q, quarantineEndsAt),
    effectiveOptions: options,
  };
}
