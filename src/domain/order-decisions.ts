/**
 * What becomes of an existing order when someone acts on it: confirm,
 * withdraw (or "not me"), and the re-assessment after a payment, a
 * verification or accepted charges. Pure: the application loads the facts,
 * calls the decision and saves what it returns.
 */
import type { Actor } from './channels.ts';
import { type CodeIntent, type JobIntent, type LineChange, type Notice, type Refused, refusing, toAllContacts } from './effects.ts';
import { AppError } from './errors.ts';
import type { EsimState } from './inventory.ts';
import type { Account, Customer, Line } from './model.ts';
import type { Policy } from './policy.ts';
import { type Blocker, blockersFor, type Quote, quote } from './preview.ts';
import { confirmationCodeFor, mayWithdraw, NOT_ME_REASON, smsPreviewOf, type StateEvent, type Termination, transition } from './termination.ts';
import { addHours, addMinutes, type Instant, maxInstant } from './time.ts';

/** An order's line, account and customer as they stand now. */
export interface OrderFacts {
  readonly line: Line;
  readonly account: Account;
  readonly customer: Customer;
  readonly esimState: EsimState | null;
  /** Other active or suspended lines on the same account. */
  readonly otherLiveLines: number;
}

export interface Assessment {
  readonly blockers: Blocker[];
  readonly quote: Quote;
}

/** The blockers and amounts of an order as things stand now (debts paid, documents verified, holds placed). */
export function assess(t: Termination, facts: OrderFacts, policy: Policy): Assessment {
  const q = quote(facts.line, facts.account, policy, t.effectiveAt, facts.otherLiveLines > 0);
  const blockers = blockersFor(
    {
      line: facts.line,
      account: facts.account,
      customer: facts.customer,
      esimState: facts.esimState,
      policy,
      channel: t.channel,
      authority: t.authority,
      feeAccepted: t.feeAcceptedAt !== null,
      instalmentsAccepted: t.instalmentsAcceptedAt !== null,
    },
    q,
  );
  return { blockers, quote: q };
}

/** What a decision on an existing order changes; the application saves it in this order. */
export interface OrderChange {
  readonly kind: 'changed';
  readonly termination: Termination;
  readonly lineChanges: readonly LineChange[];
  /** Keys of jobs that no longer apply. */
  readonly cancelJobs: readonly string[];
  readonly jobs: readonly JobIntent[];
  readonly messages: readonly Notice[];
  /** The events of the order itself; the application adds those of the line changes after them. */
  readonly events: readonly StateEvent[];
}

export interface ConfirmFacts {
  readonly order: Termination;
  readonly actor: Actor;
  /** The order's line (locked by the application); null if it is gone. */
  readonly line: Line | null;
  readonly customer: Customer | null;
  /** For an order awaiting confirmation: its blockers as things stand now (null: nothing to look at, none found). */
  readonly current: Assessment | null;
}

/**
 * Confirms an order (the caller has checked the OTP or the agent checked the
 * passport): it is scheduled no earlier than the channel's cooling-off allows
 * and its line is marked. Refused with BLOCKERS_PRESENT when something blocks
 * it — also something new since the request (a debt, a legal hold).
 */
export function decideConfirm(facts: ConfirmFacts, policy: Policy, now: Instant): OrderChange | Refused {
  return refusing((): OrderChange => {
    const { order: t, actor, line, customer } = facts;
    if (t.state === 'blocked') throw new AppError('BLOCKERS_PRESENT', { codes: t.blockers.map((b) => b.code) });
    const blockers = t.state === 'awaiting_confirmation' ? (facts.current?.blockers ?? []) : [];
    if (blockers.length > 0) throw new AppError('BLOCKERS_PRESENT', { codes: blockers.map((b) => b.code) });
    const coolingOff = t.authority === 'subscriber' ? policy.coolingOffHours[t.channel] : 0;
    const effectiveAt = maxInstant(t.effectiveAt, addHours(now, coolingOff));
    const moved = transition({ ...t, confirmedAt: now, effectiveAt }, 'scheduled', actor, now, 'confirmed');
    if (!line) throw new AppError('LINE_NOT_FOUND', { input: t.lineId });
    const payload = { reference: t.reference, msisdn: line.msisdn, effectiveAt, withdrawUntil: effectiveAt };
    return {
      kind: 'changed',
      termination: moved.termination,
      lineChanges: [{ line, to: 'termination_scheduled', actor, reason: t.reference }],
      cancelJobs: [`expire:${t.id}`],
      jobs: [{ kind: 'termination.execute', key: `execute:${t.id}`, subject: t.id, runAt: effectiveAt }],
      messages: customer ? toAllContacts(customer, line, 'termination.scheduled', t.reference, payload, t.id) : [],
      events: [moved.event],
    };
  });
}

export interface WithdrawFacts {
  readonly order: Termination;
  readonly actor: Actor;
  readonly reason: string | null;
  /** The holder says they never asked for it. */
  readonly notMe: boolean;
  /** The order's line (locked by the application when the order is scheduled); null if it is gone. */
  readonly line: Line | null;
  readonly customer: Customer | null;
}

/** The back-office alert a "not me" raises. */
export interface AlertIntent {
  readonly kind: 'not_me';
  readonly subjectRef: string;
  readonly customerId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface WithdrawChange extends OrderChange {
  /** Raised with a "not me"; the application records `notMeReported(…)` with the alert's id. */
  readonly alert: AlertIntent | null;
}

/**
 * Withdraws an order that has not taken effect: blocked, awaiting its code, or
 * scheduled before effective_at (else COOLING_OFF_OVER or INVALID_TRANSITION).
 * A scheduled order's line goes back to the state it had. `notMe`: recorded as
 * such (disownedAt, the reason "not me") and put in the back office's queue.
 */
export function decideWithdraw(facts: WithdrawFacts, now: Instant): WithdrawChange | Refused {
  return refusing((): WithdrawChange => {
    const { order: t, actor, notMe, line, customer } = facts;
    if (!mayWithdraw(t, now)) {
      if (t.state === 'scheduled' || t.state === 'executing' || t.state === 'needs_attention' || t.state === 'completed') throw new AppError('COOLING_OFF_OVER', { effectiveAt: t.effectiveAt });
      throw new AppError('INVALID_TRANSITION', { entity: 'termination', from: t.state, to: 'withdrawn' });
    }
    const why = notMe ? NOT_ME_REASON : (facts.reason ?? 'withdrawn by the requester');
    const moved = transition({ ...t, disownedAt: notMe ? now : t.disownedAt }, 'withdrawn', actor, now, why, notMe ? { notMe: true, stateBefore: t.state } : null);
    const lineChanges: LineChange[] = [];
    if (t.state === 'scheduled') {
      if (!line) throw new AppError('LINE_NOT_FOUND', { input: t.lineId });
      lineChanges.push({ line, to: t.lineStateBefore === 'suspended' ? 'suspended' : 'active', actor, reason: t.reference });
    }
    const payload = { reference: t.reference, msisdn: t.msisdn, withdrawnAt: now, notMe: notMe ? 'yes' : 'no' };
    return {
      kind: 'changed',
      termination: moved.termination,
      lineChanges,
      cancelJobs: [`execute:${t.id}`, `expire:${t.id}`, `expire-blocked:${t.id}`],
      jobs: [],
      messages: customer && line ? toAllContacts(customer, { msisdn: t.msisdn }, 'termination.withdrawn', t.reference, payload, t.id) : [],
      events: [moved.event],
      alert: notMe
        ? {
            kind: 'not_me',
            subjectRef: t.reference,
            customerId: t.customerId,
            data: { msisdn: t.msisdn, channel: t.channel, requestedBy: t.requestedBy, stateBefore: t.state, requestedAt: t.requestedAt },
          }
        : null,
    };
  });
}

export interface RejectFacts {
  readonly order: Termination;
  readonly actor: Actor;
  readonly reason: string;
  readonly line: Line | null;
  readonly customer: Customer | null;
}

/** An agent or a fraud check refuses an order that is not confirmed yet; its expiry jobs go, the holder is told. */
export function decideReject(facts: RejectFacts, now: Instant): OrderChange | Refused {
  return refusing((): OrderChange => {
    const { order: t, actor, line, customer } = facts;
    const moved = transition(t, 'rejected', actor, now, facts.reason);
    const payload = { reference: t.reference, msisdn: t.msisdn, rejectedAt: now };
    return {
      kind: 'changed',
      termination: moved.termination,
      lineChanges: [],
      cancelJobs: [`expire:${t.id}`, `expire-blocked:${t.id}`],
      jobs: [],
      messages: customer && line ? toAllContacts(customer, { msisdn: t.msisdn }, 'termination.rejected', t.reference, payload, t.id) : [],
      events: [moved.event],
    };
  });
}

/** The audit entry of a "not me", naming the back-office alert it raised. */
export function notMeReported(t: Termination, actor: Actor, now: Instant, alert: unknown): StateEvent {
  return { entityType: 'termination', entityId: t.id, action: 'not_me_reported', from: null, to: null, actor, at: now, reason: NOT_ME_REASON, data: { alert } };
}

/**
 * The subscriber accepts the early-termination fee and the device instalments
 * on the final invoice, before the order is confirmed; the order is then
 * re-assessed (`decideReassess`). Returns the accepted order and its audit entry.
 */
export function decideAcceptCharges(t: Termination, actor: Actor, now: Instant): { kind: 'accepted'; termination: Termination; event: StateEvent } | Refused {
  if (t.state !== 'blocked' && t.state !== 'awaiting_confirmation' && t.state !== 'requested') {
    return { kind: 'refused', error: new AppError('INVALID_TRANSITION', { entity: 'termination', from: t.state, to: 'charges accepted' }) };
  }
  return {
    kind: 'accepted',
    termination: { ...t, feeAcceptedAt: t.feeAcceptedAt ?? now, instalmentsAcceptedAt: t.instalmentsAcceptedAt ?? now },
    event: { entityType: 'termination', entityId: t.id, action: 'charges_accepted', from: null, to: null, actor, at: now, reason: null, data: { fee: t.quote.earlyTerminationFee, instalments: t.quote.instalmentsLeft } },
  };
}

export interface Reassessed extends OrderChange {
  /** The code the order now waits for, when it just moved on to `awaiting_confirmation`. */
  readonly code: CodeIntent | null;
}

/**
 * An open, unconfirmed order after something changed (a payment, a
 * verification, an accepted fee): its blockers and amounts as they are now;
 * a blocked order with none left moves on to `awaiting_confirmation` by
 * itself and waits for the code it is sent.
 */
export function decideReassess(t: Termination, current: Assessment, actor: Actor, policy: Policy, now: Instant): Reassessed {
  const next: Termination = { ...t, blockers: current.blockers, quote: current.quote, updatedAt: now };
  const unchanged = { kind: 'changed', termination: next, lineChanges: [], cancelJobs: [], jobs: [], messages: [], events: [], code: null } as const;
  if (t.state !== 'blocked' || current.blockers.length > 0) return unchanged;
  const moved = transition(next, 'awaiting_confirmation', actor, now, 'all blockers resolved');
  const confirmBy = addMinutes(now, policy.confirmation.expiryMinutes);
  const waiting: Termination = { ...moved.termination, confirmBy };
  const purpose = confirmationCodeFor(waiting);
  return {
    ...unchanged,
    termination: waiting,
    cancelJobs: [`expire-blocked:${t.id}`],
    jobs: [{ kind: 'termination.expire', key: `expire:${t.id}`, subject: t.id, runAt: confirmBy }],
    events: [moved.event],
    code: purpose ? { customerId: t.customerId, purpose, subject: t.reference, msisdn: t.msisdn, ...(purpose === 'sms_cancel' ? { preview: smsPreviewOf(waiting) } : {}) } : null,
  };
}
