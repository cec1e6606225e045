/**
 * Whether and how a termination order is created, as a pure decision: the
 * application loads the facts, calls `decideRequest` and saves what it returns.
 * A new channel is a value of `Channel` (its cooling-off and identity rules
 * come from the policy), not a new branch here.
 */
import type { Actor, Authority, Channel } from './channels.ts';
import { type CodeIntent, type JobIntent, type LineChange, type Notice, type Refused, refusing, toAllContacts } from './effects.ts';
import { AppError } from './errors.ts';
import type { EsimState } from './inventory.ts';
import type { Account, Customer, Line } from './model.ts';
import type { Policy } from './policy.ts';
import { type EffectiveChoice, preview } from './preview.ts';
import { blockedExpiresAt, confirmationCodeFor, smsPreviewOf, type StateEvent, type Termination, transition } from './termination.ts';
import { addMinutes, type Instant } from './time.ts';

/** What was asked, through which channel, by whom: the same for every channel. */
export interface RequestIntent {
  readonly channel: Channel;
  readonly authority: Authority;
  readonly actor: Actor;
  readonly effective: EffectiveChoice;
  readonly reason?: string | null;
  /** The requester's identity was already checked (agent check, back office): confirm at once when nothing blocks. */
  readonly confirmNow?: boolean;
  /** The subscriber accepted the early-termination fee and instalments on the final invoice. */
  readonly chargesAccepted?: boolean;
  /** A physical SIM was handed in at the counter. */
  readonly simCollected?: boolean;
  /** An agent checked the holder's identity document: recorded only if the order is created. */
  readonly identityChecked?: boolean;
  /** How long the subscriber has to confirm, when not the policy's default (an identity check at a shop takes days). */
  readonly confirmWithinMinutes?: number;
  /** An address given with the request (cancelling without signing in): the receipt goes there too. */
  readonly extraEmail?: string;
}

/** Everything the decision needs, loaded by the application. */
export interface RequestFacts {
  readonly request: RequestIntent;
  readonly line: Line;
  /** Null when the line's account or customer cannot be found. */
  readonly account: Account | null;
  readonly customer: Customer | null;
  /** The state of the line's eSIM profile; null for a physical SIM. */
  readonly esimState: EsimState | null;
  /** Other active or suspended lines on the same account. */
  readonly otherLiveLines: number;
  /** The reference of an order already open on the line (or "in this batch"), if any. */
  readonly openReference: string | null;
  /** The new order's id and reference, issued by the application. */
  readonly id: string;
  readonly reference: string;
}

export interface RequestCreated {
  readonly kind: 'created';
  /** `requested` then on to `blocked`, `awaiting_confirmation` or (confirmNow) `scheduled`. */
  readonly termination: Termination;
  /** The order's transitions, in order. */
  readonly events: readonly StateEvent[];
  readonly jobs: readonly JobIntent[];
  readonly messages: readonly Notice[];
  /** A scheduled order's line moves to `termination_scheduled`. */
  readonly lineChange: LineChange | null;
  /** The agent's document check, to record on the customer (only when it was not verified yet). */
  readonly identityVerified: StateEvent | null;
  /** The code an order awaiting confirmation waits for. */
  readonly code: CodeIntent | null;
}

export type RequestDecision = RequestCreated | Refused;

/**
 * Creates a termination order from a request, or refuses it with a stable
 * code (TERMINATION_ALREADY_OPEN, LINE_ALREADY_TERMINATED, ACCOUNT_NOT_FOUND,
 * INVALID_EFFECTIVE_DATE, …). A blocked order is created, not refused: it
 * waits for its blockers and lapses after the policy's days.
 */
export function decideRequest(facts: RequestFacts, policy: Policy, now: Instant): RequestDecision {
  return refusing(() => created(facts, policy, now));
}

function created(facts: RequestFacts, policy: Policy, now: Instant): RequestCreated {
  const { request, line, reference } = facts;
  if (facts.openReference !== null) throw new AppError('TERMINATION_ALREADY_OPEN', { reference: facts.openReference });
  if (line.state === 'terminated') throw new AppError('LINE_ALREADY_TERMINATED', {});
  const { account, customer: known } = facts;
  if (!account || !known) throw new AppError('ACCOUNT_NOT_FOUND', { input: line.accountId });
  const customer = request.identityChecked && !known.identityVerifiedAt ? { ...known, identityVerifiedAt: now } : known;
  const chargesAccepted = Boolean(request.chargesAccepted);
  const seen = preview({
    line,
    account,
    customer,
    esimState: facts.esimState,
    policy,
    channel: request.channel,
    authority: request.authority,
    effective: request.effective,
    feeAccepted: chargesAccepted,
    instalmentsAccepted: chargesAccepted,
    otherLiveLines: facts.otherLiveLines,
    now,
  });
  const reason = request.reason ?? null;
  const requested: Termination = {
    id: facts.id,
    reference,
    lineId: line.id,
    customerId: line.customerId,
    accountId: line.accountId,
    msisdn: line.msisdn,
    simType: line.simType,
    channel: request.channel,
    authority: request.authority,
    requestedBy: request.actor,
    reason,
    state: 'requested',
    effectiveMode: request.effective.mode,
    effectiveAt: seen.effectiveAt,
    requestedAt: now,
    confirmBy: null,
    confirmedAt: null,
    completedAt: null,
    blockers: seen.blockers,
    warnings: seen.warnings,
    quote: seen.quote,
    feeAcceptedAt: chargesAccepted ? now : null,
    instalmentsAcceptedAt: chargesAccepted ? now : null,
    amountSettled: null,
    amountRefunded: null,
    quarantineUntil: null,
    simCollected: Boolean(request.simCollected),
    lineStateBefore: line.state,
    steps: [],
    lastError: null,
    disownedAt: null,
    updatedAt: now,
  };
  const events: StateEvent[] = [
    {
      entityType: 'termination',
      entityId: requested.id,
      action: 'transition',
      from: null,
      to: 'requested',
      actor: request.actor,
      at: now,
      reason,
      data: { reference, line: line.id, effective: seen.effectiveAt, authority: request.authority },
    },
  ];
  let termination = requested;
  const step = (to: Termination['state'], why: string | null, data: Record<string, unknown> | null = null) => {
    const moved = transition(termination, to, request.actor, now, why, data);
    termination = moved.termination;
    events.push(moved.event);
  };
  if (seen.blockers.length > 0) {
    step('blocked', null, { blockers: seen.blockers.map((b) => b.code) });
  } else {
    step('awaiting_confirmation', null);
    if (request.confirmNow) {
      step('scheduled', 'confirmed by the requester');
      termination = { ...termination, confirmedAt: now };
    }
  }
  const jobs: JobIntent[] = [];
  let lineChange: LineChange | null = null;
  if (termination.state === 'awaiting_confirmation') {
    const confirmBy = addMinutes(now, request.confirmWithinMinutes ?? policy.confirmation.expiryMinutes);
    termination = { ...termination, confirmBy };
    jobs.push({ kind: 'termination.expire', key: `expire:${termination.id}`, subject: termination.id, runAt: confirmBy });
  } else if (termination.state === 'blocked') {
    // Nothing waits for ever: a request still blocked after the policy's days expires (confirmBy says when).
    const confirmBy = blockedExpiresAt(termination, policy);
    termination = { ...termination, confirmBy };
    jobs.push({ kind: 'termination.expire', key: `expire-blocked:${termination.id}`, subject: termination.id, runAt: confirmBy });
  } else {
    jobs.push({ kind: 'termination.execute', key: `execute:${termination.id}`, subject: termination.id, runAt: termination.effectiveAt });
    lineChange = { line, to: 'termination_scheduled', actor: request.actor, reason: reference };
  }
  const purpose = termination.state === 'awaiting_confirmation' ? confirmationCodeFor(termination) : null;
  return {
    kind: 'created',
    termination,
    events,
    jobs,
    messages: receipts(termination, customer, line, request.extraEmail),
    lineChange,
    identityVerified:
      customer === known
        ? null
        : { entityType: 'customer', entityId: customer.id, action: 'identity_verified', from: null, to: null, actor: request.actor, at: now, reason: 'document checked by an agent', data: null },
    code: purpose ? { customerId: customer.id, purpose, subject: reference, msisdn: line.msisdn, ...(purpose === 'sms_cancel' ? { preview: smsPreviewOf(termination) } : {}) } : null,
  };
}

/**
 * Every contact the customer has hears of the request at once; an address typed with the request too.
 * A blocked or waiting order can be withdrawn at once; a scheduled one until it takes effect. One awaiting its code also lapses at confirmBy.
 */
function receipts(t: Termination, customer: Customer, line: Line, extraEmail: string | undefined): Notice[] {
  const received = {
    reference: t.reference,
    msisdn: line.msisdn,
    state: t.state,
    effectiveAt: t.effectiveAt,
    withdrawUntil: t.state === 'scheduled' ? t.effectiveAt : null,
    confirmBy: t.state === 'awaiting_confirmation' ? t.confirmBy : null,
    requestedAt: t.requestedAt,
  };
  const messages = toAllContacts(customer, line, 'termination.requested', t.reference, received, t.id);
  if (extraEmail && extraEmail !== customer.email) {
    const copy = toAllContacts({ ...customer, email: extraEmail }, line, 'termination.requested', t.reference, received, t.id).filter((m) => m.medium === 'email');
    messages.push(...copy.map((m) => ({ ...m, key: `${m.key}:given` })));
  }
  return messages;
}
