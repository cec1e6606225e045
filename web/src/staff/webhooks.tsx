/**
 * The administrator's webhook subscriptions (role admin; the API is issue 15's, routes/events.routes.ts): each
 * address with what it is told about and whether it is on; a new subscription, its signing secret shown once with
 * a copy button; a subscription switched off.
 */
import { useCallback, useEffect, useState } from 'react';
import { EVENT_TYPES } from '../../../src/domain/events.ts';
import { api } from '../api.ts';
import { Outcome, refusal, ShownOnce, useOutcome } from './access-common.tsx';
import type { Formats, Translate } from './formats.ts';
import type { StaffKey } from './texts.ts';

/** As GET /admin/webhooks answers (SubscriptionSchema in routes/events.routes.ts). */
interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  createdAt: string;
  disabledAt: string | null;
}
type Created = Subscription & { secret: string };

export const WEBHOOK_PATHS = {
  list: '/admin/webhooks',
  disable: (id: string) => `/admin/webhooks/${encodeURIComponent(id)}/disable`,
};

const CHOICES = ['*', ...EVENT_TYPES] as const;
const eventName = (t: Translate, type: string) => ((CHOICES as readonly string[]).includes(type) ? t(`access.event.${type}` as StaffKey) : type);

function NewSubscription({ t, onCreated }: { t: Translate; onCreated(created: Created): void }) {
  const [url, setUrl] = useState('https://');
  const [types, setTypes] = useState<string[]>([]);
  const [told, run, setTold] = useOutcome(t, 'access.webhooks.urlRule');
  const every = types.includes('*');
  return (
    <form
      className="card access-form"
      aria-labelledby="access-webhooks-new"
      onSubmit={(e) => {
        e.preventDefault();
        if (types.length === 0) return setTold({ ok: false, text: t('access.error.invalid') });
        run(
          () =>
            api<Created>('POST', WEBHOOK_PATHS.list, { url: url.trim(), eventTypes: types }).then((created) => {
              onCreated(created);
              setUrl('https://');
              setTypes([]);
              return created;
            }),
          () => t('access.saved'),
        );
      }}
    >
      <h2 id="access-webhooks-new">{t('access.webhooks.new')}</h2>
      <div className="field">
        <label htmlFor="access-webhook-url">{t('access.webhooks.newUrl')}</label>
        <input id="access-webhook-url" type="url" value={url} required minLength={8} maxLength={2000} spellCheck={false} onChange={(e) => setUrl(e.target.value)} />
      </div>
      <fieldset>
        <legend>{t('access.webhooks.newEvents')}</legend>
        {CHOICES.map((type) => (
          <label className="choice" key={type}>
            <input
              type="checkbox"
              checked={types.includes(type) || (type !== '*' && every)}
              disabled={type !== '*' && every}
              onChange={(e) => setTypes(type === '*' ? (e.target.checked ? ['*'] : []) : e.target.checked ? EVENT_TYPES.filter((x) => x === type || types.includes(x)) : types.filter((x) => x !== type))}
            />
            <span>{eventName(t, type)}</span>
          </label>
        ))}
      </fieldset>
      <Outcome told={told?.ok ? null : told} />
      <button type="submit" className="primary">
        {t('access.webhooks.create')}
      </button>
    </form>
  );
}

function SubscriptionRow({ t, f, subscription, onDisabled }: { t: Translate; f: Formats; subscription: Subscription; onDisabled(text: string): void }) {
  const [told, run] = useOutcome(t);
  const s = subscription;
  return (
    <tr className={s.active ? undefined : 'access-off'}>
      <th scope="row" className="access-url">
        {s.url}
      </th>
      <td>
        <ul className="access-plain">
          {s.eventTypes.map((type) => (
            <li key={type}>{eventName(t, type)}</li>
          ))}
        </ul>
      </td>
      <td>{f.dateTime(s.createdAt)}</td>
      <td>{s.active ? t('access.webhooks.active') : t('access.webhooks.disabledOn', { when: s.disabledAt ? f.dateTime(s.disabledAt) : '' })}</td>
      <td>
        {s.active && (
          <button type="button" aria-label={t('access.webhooks.disable', { url: s.url })} onClick={() => run(() => api('POST', WEBHOOK_PATHS.disable(s.id)).then(() => onDisabled(t('access.webhooks.disabledDone', { url: s.url }))))}>
            {t('access.webhooks.disableShort')}
          </button>
        )}
        <Outcome told={told?.ok ? null : told} />
      </td>
    </tr>
  );
}

export function Webhooks({ t, f }: { t: Translate; f: Formats }) {
  const [subscriptions, setSubscriptions] = useState<Subscription[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const load = useCallback(() => api<Subscription[]>('GET', WEBHOOK_PATHS.list).then(setSubscriptions, (e: unknown) => setProblem(refusal(t, e))), [t]);
  useEffect(() => void load(), [load]);
  return (
    <section aria-labelledby="access-webhooks-title" className="access-page">
      <h1 id="access-webhooks-title" tabIndex={-1}>
        {t('access.webhooks.title')}
      </h1>
      <p className="hint">{t('access.webhooks.intro')}</p>
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
      {created && <ShownOnce t={t} id="access-webhook-secret" label={t('access.webhooks.secret', { url: created.url })} secret={created.secret} onHide={() => setCreated(null)} />}
      <div className="card staff-table">
        {subscriptions && subscriptions.length === 0 && <p className="hint access-empty">{t('access.webhooks.none')}</p>}
        {subscriptions && subscriptions.length > 0 && (
          <table aria-label={t('access.webhooks.list')}>
            <thead>
              <tr>
                <th scope="col">{t('access.webhooks.url')}</th>
                <th scope="col">{t('access.webhooks.events')}</th>
                <th scope="col">{t('access.webhooks.created')}</th>
                <th scope="col">{t('access.webhooks.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('access.staff.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((s) => (
                <SubscriptionRow
                  key={`${s.id}-${String(s.active)}`}
                  t={t}
                  f={f}
                  subscription={s}
                  onDisabled={(text) => {
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
      <NewSubscription
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
