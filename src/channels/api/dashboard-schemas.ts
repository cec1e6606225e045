/** The dashboard's answers (GET /staff/dashboard, /staff/audit/recent, /staff/audit/verification); the page imports them as types. */
import { Type as T } from '@sinclair/typebox';
import { CHANNELS } from '../../domain/channels.ts';
import { REASON_KINDS } from '../../domain/dashboard.ts';
import { BLOCKER_CODES } from '../../domain/preview.ts';
import { OrNull } from './schemas.ts';

const strict = { additionalProperties: false } as const;
const Instant = T.String({ format: 'date-time' });
const Count = T.Integer({ minimum: 0 });
const Seconds = OrNull(T.Integer());
const countsBy = (keys: readonly string[], description: string) => T.Partial(T.Object(Object.fromEntries(keys.map((k) => [k, Count])), strict), { description });

export const DashboardQuery = T.Object({ days: T.Optional(T.String({ pattern: '^[0-9]{1,3}$', description: 'how many local days back, today included (1 to 92, default 14)' })) }, strict);

export const DashboardSchema = T.Object({
  from: Instant,
  to: Instant,
  days: T.Array(
    T.Object({
      start: T.String({ format: 'date-time', description: "the local midnight (operator's zone) the day starts at" }),
      total: Count,
      byChannel: countsBy(CHANNELS, 'orders requested that day by channel'),
      byReason: countsBy(REASON_KINDS, 'orders requested that day by kind of reason: own (the holder gave none), without_sign_in, sim_lost, text_message, not_me, dormancy, operator (any other: bulk files, desk orders)'),
    }),
  ),
  completion: T.Object({ completed: Count, medianSeconds: Seconds, p90Seconds: Seconds }, { description: 'orders completed in the period: how long from request to completion (median, 90th percentile)' }),
  blockers: T.Object({ orders: Count, byCode: countsBy(BLOCKER_CODES, 'blocked orders by blocker (an order with two counts under both)') }, { description: 'open orders held by blockers now' }),
  quarantine: T.Object(
    { pool: Count, due: Count, weeks: T.Array(T.Object({ start: Instant, returning: Count })), later: Count },
    { description: 'numbers in quarantine now; due: ended, waiting for the sweep; weeks: how many come back in each of the next seven-day windows (from quarantine end dates); later: after the last window' },
  ),
  hotline: T.Object(
    { calls: OrNull(T.Integer()), answered: Count, averageAnswerSeconds: Seconds, longestAnswerSeconds: Seconds, withoutAgentShare: OrNull(T.Number()) },
    { description: 'as GET /staff/calls/figures computes them for the period: calls to the voice menu, calls and callbacks answered by agents and how long they waited, the share of calls finished without an agent' },
  ),
  shops: T.Object({ served: Count, averageWaitSeconds: Seconds, longestWaitSeconds: Seconds, waitingNow: Count }, { description: 'as GET /staff/shop-figures computes them for the period, over every shop' }),
});

export const AuditRecentQuery = T.Object({ limit: T.Optional(T.String({ pattern: '^[0-9]{1,3}$', description: 'how many entries (1 to 200, default 30)' })) }, strict);

export const AuditRecentSchema = T.Object({
  head: T.Integer({ description: 'the number of the last entry' }),
  entries: T.Array(
    T.Object({
      seq: T.Integer(),
      at: Instant,
      actorKind: T.String(),
      actorName: OrNull(T.String()),
      entityType: T.String(),
      subject: OrNull(T.String({ description: "an order's reference or a masked number, when the entry has one" })),
      action: T.String(),
      fromState: OrNull(T.String()),
      toState: OrNull(T.String()),
    }),
  ),
});

export const AuditChainSchema = T.Object({
  ok: T.Boolean(),
  entries: T.Integer({ description: 'entries checked and whole, from the first' }),
  firstBadSeq: T.Optional(T.Integer({ description: 'the first entry that does not match (when not ok)' })),
  problem: T.Optional(T.String()),
  checkedAt: Instant,
});
