/**
 * What the API, the site and the app ask on a subscriber's behalf, with the
 * ownership rule in one place: a customer sees only their own lines and
 * orders; the back office sees any; a shop or call agent only those of a
 * customer they hold an open case for (see staff-cases.ts), and every staff
 * read is audited. Someone else's line answers "not found" (an agent without a
 * case: "no open case", whether the line exists or not), so ids cannot be probed.
 */
import { activationCodesOfLines } from '../store/inventory.repository.ts';
import type { Channel } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Line } from '../domain/model.ts';
import { type EffectiveChoice, otherLiveLines, type Preview, preview } from '../domain/preview.ts';
import type { Termination } from '../domain/termination.ts';
import { auditTrail } from '../store/audit.repository.ts';
import { lineForPreview, linesById, listLines } from '../store/lines.repository.ts';
import { accountsById } from '../store/parties.repository.ts';
import { listTerminations, terminationByReference } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { actsForAnyone, auditStaffRead, mayActFor } from './staff-cases.ts';

/**
 * Throws `notFound()` (or, for a front-line agent, NO_OPEN_CASE) unless the caller may act for the customer; audits a
 * staff read. The error is made only when thrown: an AppError captures a stack and words its message, which cost
 * several per cent of every allowed read under load (bench:api profile, docs/performance.md "API under load").
 */
async function allow(ctx: AppContext, principal: Principal, customerId: string | undefined, notFound: () => AppError, what: string, subject: string): Promise<void> {
  const frontLine = principal.kind === 'staff' && !actsForAnyone(principal);
  if (customerId === undefined || !(await mayActFor(ctx, principal, customerId))) throw frontLine ? new AppError('NO_OPEN_CASE', {}) : notFound();
  await auditStaffRead(ctx, principal, customerId, what, subject);
}

export async function lineFor(ctx: AppContext, principal: Principal, lineId: string): Promise<Line> {
  const line = (await linesById(ctx.store.db, [lineId])).get(lineId);
  await allow(ctx, principal, line?.customerId, () => new AppError('LINE_NOT_FOUND', { input: lineId }), 'line', lineId);
  return line as Line;
}

export async function terminationFor(ctx: AppContext, principal: Principal, reference: string): Promise<Termination> {
  const t = await terminationByReference(ctx.store.db, reference);
  await allow(ctx, principal, t?.customerId, () => new AppError('TERMINATION_NOT_FOUND', { input: reference }), 'termination', reference);
  return t as Termination;
}

export interface LineView {
  readonly id: string;
  readonly msisdn: string;
  readonly simType: Line['simType'];
  readonly state: Line['state'];
  readonly plan: string;
  readonly monthlyFee: number;
  readonly balance: number;
  readonly currency: string;
  readonly dataLeftMb: number;
  readonly accountId: string;
  readonly esimActivationCode: string | null;
}

export async function linesOf(ctx: AppContext, customerId: string): Promise<LineView[]> {
  const lines = await listLines(ctx.store.db, { customerId, limit: 100 });
  const accounts = await accountsById(ctx.store.db, lines.map((l) => l.accountId));
  const codes = await activationCodesOfLines(ctx.store.db, lines.map((l) => l.id));
  return lines.map((l) => {
    const account = accounts.get(l.accountId);
    return {
      id: l.id,
      msisdn: l.msisdn,
      simType: l.simType,
      state: l.state,
      plan: l.planName,
      monthlyFee: l.monthlyFee,
      balance: account?.balance ?? 0,
      currency: account?.currency ?? ctx.policy.currency,
      dataLeftMb: l.dataLeftMb,
      accountId: l.accountId,
      // The holder's own: staff views of a line never carry it (whoever has the code can install the eSIM).
      esimActivationCode: codes.get(l.id) ?? null,
    };
  });
}

/** The activation code of the caller's own line's eSIM, for its QR code; NOT_FOUND for anyone else's, or before it is ready. */
export async function activationCodeFor(ctx: AppContext, customerId: string, lineId: string): Promise<string> {
  const line = (await linesById(ctx.store.db, [lineId])).get(lineId);
  const code = line && line.customerId === customerId ? (await activationCodesOfLines(ctx.store.db, [lineId])).get(lineId) : undefined;
  if (!code) throw new AppError('NOT_FOUND', { input: 'eSIM activation code' });
  return code;
}

export async function previewLine(ctx: AppContext, principal: Principal, lineId: string, channel: Channel, effective: EffectiveChoice): Promise<Preview & { lineId: string; msisdn: string; simType: string }> {
  const found = await lineForPreview(ctx.store.db, lineId);
  await allow(ctx, principal, found?.line.customerId, () => new AppError('LINE_NOT_FOUND', { input: lineId }), 'termination_preview', lineId);
  if (!found) throw new AppError('LINE_NOT_FOUND', { input: lineId });
  const { line, account, customer } = found;
  if (line.state === 'terminated') throw new AppError('LINE_ALREADY_TERMINATED', {});
  const facts = preview({
    line,
    account,
    customer,
    esimState: found.esimState,
    policy: ctx.policy,
    channel,
    authority: 'subscriber',
    effective,
    feeAccepted: false,
    instalmentsAccepted: false,
    otherLiveLines: otherLiveLines(found.liveLines, line),
    now: ctx.clock(),
  });
  return { ...facts, lineId: line.id, msisdn: line.msisdn, simType: line.simType };
}

export interface TimelineEntry {
  readonly at: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly action: string;
  /** Who acted: customer, staff or system. */
  readonly actor: string;
  readonly actorId: string;
  readonly channel: string;
  readonly reason: string | null;
}

export async function timelineOf(ctx: AppContext, t: Pick<Termination, 'id' | 'reference'>): Promise<TimelineEntry[]> {
  return (await auditTrail(ctx.store.db, 'termination', [t.id, t.reference])).map((e) => ({
    at: e.at,
    from: e.fromState,
    to: e.toState,
    action: e.action,
    actor: e.actorKind,
    actorId: e.actorId,
    channel: e.channel,
    reason: e.reason,
  }));
}

/**
 * An order and its timeline, as every channel shows it. `who` is the caller
 * (checked and, for staff, audited as any read), or `'console'`: the
 * installation's own operator at the command line, who holds the store anyway.
 */
export async function statusOf(ctx: AppContext, who: Principal | 'console', reference: string): Promise<{ termination: Termination; timeline: TimelineEntry[] }> {
  let termination: Termination | undefined;
  if (who === 'console') termination = await terminationByReference(ctx.store.db, reference);
  else termination = await terminationFor(ctx, who, reference);
  if (!termination) throw new AppError('TERMINATION_NOT_FOUND', { input: reference });
  return { termination, timeline: await timelineOf(ctx, termination) };
}

export async function terminationsOf(ctx: AppContext, customerId: string): Promise<Termination[]> {
  return listTerminations(ctx.store.db, { customerId, limit: 50 });
}
