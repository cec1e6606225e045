import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../domain/errors.ts';
import { claimIdempotencyKey, idempotencyRecord, releaseIdempotencyKey, storeIdempotentResponse } from '../store/idempotency.repository.ts';
import type { AppContext } from './context.ts';

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Runs `work` once per (scope, key). The first caller claims the key with an
 * insert the unique key guards; concurrent and later callers with the same key
 * wait for and get the first caller's stored response. The same key with a
 * different request body is refused. A claim whose work failed is released.
 */
export async function once(ctx: AppContext, scope: string, key: string, request: unknown, work: () => Promise<StoredResponse>): Promise<StoredResponse> {
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const db = ctx.store.db;
  if (await claimIdempotencyKey(db, { scope, key, requestHash, at: ctx.clock() })) {
    try {
      const response = await work();
      await storeIdempotentResponse(db, scope, key, response);
      return response;
    } catch (e) {
      await releaseIdempotencyKey(db, scope, key);
      throw e;
    }
  }
  for (let waited = 0; waited < 10_000; waited += 25) {
    const row = await idempotencyRecord(db, scope, key);
    if (!row) return once(ctx, scope, key, request, work);
    if (row.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED', {});
    if (row.status !== null && row.response !== null) return { status: Number(row.status), body: JSON.parse(row.response) };
    await sleep(25);
  }
  throw new AppError('IDEMPOTENCY_KEY_REUSED', {});
}
