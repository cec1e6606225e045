import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, session, type SessionInfo, type SignedIn, type SiteInfo, setApiLanguage, type StaffAlert } from '../api.ts';
import { LOCALE_OF } from '../../../src/domain/languages.ts';
import { CallConsole } from './call-console.tsx';
import { STAFF_PAGES, type StaffPage } from './pages.tsx';
import { ShopConsole } from './shop-console.tsx';
import { CallCentreFigures } from './call-figures.tsx';
import { formatsFor } from './formats.ts';
import { initialStaffLanguage, STAFF_LANGUAGES, type StaffKey, type StaffLanguage, staffText } from './texts.ts';

type Principal = SessionInfo['principal'];
type Translate = (key: StaffKey, values?: Record<string, string>) => string;

const LOCALE = LOCALE_OF;
const LANGUAGE_KEY = 'simexit.staff.language';

function SignIn({ t, onSignedIn }: { t: Translate; onSignedIn(principal: Principal): void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section className="card narrow">
      <h1 tabIndex={-1}>{t('signIn.title')}</h1>
      <p className="hint">{t('signIn.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          api<SignedIn>('POST', '/auth/login', { login, password })
            .then((r) => {
              session.set(r.csrfToken);
              onSignedIn(r.principal);
            })
            .catch((failure: unknown) => setError(failure instanceof ApiError && failure.code === 'AUTH_FAILED' ? t('signIn.failed') : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) })))
            .finally(() => setBusy(false));
        }}
      >
        <div className="field">
          <label htmlFor="staff-login">{t('signIn.login')}</label>
          <input id="staff-login" value={login} onChange={(e) => setLogin(e.target.value)} autoComplete="username" required aria-invalid={error ? true : undefined} />
        </div>
        <div className="field">
          <label htmlFor="staff-password">{t('signIn.password')}</label>
          <input id="staff-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required aria-invalid={error ? true : undefined} />
        </div>
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}

function Alerts({ t, dateTime }: { t: Translate; dateTime(iso: string): string }) {
  const [all, setAll] = useState(false);
  const [alerts, setAlerts] = useState<StaffAlert[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => {
    api<StaffAlert[]>('GET', `/staff/alerts${all ? '?all=true' : ''}`)
      .then((found) => {
        setAlerts(found);
        setProblem(null);
      })
      .catch((failure: unknown) => setProblem(failure instanceof ApiError && failure.status === 403 ? t('alerts.forbidden') : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) })));
  }, [all, t]);
  useEffect(load, [load]);
  const kindText = (kind: string) => (kind === 'not_me' ? t('alerts.kind.not_me') : t('alerts.kind.other', { kind }));
  return (
    <section>
      <h1 tabIndex={-1}>{t('alerts.title')}</h1>
      <p className="hint">{t('alerts.intro')}</p>
      {alerts && (
        <label className="choice">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          <span>{t('alerts.showHandled')}</span>
        </label>
      )}
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {alerts && alerts.length === 0 && <p className="notice notice-ok">{t('alerts.none')}</p>}
      {alerts && alerts.length > 0 && (
        <div className="card staff-table">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('alerts.when')}</th>
                <th scope="col">{t('alerts.what')}</th>
                <th scope="col">{t('alerts.order')}</th>
                <th scope="col">{t('alerts.number')}</th>
                <th scope="col">{t('alerts.status')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td>{dateTime(a.createdAt)}</td>
                  <td>{kindText(a.kind)}</td>
                  <td className="reference">{a.reference}</td>
                  <td>{typeof a.data.msisdn === 'string' ? a.data.msisdn : ''}</td>
                  <td>
                    {a.handledAt ? (
                      t('alerts.handled', { when: dateTime(a.handledAt) })
                    ) : (
                      <button type="button" onClick={() => void api('POST', `/staff/alerts/${encodeURIComponent(a.id)}/handled`).then(load, load)}>
                        {t('alerts.markHandled')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const DESK: StaffPage = { id: '', roles: ['back_office', 'admin'], label: 'admin.nav.desk', render: () => null };
const pageOf = (hash: string, pages: readonly StaffPage[]): StaffPage => pages.find((p) => p.id !== '' && `#${p.id}` === hash) ?? DESK;

/** The back office's pages (kept in the address, #id), for the roles that may open them. */
function StaffNav({ t, pages, page, onPage }: { t: Translate; pages: readonly StaffPage[]; page: StaffPage; onPage(page: StaffPage): void }) {
  return (
    <nav aria-label={t('admin.nav.label')} className="row admin-nav">
      {pages.map((p) => (
        <a
          key={p.id}
          href={p.id ? `#${p.id}` : '#'}
          aria-current={p === page ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault();
            history.replaceState(null, '', p.id ? `#${p.id}` : location.pathname);
            onPage(p);
          }}
        >
          {t(p.label)}
        </a>
      ))}
    </nav>
  );
}

export function StaffApp({ site, initial }: { site: SiteInfo; initial: Principal | null }) {
  const [language, setLanguage] = useState<StaffLanguage>(() => initialStaffLanguage(localStorage.getItem(LANGUAGE_KEY), navigator.languages));
  const [me, setMe] = useState<Principal | null>(initial);
  const callAgent = me?.kind === 'staff' && me.role === 'call_agent';
  const shopAgent = me?.kind === 'staff' && me.role === 'shop_agent';
  const role = me?.kind === 'staff' ? me.role : null;
  const pages = useMemo(() => (role ? [DESK, ...STAFF_PAGES].filter((p) => (p.roles as readonly string[]).includes(role)) : []), [role]);
  const [page, setPage] = useState<StaffPage>(() => pageOf(location.hash, STAFF_PAGES));
  const shown = pages.includes(page) ? page : DESK;
  const desk = shown === DESK;
  const title = staffText(language, callAgent ? 'app.callCentre' : shopAgent ? 'app.shop' : 'app.title');
  useEffect(() => {
    setApiLanguage(language);
    document.documentElement.lang = language;
    document.title = `${site.operatorName} · ${title}`;
  }, [language, site.operatorName, title]);
  const formats = useMemo(() => formatsFor(language, site.timezone), [language, site.timezone]);
  const t: Translate = useCallback((key, values) => staffText(language, key, values), [language]);
  const dateTime = (iso: string) => new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'medium', timeStyle: 'short', timeZone: site.timezone }).format(new Date(iso));
  const signOut = () => {
    void api('POST', '/auth/logout').finally(() => {
      session.set(null);
      setMe(null);
    });
  };
  return (
    <>
      <header className="top">
        <span className="brand">
          {site.operatorName} · {title}
        </span>
        <nav aria-label={title}>
          <label className="language">
            <span className="visually-hidden">{t('nav.language')}</span>
            <select
              value={language}
              onChange={(e) => {
                const chosen = e.target.value as StaffLanguage;
                localStorage.setItem(LANGUAGE_KEY, chosen);
                setLanguage(chosen);
              }}
            >
              {STAFF_LANGUAGES.map((l) => (
                <option key={l.code} value={l.code} lang={l.code}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          {me && (
            <button type="button" className="link" onClick={signOut}>
              {t('nav.signOut')}
            </button>
          )}
        </nav>
      </header>
      <main id="main">
        {!me && <SignIn t={t} onSignedIn={setMe} />}
        {me && me.kind !== 'staff' && <p className="notice notice-error">{t('signIn.notStaff')}</p>}
        {me && me.kind === 'staff' && callAgent && <CallConsole t={t} f={formats} />}
        {me && me.kind === 'staff' && shopAgent && <ShopConsole t={t} f={formats} />}
        {pages.length > 1 && <StaffNav t={t} pages={pages} page={shown} onPage={setPage} />}
        {!desk && shown.render({ t, f: formats, language, dateTime })}
        {me && me.kind === 'staff' && !callAgent && !shopAgent && desk && <Alerts t={t} dateTime={dateTime} />}
        {me && me.kind === 'staff' && (me.role === 'back_office' || me.role === 'admin') && desk && <CallCentreFigures t={t} f={formats} />}
      </main>
    </>
  );
}
