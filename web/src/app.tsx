import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, session, setApiLanguage, type SiteInfo } from './api.ts';
import { AppContext, type AppState, type Me, useApp } from './app-context.tsx';
import { DemoClock } from './demo-clock.tsx';
import { initialLanguage, LANGUAGES, type Language, translate } from './i18n/index.ts';
import { CancelPage } from './pages/cancel.tsx';
import { LinesPage } from './pages/lines.tsx';
import { ForgotPage, LoginPage } from './pages/login.tsx';
import { PublicCancelPage } from './pages/public-cancel.tsx';
import { ReclaimPage } from './pages/reclaim.tsx';
import { RequestPage, RequestsPage } from './pages/request.tsx';
import { ShopTicketPage } from './pages/shop-ticket.tsx';
import { Link } from './ui.tsx';

function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    history.pushState(null, '', to);
    setPath(to);
    scrollTo(0, 0);
    // Move focus to the new page's heading, so keyboard and screen-reader users land on it.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
  }, []);
  return [path, navigate];
}

function Page({ path }: { path: string }) {
  const { me } = useApp();
  const cancel = /^\/lines\/([^/]+)\/cancel$/.exec(path);
  const request = /^\/terminations\/([^/]+)$/.exec(path);
  const ticket = /^\/lines\/([^/]+)\/shop-ticket$/.exec(path);
  if (path === '/cancel') return <PublicCancelPage />;
  if (path === '/forgot') return <ForgotPage />;
  if (!me) return <LoginPage />;
  if (cancel?.[1]) return <CancelPage lineId={decodeURIComponent(cancel[1])} />;
  if (request?.[1]) return <RequestPage reference={decodeURIComponent(request[1])} />;
  if (path === '/terminations') return <RequestsPage />;
  if (path === '/reclaim') return <ReclaimPage />;
  if (ticket?.[1]) return <ShopTicketPage lineId={decodeURIComponent(ticket[1])} />;
  if (path === '/shop-tickets') return <ShopTicketPage />;
  return <LinesPage />;
}

function Shell({ path }: { path: string }) {
  const { t, me, setMe, language, setLanguage, site, navigate } = useApp();
  // Bumped when the demo clock moves: the page is mounted again and loads its data anew.
  const [epoch, setEpoch] = useState(0);
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          {site.operatorName}
        </Link>
        <nav aria-label={t('app.title')}>
          {me && <Link to="/lines">{t('nav.lines')}</Link>}
          {me && <Link to="/terminations">{t('nav.requests')}</Link>}
          {me ? (
            <button
              type="button"
              className="link"
              onClick={() => {
                void api('POST', '/auth/logout').finally(() => {
                  session.set(null);
                  setMe(null);
                  navigate('/');
                });
              }}
            >
              {t('nav.signOut')}
            </button>
          ) : (
            path !== '/' && <Link to="/">{t('nav.signIn')}</Link>
          )}
          <label className="language">
            <span className="visually-hidden">{t('nav.language')}</span>
            <select value={language} onChange={(e) => setLanguage(e.target.value as Language)} aria-label={t('nav.language')}>
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code} lang={l.code}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
        </nav>
      </header>
      <main id="main">
        <Page key={epoch} path={path} />
      </main>
      <footer>
        <Link to="/cancel">{t('footer.cancelContract')}</Link>
        <p>{t('footer.official', { url: site.siteUrl })}</p>
        <DemoClock onMoved={() => setEpoch((n) => n + 1)} />
      </footer>
    </>
  );
}

export function App({ site, me: initialMe }: { site: SiteInfo; me: Me | null }) {
  const [language, setLanguageState] = useState<Language>(() => initialLanguage(localStorage.getItem('simexit.lang'), navigator.languages ?? [navigator.language]));
  const [me, setMe] = useState<Me | null>(initialMe);
  const [path, navigate] = usePath();
  setApiLanguage(language);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${translate(language, 'app.title')} — ${site.operatorName}`;
  }, [language, site.operatorName]);
  const state = useMemo<AppState>(
    () => ({
      language,
      setLanguage: (next) => {
        localStorage.setItem('simexit.lang', next);
        setApiLanguage(next);
        setLanguageState(next);
      },
      site,
      me,
      setMe,
      navigate,
    }),
    [language, site, me, navigate],
  );
  return (
    <AppContext.Provider value={state}>
      {/* Re-render pages on a language change so API messages are fetched again in the new language. */}
      <Shell key={language} path={path} />
    </AppContext.Provider>
  );
}
