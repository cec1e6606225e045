/**
 * Administrators issue and revoke integrator API keys (issue 17). A key is `sx_…`, answered once when it is made:
 * only its SHA-256 is stored (app/auth.ts), so nobody can show it again. Its scopes come from the one list in
 * domain/api-scopes.ts. A revoked key is refused from the next request on and stays listed. Audited, without the key.
 */
import { API_SCOPES, type ApiScope, isApiScope } from '../domain/api-scopes.ts';
import { AppError } from '../domain/errors.ts';
import { type ApiKeyListing, apiKeyById, listApiKeys, revokeApiKey } from '../store/api-keys.repository.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import { type Administrator, administratorActor } from './administrator.ts';
import { createApiKey } from './auth.ts';
import type { AppContext } from './context.ts';

export type { ApiKeyListing };

export async function apiKeys(ctx: AppContext, admin: Administrator): Promise<ApiKeyListing[]> {
  administratorActor(admin);
  return listApiKeys(ctx.store.db);
}

function checkScopes(scopes: readonly string[]): ApiScope[] {
  const unknown = scopes.find((s) => !isApiScope(s));
  if (unknown !== undefined) throw new AppError('API_SCOPE_UNKNOWN', { input: unknown, valid: API_SCOPES.join(', ') });
  if (scopes.length === 0) throw new AppError('VALIDATION_FAILED', { reason: 'at least one scope' });
  return API_SCOPES.filter((s) => scopes.includes(s));
}

/** A new key: its listing and the key itself, which is never shown again. */
export async function issueApiKey(ctx: AppContext, admin: Administrator, input: { name: string; scopes: readonly string[] }): Promise<ApiKeyListing & { key: string }> {
  const actor = administratorActor(admin);
  const name = input.name.trim();
  if (name === '' || name.length > 80) throw new AppError('VALIDATION_FAILED', { reason: 'a name of 1 to 80 characters' });
  const scopes = checkScopes(input.scopes);
  return inTransaction(ctx.store, async (tx) => {
    const made = await createApiKey(ctx, name, scopes, { db: tx, createdBy: actor.id });
    await appendAudit(tx, [{ entityType: 'api_key', entityId: made.id, action: 'api_key_created', from: null, to: null, actor, at: made.createdAt, reason: null, data: { name, scopes } }]);
    return { id: made.id, name, scopes, createdAt: made.createdAt, createdBy: actor.id, lastUsedAt: null, revokedAt: null, key: made.key };
  });
}

export async function revokeKey(ctx: AppContext, admin: Administrator, id: string): Promise<ApiKeyListing> {
  const actor = administratorActor(admin);
  const key = await apiKeyById(ctx.store.db, id);
  if (!key) throw new AppError('API_KEY_NOT_FOUND', { input: id });
  if (key.revokedAt !== null) throw new AppError('API_KEY_ALREADY_REVOKED', { name: key.name });
  const now = ctx.clock();
  await inTransaction(ctx.store, async (tx) => {
    if (!(await revokeApiKey(tx, id, now))) throw new AppError('API_KEY_ALREADY_REVOKED', { name: key.name });
    await appendAudit(tx, [{ entityType: 'api_key', entityId: id, action: 'api_key_revoked', from: null, to: null, actor, at: now, reason: null, data: { name: key.name, scopes: key.scopes } }]);
  });
  return { ...key, revokedAt: now };
}
