import type { Line } from '../domain/model.ts';
import { AppError } from '../domain/errors.ts';
import type { JobIntent, LineChange, Notice } from '../domain/effects.ts';
import { otherLiveLines } from '../domain/preview.ts';
import { referenceIssuer } from '../domain/reference.ts';
import { decideRequest, type RequestIntent } from '../domain/request-decision.ts';
import type { StateEvent, Termination } from '../domain/termination.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { reserveSequence } from '../store/counters.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { enqueueJobs } from '../store/jobs.repository.ts';
import { esimsByIccid, latestLinesByMsisdn, liveLineCounts, liveLinesByMsisdn, lockLinesById } from '../store/lines.repository.ts';
import { accountsById, customersById, lockAccountsById, markIdentityVerified } from '../store/parties.repository.ts';
import { bulkKeysTaken, insertTerminations, openTerminationsByLine } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import { issueOtpsIn, type OtpRequest } from './otp.ts';
import { lineStateEvents, setLineStates } from './line-state.ts';
import { executableNow, executeNow } from '../jobs/execute-now.ts';

/** A request for one line, named by id or number; the rest is the same for every channel. */
export interface TerminationRequest extends RequestIntent {
  readonly lineId?: string;
  readonly msisdn?: string;
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
export async function requestTerminations(ctx: AppContext, requests: readonly TerminationRequest[], options: RequestOptions = {}): Promise<RequestOutcome[]> {
  return inTransaction(ctx.store, (tx) => requestInTransaction(ctx, tx, requests, options));
}

export interface RequestOptions {
  /**
   * Orders that are due now and need no outside system are carried out in
   * this transaction (jobs/execute-now.ts) rather than queued for the worker:
   * a bulk file's orders. Their outcomes carry the final state.
   */
  readonly executeNow?: boolean;
  /**
   * The first of a block of order numbers the caller reserved beforehand, at
   * least one per request (a bulk run reserves its file's numbers at once).
   * Without it the batch reserves its own, which holds the counter's row
   * until the transaction ends: two batches could not overlap on Postgres.
   */
  readonly sequenceFrom?: number;
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

export async function requestInTransaction(ctx: AppContext, tx: Tx, requests: readonly TerminationRequest[], options: RequestOptions = {}): Promise<RequestOutcome[]> {
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
    // Orders carried out here lock their accounts now, not only when they execute: a batch running beside
    // another (a bulk run on Postgres) then reads balances and line counts after the other has committed.
    (options.executeNow ? lockAccountsById : accountsById)(tx, pendingLines.map((l) => l.accountId)),
    customersById(tx, pendingLines.map((l) => l.customerId)),
    esimsByIccid(tx, pendingLines.filter((l) => l.simType === 'esim').map((l) => l.iccid)),
    liveLineCounts(tx, pendingLines.map((l) => l.accountId)),
  ]);

  let sequence = pendingLines.length === 0 ? 0 : (options.sequenceFrom ?? (await reserveSequence(tx, TERMINATION_SEQUENCE, pendingLines.length)));
  const issuer = referenceIssuer(ctx.secrets.referenceKey);
  const created: { termination: Termination; bulkKey: string | null }[] = [];
  const events: StateEvent[] = [];
  const verified: StateEvent[] = [];
  const jobs: JobIntent[] = [];
  const lineChanges: LineChange[] = [];
  const messages: Notice[] = [];
  const linesInBatch = new Set<string>();
  const codes: { index: number; request: OtpRequest }[] = [];

  for (let i = 0; i < requests.length; i++) {
    const outcome = outcomes[i];
    const request = requests[i];
    if (!outcome || !request || outcome.kind !== 'pending') continue;
    const { line } = outcome;
    const customer = customers.get(line.customerId) ?? null;
    const decision = decideRequest(
      {
        request,
        line,
        account: accounts.get(line.accountId) ?? null,
        customer,
        esimState: esims.get(line.iccid)?.state ?? null,
        otherLiveLines: otherLiveLines(liveCounts.get(line.accountId) ?? 0, line),
        openReference: open.get(line.id)?.reference ?? (linesInBatch.has(line.id) ? 'in this batch' : null),
        id: newId('trm'),
        reference: issuer.issue('TRM', sequence++),
      },
      policy,
      now,
    );
    if (decision.kind === 'refused') {
      outcomes[i] = { kind: 'error', error: decision.error };
      continue;
    }
    const { termination } = decision;
    linesInBatch.add(line.id);
    created.push({ termination, bulkKey: request.bulkKey ?? null });
    events.push(...decision.events);
    jobs.push(...decision.jobs);
    messages.push(...decision.messages);
    if (decision.lineChange) lineChanges.push(decision.lineChange);
    if (decision.identityVerified) verified.push(decision.identityVerified);
    outcomes[i] = { kind: 'created', termination };
    // Every way into awaiting_confirmation sends the code it waits for, in this transaction.
    if (decision.code && customer) codes.push({ index: i, request: { ...decision.code, language: customer.language } });
  }

  for (const v of verified) await markIdentityVerified(tx, v.entityId, now);
  events.push(...verified);
  const fast = new Set(options.executeNow ? created.filter((c) => executableNow(ctx, c.termination, now)).map((c) => c.termination.id) : []);
  const lineIdsNow = new Set(created.filter((c) => fast.has(c.termination.id)).map((c) => c.termination.lineId));
  await insertTerminations(tx, created.filter((c) => !fast.has(c.termination.id)));
  events.push(...(await setLineStates(tx, lineChanges.filter((c) => !lineIdsNow.has(c.line.id)), now)));
  // The fast path's lines are written once, terminated, by its last step; their events are the same.
  const changedNow = lineChanges.filter((c) => lineIdsNow.has(c.line.id));
  events.push(...lineStateEvents(changedNow, now));
  await enqueueJobs(tx, jobs.filter((j) => !(j.kind === 'termination.execute' && fast.has(j.subject))), policy.worker.maxAttempts, now);
  await ctx.adapters.notifier.enqueue(tx, messages, now);
  if (fast.size > 0) {
    const executed = await executeNow(ctx, tx, now, created.filter((c) => fast.has(c.termination.id)), {
      after: new Map(changedNow.map((c) => [c.line.id, { ...c.line, state: c.to }])),
      before: changedNow.map((c) => c.line),
    });
    events.push(...executed.events);
    const final = new Map(executed.terminations.map((t) => [t.id, t]));
    outcomes.forEach((o, i) => {
      const t = o.kind === 'created' ? final.get(o.termination.id) : undefined;
      if (t) outcomes[i] = { kind: 'created', termination: t };
    });
  }
  const issued = await issueOtpsIn(ctx, tx, codes.map((c) => c.request), { replace: false });
  codes.forEach((c, n) => {
    const outcome = outcomes[c.index];
    if (outcome?.kind === 'created') outcomes[c.index] = { ...outcome, codeSentUntil: issued[n]?.expiresAt ?? null };
  });
  await appendAudit(tx, events);
  return outcomes as RequestOutcome[];
}
