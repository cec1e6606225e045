/**
 * The termination lifecycle (DESIGN §2), top to bottom:
 *
 *   requested ──(blockers)──▶ blocked ──(all resolved; the code is sent)──▶ awaiting_confirmation
 *   requested ──(none; the code is sent)────────────────────────────────▶ awaiting_confirmation
 *   blocked ──(policy confirmation.blockedExpiryDays pass)──▶ expired
 *   awaiting_confirmation ──(timeout)──▶ expired
 *   awaiting_confirmation ──(confirm: OTP or agent check)──▶ scheduled
 *   blocked | awaiting_confirmation ──(withdraw, or "not me")──▶ withdrawn
 *   scheduled ──(withdraw or "not me" before effective_at)──▶ withdrawn
 *   ("not me" sets disownedAt and puts an alert in the back office's queue)
 *   scheduled ──(effective_at reached)──▶ executing
 *   executing ──(a step keeps failing)──▶ needs_attention ──(retry)──▶ executing
 *   executing ──(all steps done)──▶ completed
 *   requested | blocked | awaiting_confirmation ──(an agent or fraud check refuses)──▶ rejected
 *
 * `transition()` is the only way a termination changes state; it refuses
 * anything this table does not list and returns the event to record.
 */
import type { Actor, Authority, Channel } from './channels.ts';
import type { SimType } from './inventory.ts';
import type { LineState } from './inventory.ts';
import type { Minor } from './money.ts';
import type { EffectiveMode, Policy } from './policy.ts';
import type { Blocker, Quote, Warning } from './preview.ts';
import type { SmsPreviewFacts } from './sms-commands.ts';
import { assertTransition, type TransitionTable } from './state-machine.ts';
import { addDays, type Instant } from './time.ts';

export const TERMINATION_STATES = [
  'requested',
  'blocked',
  'awaiting_confirmation',
  'scheduled',
  'executing',
  'needs_attention',
  'completed',
  'expired',
  'withdrawn',
  'rejected',
] as const;
export type TerminationState = (typeof TERMINATION_STATES)[number];

export const terminationTransitions: TransitionTable<TerminationState> = {
  requested: ['blocked', 'awaiting_confirmation', 'rejected'],
  blocked: ['awaiting_confirmation', 'withdrawn', 'expired', 'rejected'],
  awaiting_confirmation: ['scheduled', 'withdrawn', 'expired', 'rejected'],
  scheduled: ['withdrawn', 'executing'],
  executing: ['needs_attention', 'completed'],
  needs_attention: ['executing'],
  completed: [],
  expired: [],
  withdrawn: [],
  rejected: [],
};

export const FINAL_TERMINATION_STATES: readonly TerminationState[] = ['completed', 'expired', 'withdrawn', 'rejected'];
export const isOpenTermination = (state: TerminationState): boolean => !FINAL_TERMINATION_STATES.includes(state);

/**
 * Execution steps in order. Each is one side effect, run by a durable job, keyed
 * by (order, step) so a retry after a crash neither repeats nor skips it.
 */
export const EXECUTION_STEPS = ['network.bar', 'sim.release', 'billing.settle', 'number.quarantine', 'notify.completed'] as const;
export type ExecutionStep = (typeof EXECUTION_STEPS)[number];

export interface StepResult {
  readonly step: ExecutionStep;
  readonly at: Instant;
  readonly outcome: string;
}

export interface Termination {
  readonly id: string;
  readonly reference: string;
  readonly lineId: string;
  readonly customerId: string;
  readonly accountId: string;
  readonly msisdn: string;
  readonly simType: SimType;
  readonly channel: Channel;
  readonly authority: Authority;
  readonly requestedBy: Actor;
  readonly reason: string | null;
  readonly state: TerminationState;
  readonly effectiveMode: EffectiveMode;
  readonly effectiveAt: Instant;
  readonly requestedAt: Instant;
  readonly confirmBy: Instant | null;
  readonly confirmedAt: Instant | null;
  readonly completedAt: Instant | null;
  readonly blockers: readonly Blocker[];
  readonly warnings: readonly Warning[];
  readonly quote: Quote;
  readonly feeAcceptedAt: Instant | null;
  readonly instalmentsAcceptedAt: Instant | null;
  /** What the final invoice took and what was paid back, once settled. */
  readonly amountSettled: Minor | null;
  readonly amountRefunded: Minor | null;
  readonly quarantineUntil: Instant | null;
  /** Whether the physical SIM was handed in at a shop (else it is recorded destroyed). */
  readonly simCollected: boolean;
  readonly lineStateBefore: LineState;
  readonly steps: readonly StepResult[];
  readonly lastError: string | null;
  /** When the holder said the request was not theirs ("not me"): withdrawn, and the back office alerted. */
  readonly disownedAt: Instant | null;
  readonly updatedAt: Instant;
}

/** One recorded change of state: who, when, through which channel and why. */
export interface StateEvent {
  readonly entityType: 'termination' | 'line' | 'number' | 'sim' | 'esim' | 'account' | 'customer' | 'reclaim' | 'clock' | 'job' | 'shop' | 'shop_ticket' | 'webhook_subscription' | 'staff' | 'api_key' | 'reassigned_numbers_query';
  readonly entityId: string;
  readonly action: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly actor: Actor;
  readonly at: Instant;
  readonly reason: string | null;
  readonly data: Readonly<Record<string, unknown>> | null;
}

export function transition(
  termination: Termination,
  to: TerminationState,
  actor: Actor,
  at: Instant,
  reason: string | null = null,
  data: Readonly<Record<string, unknown>> | null = null,
): { termination: Termination; event: StateEvent } {
  assertTransition('termination', terminationTransitions, termination.state, to);
  return {
    termination: { ...termination, state: to, updatedAt: at },
    event: {
      entityType: 'termination',
      // The order's time-ordered id, not its scrambled reference: the audit log's
      // index on entities then grows at its end. The first entry names the reference.
      entityId: termination.id,
      action: 'transition',
      from: termination.state,
      to,
      actor,
      at,
      reason,
      data,
    },
  };
}

/** Why an order was made without signing in; the same words name how it is confirmed (see confirmationCodeFor). */
export const PUBLIC_CANCELLATION_REASON = 'cancelled without signing in';
export const SIM_LOST_REASON = 'cancelled without signing in; SIM lost: identity check before execution';
/** Asked for by texting the keyword from the line (text-to-cancel): its code comes with the preview, by SMS, and is texted back. */
export const SMS_CANCELLATION_REASON = 'cancelled by text message from the line';

/**
 * The code an order awaiting confirmation is confirmed with, sent by SMS to the
 * line whenever the order enters `awaiting_confirmation` (at once, or once its
 * blockers are resolved). A cancellation without signing in has its own code
 * and page; one whose SIM is lost gets none (a code would reach whoever holds
 * the SIM): an agent checks the holder's identity instead.
 */
export function confirmationCodeFor(t: Pick<Termination, 'reason'>): CodePurpose | null {
  if (t.reason === SIM_LOST_REASON) return null;
  if (t.reason === SMS_CANCELLATION_REASON) return 'sms_cancel';
  if (t.reason === PUBLIC_CANCELLATION_REASON) return 'cancel_without_signin';
  return 'confirm_termination';
}

export type CodePurpose = 'confirm_termination' | 'cancel_without_signin' | 'sms_cancel';

/** What the text-to-cancel reply states besides its code (see SmsPreviewFacts): the order's date, sums and data lost. */
export function smsPreviewOf(t: Pick<Termination, 'effectiveAt' | 'quote' | 'warnings'>): Omit<SmsPreviewFacts, 'code'> {
  const data = t.warnings.find((w) => w.code === 'DATA_WILL_BE_LOST');
  return { effectiveAt: t.effectiveAt, currency: t.quote.currency, owed: t.quote.owedAfter, refund: t.quote.refund, dataLeftMb: data?.dataLeftMb ?? 0 };
}

/** The reason recorded when the holder says a request is not theirs. */
export const NOT_ME_REASON = 'not me: the holder did not ask for this';

/** The states the holder (or an integrator's cancelProductOrder) may withdraw from; `scheduled` only before effective_at. */
export const WITHDRAWABLE_STATES: readonly TerminationState[] = ['blocked', 'awaiting_confirmation', 'scheduled'];

export function mayWithdraw(t: Pick<Termination, 'state' | 'effectiveAt'>, now: Instant): boolean {
  return WITHDRAWABLE_STATES.includes(t.state) && (t.state !== 'scheduled' || t.effectiveAt > now);
}

/** A blocked order lapses this long after it was requested (policy `confirmation.blockedExpiryDays`, default 30). */
export const DEFAULT_BLOCKED_EXPIRY_DAYS = 30;

export function blockedExpiresAt(t: Pick<Termination, 'requestedAt'>, policy: Pick<Policy, 'confirmation'>): Instant {
  return addDays(t.requestedAt, policy.confirmation.blockedExpiryDays ?? DEFAULT_BLOCKED_EXPIRY_DAYS);
}

/** What the holder sees of the execution, step by step, as it happens. */
export const PROGRESS_STEPS = ['barred', 'sim_released', 'esim_released', 'settled', 'number_kept', 'notified'] as const;
export type ProgressStep = (typeof PROGRESS_STEPS)[number];

export interface Progress {
  readonly step: ProgressStep;
  /** done: recorded; failed: the step the order stopped at (needs_attention); pending: not yet. */
  readonly state: 'done' | 'failed' | 'pending';
  readonly at: Instant | null;
  /** number_kept: until when the number is held for its former holder (the quarantine's end). */
  readonly until?: Instant | null;
}

const PROGRESS_OF: Record<ExecutionStep, (t: Termination) => ProgressStep> = {
  'network.bar': () => 'barred',
  'sim.release': (t) => (t.simType === 'esim' ? 'esim_released' : 'sim_released'),
  'billing.settle': () => 'settled',
  'number.quarantine': () => 'number_kept',
  'notify.completed': () => 'notified',
};

/** The execution steps of an order that has been confirmed, each done (with when), failed or still pending; none before. */
export function progressOf(t: Termination): Progress[] {
  if (!['scheduled', 'executing', 'needs_attention', 'completed'].includes(t.state)) return [];
  return EXECUTION_STEPS.map((step, i) => {
    const done = t.steps.find((s) => s.step === step);
    const state = done ? 'done' : t.state === 'needs_attention' && i === t.steps.length ? 'failed' : 'pending';
    return { step: PROGRESS_OF[step](t), state, at: done?.at ?? null, ...(step === 'number.quarantine' ? { until: t.quarantineUntil } : {}) };
  });
}

export function nextStep(termination: Termination): ExecutionStep | undefined {
  return EXECUTION_STEPS[termination.steps.length];
}
