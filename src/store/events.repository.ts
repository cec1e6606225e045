/**
 * Events for other systems: each sink's cursor over the audit log, the entries past it, and webhook
 * subscriptions. The audit log is the outbox (see domain/events.ts).
 */
import type { AuditFacts } from '../domain/audit-chain.ts';
import { toFacts } from './audit.repository.ts';
import { type Db, type Tx, isPostgres } from './database.ts';
import type { WebhookSubscriptionsTable } from './schema.ts';

export type EventSink = 'webhooks' | 'nats';

/**
 * The sink's cursor, locked for the transaction (one pump at a time across workers). A sink read for the first
 * time starts at the log's head: it hears of changes from when it was set up (older ones by replay).
 */
export async function lockCursor(tx: Tx, sink: EventSink, now: string): Promise<number> {
  let q = tx.selectFrom('event_cursors').select('seq').where('sink', '=', sink);
  if (isPostgres(tx)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (row) return Number(row.seq);
  const head = await tx.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  await tx.insertInto('event_cursors').values({ sink, seq: Number(head.seq), updated_at: now }).onConflict((oc) => oc.column('sink').doNothing()).execute();
  return lockCursor(tx, sink, now);
}

export async function advanceCursor(tx: Tx, sink: EventSink, seq: number, now: string): Promise<void> {
  await tx.updateTable('event_cursors').set({ seq, updated_at: now }).where('sink', '=', sink).execute();
}

/** The sequence number of the last audit entry. */
export async function auditHead(db: Db): Promise<number> {
  return Number((await db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()).seq);
}

/** Up to `limit` audit entries after `seq`, in order. */
export async function auditEntriesAfter(db: Db, seq: number, limit: number): Promise<AuditFacts[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  return rows.map(toFacts);
}

/** The audit entries with these sequence numbers (some may not exist). */
export async function auditEntriesBySeq(db: Db, seqs: readonly number[]): Promise<Map<number, AuditFacts>> {
  const out = new Map<number, AuditFacts>();
  const unique = [...new Set(seqs)];
  for (let i = 0; i < unique.length; i += 500) {
    for (const r of await db.selectFrom('audit_log').selectAll().where('seq', 'in', unique.slice(i, i + 500)).execute()) out.set(Number(r.seq), toFacts(r));
  }
  return out;
}

/** Sequence numbers of the entries recorded in [from, to), at most `limit`, for a replay by time. */
export async function auditSeqsBetween(db: Db, from: string, to: string, limit: number): Promise<AuditFacts[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('at', '>=', from).where('at', '<', to).orderBy('seq').limit(limit).execute();
  return rows.map(toFacts);
}

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly salt: string;
  readonly active: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly disabledAt: string | null;
}

const subscriptionOf = (r: WebhookSubscriptionsTable): WebhookSubscription => ({
  id: r.id,
  url: r.url,
  eventTypes: JSON.parse(r.event_types) as string[],
  salt: r.salt,
  active: Number(r.active) === 1,
  createdAt: r.created_at,
  createdBy: r.created_by,
  disabledAt: r.disabled_at,
});

export async function insertSubscription(tx: Tx, s: WebhookSubscription): Promise<void> {
  await tx
    .insertInto('webhook_subscriptions')
    .values({ id: s.id, url: s.url, event_types: JSON.stringify(s.eventTypes), salt: s.salt, active: s.active ? 1 : 0, created_at: s.createdAt, created_by: s.createdBy, disabled_at: s.disabledAt })
    .execute();
}

export async function disableSubscription(tx: Tx, id: string, now: string): Promise<boolean> {
  const r = await tx.updateTable('webhook_subscriptions').set({ active: 0, disabled_at: now }).where('id', '=', id).where('active', '=', 1).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function subscriptions(db: Db, options: { activeOnly?: boolean } = {}): Promise<WebhookSubscription[]> {
  let q = db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id');
  if (options.activeOnly) q = q.where('active', '=', 1);
  return (await q.execute()).map(subscriptionOf);
}

export async function subscriptionById(db: Db, id: string): Promise<WebhookSubscription | null> {
  const r = await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? subscriptionOf(r) : null;
}
