/**
 * The administrator's integrator API keys (role admin): each key's name, what it may use, when it was made and
 * last used, and whether it was revoked; a new key, shown once with a copy button; a key revoked after a second
 * click that names it.
 */
import type { Static } from '@sinclair/typebox';
import { useCallback, useEffect, useState } from 'react';
import { API_SCOPES, type ApiScope } from '../../../src/domain/api-scopes.ts';
import type { ApiKeyCreatedSchema, ApiKeySchema } from '../../../src/channels/api/staff-admin-schemas.ts';
import { api } from '../api.ts';
import { Outcome, refusal, ShownOnce, useOutcome } from './access-common.tsx';
import type { Formats, Translate } from './formats.ts';
import type { StaffKey } from './texts.ts';

type ApiKey = Static<typeof ApiKeySchema>;
type Created = Static<typeof ApiKeyCreatedSchema>;

export const KEY_PATHS = {
  keys: '/admin/api-keys',
  revoke: (id: string) => `/admin/api-keys/${encodeURIComponent(id)}/revoke`,
};

const scopeName = (t: Translate, scope: string) => ((API_SCOPES as readonly string[]).includes(scope) ? t(`access.scope.${scope}` as StaffKey) : scope);

function NewKey({ t, onCreated }: { t: Translate; onCreated(created: Created): void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>([]);
  const [told, run, setTold] = useOutcome(t);
  return (
    <form
      className="card access-form"
      aria-labelledby="access-keys-new"
      onSubmit={(e) => {
        e.preventDefault();
        if (scopes.length === 0) return setTold({ ok: false, text: t('access.error.invalid') });
        run(
          () =>
            api<Created>('POST', KEY_PATHS.keys, { name: name.trim(), scopes }).then((created) => {
              onCreated(created);
              setName('');
              setScopes([]);
              return created;
            }),
          () => t('access.saved'),
        );
      }}
    >
      <h2 id="access-keys-new">{t('access.keys.new')}</h2>
      <div className="field">
        <label htmlFor="access-key-name">{t('access.keys.newName')}</label>
        <input id="access-key-name" value={name} required maxLength={80} onChange={(e) => setName(e.target.value)} />
      </div>
      <fieldset>
        <legend>{t('access.keys.newScopes')}</legend>
        {API_SCOPES.map((s) => (
          <label className="choice" key={s}>
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? API_SCOPES.filter((x) => x === s || scopes.includes(x)) : scopes.filter((x) => x !== s))} />
            <span>{scopeName(t, s)}</span>
          </label>
        ))}
      </fieldset>
      <Outcome told={told?.ok ? null : told} />
      <button type="submit" className="primary">
        {t('access.keys.create')}
      </button>
    </form>
  );
}

function KeyRow({ t, f, apiKey, onRevoked }: { t: Translate; f: Formats; apiKey: ApiKey; onRevoked(text: string): void }) {
  const [confirming, setConfirming] = useState(false);
  const [told, run] = useOutcome(t);
  return (
    <tr className={apiKey.revokedAt ? 'access-off' : undefined}>
      <th scope="row">{apiKey.name}</th>
      <td>
        <ul className="access-plain">
          {apiKey.scopes.map((s) => (
            <li key={s}>{scopeName(t, s)}</li>
          ))}
        </ul>
      </td>
      <td>{f.dateTime(apiKey.createdAt)}</td>
      <td>{apiKey.lastUsedAt ? f.dateTime(apiKey.lastUsedAt) : t('access.never')}</td>
      <td>{apiKey.revokedAt ? t('access.keys.revoked', { when: f.dateTime(apiKey.revokedAt) }) : t('access.keys.active')}</td>
      <td>
        {!apiKey.revokedAt && !confirming && (
          <button type="button" aria-label={t('access.keys.revoke', { name: apiKey.name })} onClick={() => setConfirming(true)}>
            {t('access.keys.revokeShort')}
          </button>
        )}
        {!apiKey.revokedAt && confirming && (
          <div role="group" aria-label={t('access.keys.confirm', { name: apiKey.name })} className="access-confirm">
            <p>{t('access.keys.confirm', { name: apiKey.name })}</p>
            <div className="access-actions">
              <button type="button" className="danger" onClick={() => run(() => api('POST', KEY_PATHS.revoke(apiKey.id)).then(() => onRevoked(t('access.keys.revokedDone', { name: apiKey.name }))))}>
                {t('access.keys.confirmYes', { name: apiKey.name })}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('access.keys.cancel')}
              </button>
            </div>
          </div>
        )}
        <Outcome told={told?.ok ? null : told} />
      </td>
    </tr>
  );
}

export function ApiKeys({ t, f }: { t: Translate; f: Formats }) {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const load = useCallback(() => api<ApiKey[]>('GET', KEY_PATHS.keys).then(setKeys, (e: unknown) => setProblem(refusal(t, e))), [t]);
  useEffect(() => void load(), [load]);
  return (
    <section aria-labelledby="access-keys-title" className="access-page">
      <h1 id="access-keys-title" tabIndex={-1}>
        {t('access.keys.title')}
      </h1>
      <p className="hint">{t('access.keys.intro')}</p>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}
      {created && <ShownOnce t={t} id="access-key-secret" label={t('access.keys.theKey', { name: created.name })} secret={created.key} onHide={() => setCreated(null)} />}
      <div className="card staff-table">
        {keys && keys.length === 0 && <p className="hint access-empty">{t('access.keys.none')}</p>}
        {keys && keys.length > 0 && (
          <table aria-label={t('access.keys.list')}>
            <thead>
              <tr>
                <th scope="col">{t('access.keys.name')}</th>
                <th scope="col">{t('access.keys.scopes')}</th>
                <th scope="col">{t('access.keys.created')}</th>
                <th scope="col">{t('access.keys.lastUsed')}</th>
                <th scope="col">{t('access.keys.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('access.staff.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <KeyRow
                  key={`${k.id}-${k.revokedAt ?? ''}`}
                  t={t}
                  f={f}
                  apiKey={k}
                  onRevoked={(text) => {
                    setDone(text);
                    setCreated(null);
                    void load();
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
      </div>
      <NewKey
        t={t}
        onCreated={(made) => {
          setCreated(made);
          setDone(null);
          void load();
        }}
      />
    </section>
  );
}
