import { useEffect, useState } from 'react';
import { api, session } from '../api.ts';
import { type Me, useApp } from '../app-context.tsx';
import { Field, Link, Notice, useAction } from '../ui.tsx';

const EXTERNAL_ERRORS = ['OIDC_NOT_LINKED', 'OIDC_EXPIRED', 'OIDC_REFUSED', 'OIDC_NOT_CONFIGURED'] as const;
type ExternalError = (typeof EXTERNAL_ERRORS)[number];

/** The refusal the external sign-in sent the person back with (`?signInError=CODE`), if it is one we know. */
function externalErrorOf(search: string): ExternalError | undefined {
  const code = new URLSearchParams(search).get('signInError');
  return EXTERNAL_ERRORS.find((known) => known === code);
}

/** The external identity service's name when the installation offers one; null when not. */
function useExternalProvider(): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    api<{ available: boolean; displayName: string | null }>('GET', '/auth/oidc')
      .then((r) => setName(r.available ? r.displayName : null))
      .catch(() => setName(null));
  }, []);
  return name;
}

export function LoginPage() {
  const { t, setMe, navigate } = useApp();
  const provider = useExternalProvider();
  const [externalError] = useState(() => externalErrorOf(location.search));
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const { busy, errors, run } = useAction<'phone' | 'password'>((code, field) => (code === 'INVALID_MSISDN' || field === 'msisdn' ? 'phone' : code === 'AUTH_FAILED' || field === 'password' ? 'password' : 'form'));
  return (
    <section className="card narrow">
      <h1>{t('login.title')}</h1>
      {externalError && <Notice kind="error">{t(`login.external.${externalError}`, { name: provider ?? '' })}</Notice>}
      {provider && (
        <p>
          <a className="button" href="/api/v1/auth/oidc/start">
            {t('login.external', { name: provider })}
          </a>
        </p>
      )}
      {provider && <p className="muted">{t('login.or')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await api<{ csrfToken: string; principal: Me }>('POST', '/auth/login', { msisdn: phone, password });
            session.set(r.csrfToken);
            setMe(r.principal);
            navigate('/lines');
          });
        }}
      >
        <Field label={t('login.phoneOrEmail')} hint={t('login.phoneOrEmailHint')} value={phone} onChange={setPhone} type="text" autoComplete="username" required error={errors.phone} />
        <Field label={t('login.password')} value={password} onChange={setPassword} type="password" autoComplete="current-password" required error={errors.password} />
        {errors.form && <Notice kind="error">{errors.form}</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <p>
        <Link to="/forgot">{t('login.forgot')}</Link>
      </p>
      <p>
        {t('login.noAccount')} <Link to="/cancel">{t('footer.cancelContract')}</Link>
      </p>
    </section>
  );
}

export function ForgotPage() {
  const { t, setMe, navigate } = useApp();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, errors, run } = useAction<'phone' | 'code' | 'password'>((c, field) => (c === 'INVALID_MSISDN' || field === 'msisdn' ? 'phone' : c.startsWith('OTP_') || field === 'code' ? 'code' : field === 'newPassword' ? 'password' : 'form'));
  return (
    <section className="card narrow">
      <h1>{t('forgot.title')}</h1>
      <p>{t('forgot.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            if (!sent) {
              await api('POST', '/auth/password-reset', { msisdn: phone });
              setSent(true);
              return;
            }
            const r = await api<{ csrfToken: string; principal: Me }>('POST', '/auth/password-reset/confirm', { msisdn: phone, code: code.trim(), newPassword: password });
            session.set(r.csrfToken);
            setMe(r.principal);
            navigate('/lines');
          });
        }}
      >
        <Field label={t('login.phone')} hint={t('login.phoneHint')} value={phone} onChange={setPhone} type="tel" inputMode="tel" autoComplete="tel" required error={errors.phone} />
        {sent && (
          <>
            <Notice kind="info">{t('forgot.sent')}</Notice>
            <Field label={t('forgot.code')} value={code} onChange={setCode} inputMode="numeric" autoComplete="one-time-code" required error={errors.code} />
            <Field label={t('forgot.newPassword')} value={password} onChange={setPassword} type="password" autoComplete="new-password" required error={errors.password} />
          </>
        )}
        {errors.form && <Notice kind="error">{errors.form}</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          {sent ? t('forgot.submit') : t('forgot.send')}
        </button>
      </form>
    </section>
  );
}
