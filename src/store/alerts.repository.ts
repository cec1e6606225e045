/** The back office's queue: what a person at the operator must look at (a "not me" on a request first). */
import type { Db, Tx } from './database.ts';
import { newId } from './ids.ts';

export type AlertKind = 'not_me';

export interface StaffAlert {
  readonly id: string;
  readonly kind: AlertKind;
  readonly subjectRef: string;
  readonly customerId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly handledAt: string | null;
  readonly handledBy: string | null;
}

export async function raiseAlert(tx: Tx, alert: { kind: AlertKind; subjectRef: string; customerId: string | null; data: Record<string, unknown> }, now: string): Promise<string> {
  const id = newId('alr');
  await tx.insertInto('staff_alerts').values({ id, kind: alert.kind, subject_ref: alert.subjectRef, customer_id: alert.customerId, data: JSON.stringify(alert.data), created_at: now, handled_at: null, handled_by: null }).execute();
  return id;
}

export async function listAlerts(db: Db, options: { open: boolean; limit: number }): Promise<StaffAlert[]> {
  let q = db.selectFrom('staff_alerts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.open) q = q.where('handled_at', 'is', null);
  return (await q.execute()).map((r) => ({
    id: r.id,
    kind: r.kind as AlertKind,
    subjectRef: r.subject_ref,
    customerId: r.customer_id,
    data: JSON.parse(r.data),
    createdAt: r.created_at,
    handledAt: r.handled_at,
    handledBy: r.handled_by,
  }));
}

/** Marks an open alert handled; false when there is no such open alert. */
export async function handleAlert(db: Db, id: string, staffId: string, now: string): Promise<boolean> {
  const r = await db.updateTable('staff_alerts').set({ handled_at: now, handled_by: staffId }).where('id', '=', id).where('handled_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
