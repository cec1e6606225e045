/** Integrator API keys as administrators see them: never the key itself (only its hash is stored, see auth.repository.ts). */
import type { Db, Tx } from './database.ts';
import type { ApiKeysTable } from './schema.ts';

export interface ApiKeyListing {
  readonly id: string;
  readonly name: string;
  readonly scopes: string[];
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

const toListing = (r: Omit<ApiKeysTable, 'key_hash'>): ApiKeyListing => ({
  id: r.id,
  name: r.name,
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  createdBy: r.created_by,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const COLUMNS = ['id', 'name', 'scopes', 'created_at', 'created_by', 'last_used_at', 'revoked_at'] as const;

/** Every key, newest first (revoked ones too: the list says what each was). */
export async function listApiKeys(db: Db): Promise<ApiKeyListing[]> {
  return (await db.selectFrom('api_keys').select(COLUMNS).orderBy('created_at', 'desc').orderBy('id').execute()).map(toListing);
}

export async function apiKeyById(db: Db, id: string): Promise<ApiKeyListing | undefined> {
  const row = await db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toListing(row);
}

/** Revokes a key still in use; returns whether this call revoked it. */
export async function revokeApiKey(tx: Tx, id: string, now: string): Promise<boolean> {
  const r = await tx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
