import type { Actor, Authority, Channel } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Line } from '../domain/model.ts';
import { type EffectiveChoice, otherLiveLines, preview } from '../domain/preview.ts';
import { referenceIssuer } from '../domain/reference.ts';
import { blockedExpiresAt, confirmationCodeFor, type StateEvent, type Termination, transition } from '../domain/termination.ts';
import { addMinutes } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { reserveSequence } from '../store/counters.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { enqueueJobs, type NewJob } from '../store/jobs.repository.ts';
import { esimsByIccid, latestLinesByMsisdn, liveLineCounts, liveLinesByMsisdn, lockLinesById } from '../store/lines.repository.ts';
import { accountsById, customersById, markIdentityVerified } from '../store/parties.repository.ts';
import { bulkKeysTaken, insertTerminations, openTerminationsByLine } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import { toAllContacts } from './messages.ts';
import { issueOtpsIn, type OtpRequest } from './otp.ts';
import { setLineStates } from './line-state.ts';

export interface TerminationRequest {
  readonly lineId?: string;
  readonly msisdn?: string;
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
  /** An agent checked the holder's identity document: recorded, in the same transaction, only if the order is created. */
  readonly identityChecked?: boolean;
  /** How long the subscriber has to confirm, when not the policy's default (an identity check at a shop takes days). */
  readonly confirmWithinMinutes?: number;
  /** An address given with the request (cancelling without signing in): the receipt goes there too. */
  readonly extraEmail?: string;
  /** For bulk files: the same key never creates a second order. */
  readonly bulkKey?: string;
}

export type RequestOutcome =
  /** `codeSentUntil`: the order awaits the code just sent by SMS to its line, valid until then. */
  | { readonly kind: 'created'; readonly termination: Termination; readonly codeSentUntil?: string | null }
  | { readonly kind: 'existing'; readonly termination: Termination }
  | { readonly kind: 'error'; readonly error: AppError };

export const TERMINATION_SEQUENCE = 'termination';

/**
 * Creates termination orders for a batch of requests in one transaction:
 * loads every line, account and customer the batch touches with one query
 * each, runs the pure preview, records each transition and the jobs that
 * follow. An outcome per request, in order; a bad request does not stop the others.
 */
export async function requestTerminations(ctx: AppContext, requests: readonly TerminationRequest[]): Promise<RequestOutcome[]> {
  return inTransaction(ctx.store, (tx) => requestInTransaction(ctx, tx, requests));
}

async function resolveLines(tx: Tx, requests: readonly TerminationRequest[]) {
  const byId = await lockLinesById(
    tx,
    requests.flatMap((r) => (r.lineId ? [r.lineId] : [])),
  );
  const msisdns = requests.flatMap((r) => (!r.lineId && r.msisdn ? [r.msisdn] : []));
  const byMsisdn = await liveLinesByMsisdn(tx, msisdns);
  const missing = msisdns.filter((m) => !byMsisdn.has(m));
  const former = missing.length > 0 ? await latestLinesByMsisdn(tx, missing) : new Map<string, Line>();
  return (r: TerminationRequest): Line => {
    const line = r.lineId ? byId.get(r.lineId) : r.msisdn ? byMsisdn.get(r.msisdn) : undefined;
    if (line) return line;
    if (r.msisdn && former.has(r.msisdn)) throw new AppError('LINE_ALREADY_TERMINATED', {});
    throw new AppError('LINE_NOT_FOUND', { input: r.lineId ?? r.msisdn ?? '' });
  };
}

export async function requestInTransaction(ctx: AppContext, tx: Tx, requests: readonly TerminationRequest[]): Promise<RequestOutcome[]> {
  const now = ctx.clock();
  const { policy } = ctx;
  const lineFor = await resolveLines(tx, requests);
  const taken = await bulkKeysTaken(tx, requests.flatMap((r) => (r.bulkKey ? [r.bulkKey] : [])));

  const outcomes: (RequestOutcome | { kind: 'pending'; line: Line })[] = requests.map((r) => {
    if (r.bulkKey && taken.has(r.bulkKey)) return { kind: 'existing', termination: taken.get(r.bulkKey) as Termination };
    try {
      return { kind: 'pending', line: lineFor(r) };
    } catch (e) {
      if (e instanceof AppError) return { kind: 'error', error: e };
      throw e;
    }
  });
  const pendingLines = outcomes.flatMap((o) => (o.kind === 'pending' ? [o.line] : []));
  const [open, accounts, customers, esims, liveCounts] = await Promise.all([
    openTerminationsByLine(tx, pendingLines.map((l) => l.id)),
    accountsById(tx, pendingLines.map((l) => l.accountId)),
    customersById(tx, pendingLines.map((l) => l.customerId)),
    esimsByIccid(tx, pendingLines.filter((l) => l.simType === 'esim').map((l) => l.iccid)),
    liveLineCounts(tx, pendingLines.map((l) => l.accountId)),
  ]);

  const count = outcomes.filter((o) => o.kind === 'pending').length;
  let sequence = count > 0 ? await reserveSequence(tx, TERMINATION_SEQUENCE, count) : 0;
  const issuer = referenceIssuer(ctx.secrets.referenceKey);
  const created: { termination: Termination; bulkKey: string | null }[] = [];
  const events: StateEvent[] = [];
  const jobs: NewJob[] = [];
  const lineChanges: { line: Line; to: 'termination_scheduled'; termination: Termination }[] = [];
  const messages = [];
  const linesInBatch = new Set<string>();
  const verifiedNow: { customerId: string; actor: Actor }[] = [];
  const codes: { index: number; request: OtpRequest }[] = [];

  for (let i = 0; i < requests.length; i++) {
    const outcome = outcomes[i];
    const request = requests[i];
    if (!outcome || !request || outcome.kind !== 'pending') continue;
    const reference = issuer.issue('TRM', sequence++);
    const { line } = outcome;
    try {
      const existing = open.get(line.id);
      if (existing) throw new AppError('TERMINATION_ALREADY_OPEN', { reference: existing.reference });
      if (linesInBatch.has(line.id)) throw new AppError('TERMINATION_ALREADY_OPEN', { reference: 'in this batch' });
      if (line.state === 'terminated') throw new AppError('LINE_ALREADY_TERMINATED', {});
      const account = accounts.get(line.accountId);
      const known = customers.get(line.customerId);
      if (!account || !known) throw new AppError('ACCOUNT_NOT_FOUND', { input: line.accountId });
      const customer = request.identityChecked && !known.identityVerifiedAt ? { ...known, identityVerifiedAt: now } : known;
      const facts = preview({
        line,
        account,
        customer,
        esimState: esims.get(line.iccid)?.state ?? null,
        policy,
        channel: request.channel,
        authority: request.authority,
        effective: request.effective,
        feeAccepted: Boolean(request.chargesAccepted),
        instalmentsAccepted: Boolean(request.chargesAccepted),
        otherLiveLines: otherLiveLines(liveCounts.get(line.accountId) ?? 0, line),
        now,
      });
      let termination: Termination = {
        id: newId('trm'),
        reference,
        lineId: line.id,
        customerId: line.customerId,
        accountId: line.accountId,
        msisdn: line.msisdn,
        simType: line.simType,
        channel: request.channel,
        authority: request.authority,
        requestedBy: request.actor,
        reason: request.reason ?? null,
        state: 'requested',
        effectiveMode: request.effective.mode,
        effectiveAt: facts.effectiveAt,
        requestedAt: now,
        confirmBy: null,
        confirmedAt: null,
        completedAt: null,
        blockers: facts.blockers,
        warnings: facts.warnings,
        quote: facts.quote,
        feeAcceptedAt: request.chargesAccepted ? now : null,
        instalmentsAcceptedAt: request.chargesAccepted ? now : null,
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
      events.push({
        entityType: 'termination',
        entityId: termination.id,
        action: 'transition',
        from: null,
        to: 'requested',
        actor: request.actor,
        at: now,
        reason: request.reason ?? null,
        data: { reference, line: line.id, effective: facts.effectiveAt, authority: request.authority },
      });
      const step = (to: Termination['state'], reason: string | null, data: Record<string, unknown> | null = null) => {
        const moved = transition(termination, to, request.actor, now, reason, data);
        termination = moved.termination;
        events.push(moved.event);
      };
      if (facts.blockers.length > 0) {
        step('blocked', null, { blockers: facts.blockers.map((b) => b.code) });
      } else {
        step('awaiting_confirmation', null);
        if (request.confirmNow) {
          step('scheduled', 'confirmed by the requester', null);
          termination = { ...termination, confirmedAt: now };
        }
      }
      if (termination.state === 'awaiting_confirmation') {
        termination = { ...termination, confirmBy: addMinutes(now, request.confirmWithinMinutes ?? policy.confirmation.expiryMinutes) };
        jobs.push({ kind: 'termination.expire', key: `expire:${termination.id}`, subject: termination.id, runAt: termination.confirmBy ?? now });
      }
      if (termination.state === 'blocked') {
        // Nothing waits for ever: a request still blocked after the policy's days expires (confirmBy says when).
        termination = { ...termination, confirmBy: blockedExpiresAt(termination, policy) };
        jobs.push({ kind: 'termination.expire', key: `expire-blocked:${termination.id}`, subject: termination.id, runAt: termination.confirmBy ?? now });
      }
      if (termination.state === 'scheduled') {
        jobs.push({ kind: 'termination.execute', key: `execute:${termination.id}`, subject: termination.id, runAt: termination.effectiveAt });
        lineChanges.push({ line, to: 'termination_scheduled', termination });
      }
      if (customer !== known) verifiedNow.push({ customerId: customer.id, actor: request.actor });
      linesInBatch.add(line.id);
      created.push({ termination, bulkKey: request.bulkKey ?? null });
      // Every contact the customer has hears of the request at once; an address typed with the request too.
      // A blocked or waiting order can be withdrawn at once; a scheduled one until it takes effect. One awaiting its code also lapses at confirmBy.
      const received = {
        reference,
        msisdn: line.msisdn,
        state: termination.state,
        effectiveAt: termination.effectiveAt,
        withdrawUntil: termination.state === 'scheduled' ? termination.effectiveAt : null,
        confirmBy: termination.state === 'awaiting_confirmation' ? termination.confirmBy : null,
        requestedAt: now,
      };
      messages.push(...toAllContacts(customer, line, 'termination.requested', reference, received, termination.id));
      if (request.extraEmail && request.extraEmail !== customer.email) {
        const copy = toAllContacts({ ...customer, email: request.extraEmail }, line, 'termination.requested', reference, received, termination.id).filter((m) => m.medium === 'email');
        messages.push(...copy.map((m) => ({ ...m, key: `${m.key}:given` })));
      }
      outcomes[i] = { kind: 'created', termination };
      // Every way into awaiting_confirmation sends the code it waits for, in this transaction.
      const purpose = termination.state === 'awaiting_confirmation' ? confirmationCodeFor(termination) : null;
      if (purpose) codes.push({ index: i, request: { customerId: customer.id, purpose, subject: reference, msisdn: line.msisdn, language: customer.language } });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      outcomes[i] = { kind: 'error', error: e };
    }
  }

  for (const v of verifiedNow) {
    await markIdentityVerified(tx, v.customerId, now);
    events.push({ entityType: 'customer', entityId: v.customerId, action: 'identity_verified', from: null, to: null, actor: v.actor, at: now, reason: 'document checked by an agent', data: null });
  }
  await insertTerminations(tx, created);
  events.push(...(await setLineStates(tx, lineChanges.map((c) => ({ line: c.line, to: c.to, actor: c.termination.requestedBy, reason: c.termination.reference })), now)));
  await enqueueJobs(tx, jobs, policy.worker.maxAttempts, now);
  await ctx.adapters.notifier.enqueue(tx, messages, now);
  const issued = await issueOtpsIn(ctx, tx, codes.map((c) => c.request), { replace: false });
  codes.forEach((c, n) => {
    const outcome = outcomes[c.index];
    if (outcome?.kind === 'created') outcomes[c.index] = { ...outcome, codeSentUntil: issued[n]?.expiresAt ?? null };
  });
  await appendAudit(tx, events);
  return outcomes as RequestOutcome[];
}

