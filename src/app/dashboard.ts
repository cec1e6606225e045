/**
 * The back office's dashboard (roles back_office and admin): requests per local day by channel and kind of reason,
 * how long completion takes, what blocks open orders now, the quarantine pool and when its numbers come back, and
 * the hotline's and shops' figures as their own pages compute them. The lists with a retry (orders that need
 * attention, failed messages, dead jobs) are their routes'; the audit's recent entries and the chain's check are here.
 */
import { dayBounds, quantileOffset, type ReasonKind, weekBounds } from '../domain/dashboard.ts';
import { AppError } from '../domain/errors.ts';
import { maskMsisdn } from '../domain/msisdn.ts';
import type { BlockerCode } from '../domain/preview.ts';
import { type AuditVerdict, verifyAudit } from '../store/audit.repository.ts';
import { completionTimes, openBlockers, quarantineForecast, recentAudit, referencesOfOrders, requestsPerDay } from '../store/dashboard.repository.ts';
import { listStaff } from '../store/staff.repository.ts';
import { callCentreFigures } from './agent-queue.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { shopFigures } from './shop-figures.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

/** How many weeks ahead the quarantine forecast looks: half a year, the longest common quarantine (DESIGN §2). */
export const FORECAST_WEEKS = 26;

export interface DashboardFigures {
  readonly from: string;
  readonly to: string;
  readonly days: readonly { start: string; total: number; byChannel: Record<string, number>; byReason: Partial<Record<ReasonKind, number>> }[];
  readonly completion: { completed: number; medianSeconds: number | null; p90Seconds: number | null };
  readonly blockers: { orders: number; byCode: Partial<Record<BlockerCode, number>> };
  readonly quarantine: { pool: number; due: number; weeks: readonly { start: string; returning: number }[]; later: number };
  readonly hotline: { calls: number | null; answered: number; averageAnswerSeconds: number | null; longestAnswerSeconds: number | null; withoutAgentShare: number | null };
  readonly shops: { served: number; averageWaitSeconds: number | null; longestWaitSeconds: number | null; waitingNow: number };
}

const mayRead = (agent: Staff) => {
  if (agent.role !== 'back_office' && agent.role !== 'admin') throw new AppError('FORBIDDEN', {});
};

/** The dashboard's figures for the last `days` local days (today included), in the operator's time zone. */
export async function dashboardFigures(ctx: AppContext, agent: Staff, days: number): Promise<DashboardFigures> {
  mayRead(agent);
  const now = ctx.clock();
  const db = ctx.store.db;
  const bounds = dayBounds(now, days, ctx.policy.operator.timezone);
  const from = bounds.starts[0] ?? now;
  const counts = await requestsPerDay(db, bounds.starts, bounds.end);
  const perDay = bounds.starts.map((start) => ({ start, total: 0, byChannel: {} as Record<string, number>, byReason: {} as Partial<Record<ReasonKind, number>> }));
  for (const c of counts) {
    const day = perDay[c.day];
    if (!day) continue;
    day.total += c.count;
    day.byChannel[c.channel] = (day.byChannel[c.channel] ?? 0) + c.count;
    day.byReason[c.reasonKind] = (day.byReason[c.reasonKind] ?? 0) + c.count;
  }
  const weeks = weekBounds(now, FORECAST_WEEKS);
  const forecast = await quarantineForecast(db, now, weeks.starts, weeks.end);
  const calls = await callCentreFigures(ctx, agent, { from, to: now });
  const answered = calls.answer.reduce((n, a) => n + a.answered, 0);
  const answerTotal = calls.answer.reduce((s, a) => s + (a.averageSeconds ?? 0) * a.answered, 0);
  const longestAnswer = calls.answer.reduce<number | null>((m, a) => (a.longestSeconds === null ? m : Math.max(m ?? 0, a.longestSeconds)), null);
  const shop = await shopFigures(ctx, agent, { from, to: now });
  const served = shop.hours.reduce((n, h) => n + h.served, 0);
  const waitTotal = shop.hours.reduce((s, h) => s + h.averageWaitSeconds * h.served, 0);
  return {
    from,
    to: now,
    days: perDay,
    completion: await completionTimes(db, from, bounds.end, (n) => ({ median: quantileOffset(n, 0.5), p90: quantileOffset(n, 0.9) })),
    blockers: await openBlockers(db),
    quarantine: { pool: forecast.pool, due: forecast.due, weeks: weeks.starts.map((start, i) => ({ start, returning: forecast.perWeek[i] ?? 0 })), later: forecast.later },
    hotline: { calls: calls.voiceMenu.calls, answered, averageAnswerSeconds: answered ? Math.round(answerTotal / answered) : null, longestAnswerSeconds: longestAnswer, withoutAgentShare: calls.voiceMenu.share },
    shops: { served, averageWaitSeconds: served ? Math.round(waitTotal / served) : null, longestWaitSeconds: shop.hours.reduce<number | null>((m, h) => Math.max(m ?? 0, h.longestWaitSeconds), null), waitingNow: shop.waitingNow.reduce((n, w) => n + w.waiting, 0) },
  };
}

/** One audit entry as the dashboard shows it: what happened to what, by whom; never the entry's free data. */
export interface AuditLine {
  readonly seq: number;
  readonly at: string;
  readonly actorKind: string;
  /** A staff member's name; null for a customer or the system. */
  readonly actorName: string | null;
  readonly entityType: string;
  /** A label people recognise: an order's reference, a masked number; null where there is none to show. */
  readonly subject: string | null;
  readonly action: string;
  readonly fromState: string | null;
  readonly toState: string | null;
}

/** The last `limit` audit entries, newest first, with the chain's head. */
export async function recentAuditLines(ctx: AppContext, agent: Staff, limit: number): Promise<{ head: number; entries: AuditLine[] }> {
  mayRead(agent);
  const db = ctx.store.db;
  const { head, entries } = await recentAudit(db, limit);
  const orderIds = [...new Set(entries.filter((e) => e.entityType === 'termination').map((e) => e.entityId))];
  const references = await referencesOfOrders(db, orderIds);
  const staffNames = new Map((entries.some((e) => e.actorKind === 'staff') ? await listStaff(db) : []).map((s) => [s.id, s.name]));
  const subjectOf = (type: string, id: string): string | null => {
    if (type === 'termination') return references.get(id) ?? (/^TRM-/.test(id) ? id : null);
    if (type === 'number') return maskMsisdn(id);
    return null;
  };
  return {
    head,
    entries: entries.map((e) => ({
      seq: e.seq,
      at: e.at,
      actorKind: e.actorKind,
      actorName: e.actorKind === 'staff' ? (staffNames.get(e.actorId) ?? null) : null,
      entityType: e.entityType,
      subject: subjectOf(e.entityType, e.entityId),
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
    })),
  };
}

/** Walks the whole audit chain now (a page at a time): whole up to which entry, or broken at which. */
export async function auditChainState(ctx: AppContext, agent: Staff): Promise<AuditVerdict & { checkedAt: string }> {
  mayRead(agent);
  return { ...(await verifyAudit(ctx.store.db)), checkedAt: ctx.clock() };
}
