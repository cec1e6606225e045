/** Idempotency keys of requests that must not be done twice (app/idempotency.ts). */
import type { Db } from './database.ts';

export interface IdempotencyRecord {
  readonly requestHash: string;
  /** Null while the first caller is still working. */
  readonly status: number | null;
  /** The stored response body as JSON; null while the first caller is still working. */
  readonly response: string | null;
}

/** Claims (scope, key) for a request; false when someone claimed it before (the unique key decides). */
export async function claimIdempotencyKey(db: Db, claim: { scope: string; key: string; requestHash: string; at: string }): Promise<boolean> {
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ scope: claim.scope, key: claim.key, request_hash: claim.requestHash, status: null, response: null, created_at: claim.at })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  return Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function storeIdempotentResponse(db: Db, scope: string, key: string, response: { status: number; body: unknown }): Promise<void> {
  await db.updateTable('idempotency_keys').set({ status: response.status, response: JSON.stringify(response.body) }).where('scope', '=', scope).where('key', '=', key).execute();
}

export async function releaseIdempotencyKey(db: Db, scope: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute();
}

export async function idempotencyRecord(db: Db, scope: string, key: string): Promise<IdempotencyRecord | undefined> {
  const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row && { requestHash: row.request_hash, status: row.status === null ? null : Number(row.status), response: row.response };
}
