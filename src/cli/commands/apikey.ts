import type { Administrator } from '../../app/administrator.ts';
import { apiKeys, issueApiKey, revokeKey } from '../../app/api-keys.ts';
import { API_SCOPES } from '../../domain/api-scopes.ts';
import { synopsis } from '../command-table.ts';
import { fail, humanFormat, openApp, output } from '../runtime.ts';

/** `simexit apikey create|list|revoke`: integrator keys; a new key is printed once and only its hash is kept. */
export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const [action, id] = positionals;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') fail(synopsis('apikey'));
  if (action === 'revoke' && !id) fail('apikey revoke needs the key\'s ID (simexit apikey list)');
  const app = await openApp();
  try {
    const admin: Administrator = { kind: 'cli', user: app.env.user };
    const out = output(Boolean(values.json));
    const f = humanFormat(app.policy, values.language);
    if (action === 'list') {
      const keys = await apiKeys(app, admin);
      out.result(keys, () =>
        keys.length === 0
          ? 'no API keys'
          : keys
              .map((k) => `${k.id}  ${k.name}  scopes ${k.scopes.join(',')}  created ${f.dateTime(k.createdAt)}  ${k.lastUsedAt ? `last used ${f.dateTime(k.lastUsedAt)}` : 'never used'}${k.revokedAt ? `  REVOKED ${f.dateTime(k.revokedAt)}` : ''}`)
              .join('\n'),
      );
      return 0;
    }
    if (action === 'create') {
      const name = typeof values.name === 'string' ? values.name : fail('apikey create needs --name N');
      const scopes = typeof values.scopes === 'string' ? values.scopes.split(',').map((s) => s.trim()).filter(Boolean) : fail(`apikey create needs --scopes (${API_SCOPES.join(', ')})`);
      const made = await issueApiKey(app, admin, { name, scopes });
      out.result(made, () => [`created ${made.id} (${made.name}), scopes ${made.scopes.join(',')}`, `key: ${made.key}`, '  shown this once: only its hash is kept'].join('\n'));
      return 0;
    }
    const revoked = await revokeKey(app, admin, id as string);
    out.result(revoked, () => `revoked ${revoked.id} (${revoked.name}): refused from now on`);
    return 0;
  } finally {
    await app.close();
  }
}
