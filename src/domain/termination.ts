/**
 * The termination lifecycle (DESIGN §2), top to bottom:
 *
 *   requested ──(blockers)──▶ blocked ──(all resolved)──▶ awaiting_confirmation
 *   requested ──(none)──────────────────────────────────▶ awaiting_confirmation
 *   awaiting_confirmation ──(timeout)──▶ expired
 *   awaiting_confirmation ──(confirm: OTP or agent check)──▶ scheduled
 *   scheduled ──(withdraw before effective_at)──▶ withdrawn
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
import type { EffectiveMode } from './policy.ts';
import type { Blocker, Quote, Warning } from './preview.ts';
import { assertTransition, type TransitionTable } from './state-machine.ts';
import type { Instant } from './time.ts';

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
  blocked: ['awaiting_confirmation', 'rejected'],
  awaiting_confirmation: ['scheduled', 'expired', 'rejected'],
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
  readonly updatedAt: Instant;
}

/** One recorded change of state: who, when, through which channel and why. */
export interface StateEvent {
  readonly entityType: 'termination' | 'line' | 'number' | 'sim' | 'esim' | 'account' | 'customer' | 'reclaim';
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

/**
 * The code an order awaiting confirmation is confirmed with, sent by SMS to the
 * line whenever the order enters `awaiting_confirmation` (at once, or once its
 * blockers are resolved). A cancellation without signing in has its own code
 * and page; one whose SIM is lost gets none (a code would reach whoever holds
 * the SIM): an agent checks the holder's identity instead.
 */
export function confirmationCodeFor(t: Pick<Termination, 'reason'>): 'confirm_termination' | 'cancel_without_signin' | null {
  if (t.reason === SIM_LOST_REASON) return null;
  if (t.reason === PUBLIC_CANCELLATION_REASON) return 'cancel_without_signin';
  return 'confirm_termination';
}

export function nextStep(termination: Termination): ExecutionStep | undefined {
  return EXECUTION_STEPS[termination.steps.length];
}
