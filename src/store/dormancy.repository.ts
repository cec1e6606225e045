/** What the dormancy rule reads and records: lines in the notice window, and their notices with the outbox's word on them. */
import type { DormancyNoticeRecord } from '../domain/dormancy.ts';
import type { Line } from '../domain/model.ts';
import type { Db, Tx } from './database.ts';
import { insertRows } from './bulk.ts';
import { toLine } from './mapping.ts';

/** The outbox key base of one dormancy notice: one message per contact follows it. */
export const dormancyNoticeKey = (lineId: string, activityAt: string, daysBefore: number): string => `dormancy:${lineId}:${activityAt}:${daysBefore}`;
const MEDIA = ['sms', 'email'] as const;
const UNDELIVERED = ['undeliverable', 'expired', 'rejected', 'deleted'];

/** Active lines whose last paid activity is at or before `windowStart`, by id after `afterId`. */
export async function linesInDormancyWindow(db: Db, windowStart: string, afterId: string, limit: number): Promise<Line[]> {
  const rows = await db
    .selectFrom('lines')
    .selectAll()
    .where('state', '=', 'active')
    .where('last_paid_activity_at', '<=', windowStart)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toLine);
}

/** Each line's notices for its current period of non-use, keyed by line id. */
export async function dormancyNoticesOf(db: Db, lines: readonly Line[]): Promise<Map<string, DormancyNoticeRecord[]>> {
  const result = new Map<string, DormancyNoticeRecord[]>();
  if (lines.length === 0) return result;
  const activity = new Map(lines.map((l) => [l.id, l.lastPaidActivityAt]));
  const rows = (await db.selectFrom('dormancy_notices').selectAll().where('line_id', 'in', lines.map((l) => l.id)).execute()).filter((r) => activity.get(r.line_id) === r.activity_at);
  if (rows.length === 0) return result;
  const keys = rows.flatMap((r) => MEDIA.map((m) => `${dormancyNoticeKey(r.line_id, r.activity_at, r.days_before)}:dormancy.notice:${m}`));
  const messages = new Map<string, { state: string; sent_at: string | null; receipt_status: string | null }[]>();
  for (let i = 0; i < keys.length; i += 2000) {
    const found = await db.selectFrom('notifications').select(['key', 'state', 'sent_at', 'receipt_status']).where('key', 'in', keys.slice(i, i + 2000)).execute();
    for (const m of found) {
      const base = m.key.slice(0, m.key.lastIndexOf(':dormancy.notice:'));
      messages.set(base, [...(messages.get(base) ?? []), m]);
    }
  }
  for (const r of rows) {
    const sent = (messages.get(dormancyNoticeKey(r.line_id, r.activity_at, r.days_before)) ?? []).filter((m) => m.state === 'sent' && !UNDELIVERED.includes(m.receipt_status ?? '') && m.sent_at);
    const all = messages.get(dormancyNoticeKey(r.line_id, r.activity_at, r.days_before)) ?? [];
    const record: DormancyNoticeRecord = {
      daysBefore: Number(r.days_before),
      terminationAt: r.termination_at,
      sentAt: sent.map((m) => m.sent_at as string).sort()[0] ?? null,
      failed: sent.length === 0 && all.length > 0 && all.every((m) => m.state === 'failed' || UNDELIVERED.includes(m.receipt_status ?? '')),
    };
    result.set(r.line_id, [...(result.get(r.line_id) ?? []), record]);
  }
  return result;
}

export async function recordDormancyNotices(tx: Tx, rows: readonly { lineId: string; activityAt: string; daysBefore: number; terminationAt: string; queuedAt: string }[]): Promise<number> {
  return insertRows(
    tx,
    'dormancy_notices',
    rows.map((r) => ({ line_id: r.lineId, activity_at: r.activityAt, days_before: r.daysBefore, termination_at: r.terminationAt, queued_at: r.queuedAt })),
    { ignoreConflicts: true },
  );
}
