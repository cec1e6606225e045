/**
 * The kiosk (touch, portrait, no sign-in): the language, the service, then the ticket to print; or, for a ticket
 * taken on the site or by SMS, the check-in and the holder's place. Back to the start by itself.
 */
import { useCallback, useEffect, useState } from 'react';
import { LANGUAGE_NAMES, LOCALE_OF, type Language, waitInWords } from '../../../src/domain/languages.ts';
import { CheckIn } from './check-in.tsx';
import { getJson, type IssuedTicket, type KioskInfo, newKey, postJson, SHOP_PATHS, ShopApiError } from './shop-api.ts';
import { shopText } from './texts.ts';

/** How long the ticket stays on screen before the kiosk is ready for the next person. */
export const RESTART_SECONDS = 15;

const waitText = (language: Language, minutes: number | null, ahead: number) =>
  minutes === null ? shopText(language, 'kiosk.waitUnknown') : ahead === 0 || minutes === 0 ? shopText(language, 'kiosk.waitNext') : shopText(language, 'kiosk.wait', { wait: waitInWords(minutes * 60, language) });

/** The ticket just taken, or (checkedIn) a remote ticket just checked in, shown in the kiosk's language. */
function Ticket({ ticket, language, checkedIn, timeZone, onDone }: { ticket: IssuedTicket; language: Language; checkedIn: boolean; timeZone: string | undefined; onDone(): void }) {
  const l = language;
  const [left, setLeft] = useState(RESTART_SECONDS);
  useEffect(() => {
    const timer = setInterval(() => setLeft((s) => s - 1), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) onDone();
  }, [left, onDone]);
  const time = new Intl.DateTimeFormat(LOCALE_OF[l], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(ticket.issuedAt));
  return (
    <section className="kiosk-done" aria-labelledby="ticket-number">
      <div className="ticket" id="ticket">
        <p className="ticket-shop">{ticket.shopName}</p>
        <p className="ticket-label">{shopText(l, checkedIn ? 'checkIn.done' : 'kiosk.yourTicket')}</p>
        <p className="ticket-number" id="ticket-number">
          {ticket.number}
        </p>
        <p className="ticket-service">{ticket.serviceNames[l]}</p>
        <p>{shopText(l, 'kiosk.ahead', { count: new Intl.NumberFormat(LOCALE_OF[l]).format(ticket.ahead) })}</p>
        <p className="ticket-wait">{waitText(l, ticket.estimatedWaitMinutes, ticket.ahead)}</p>
        <p className="ticket-small">{shopText(l, 'kiosk.watchBoard')}</p>
        <p className="ticket-small">{shopText(l, 'kiosk.taken', { time })}</p>
      </div>
      <div className="kiosk-actions no-print">
        <button type="button" className="kiosk-button" onClick={() => window.print()}>
          {shopText(l, 'kiosk.print')}
        </button>
        <button type="button" className="kiosk-button secondary" onClick={onDone}>
          {shopText(l, 'kiosk.done')}
        </button>
      </div>
      <p className="kiosk-restart no-print" aria-live="polite">
        {shopText(l, 'kiosk.restart', { seconds: String(Math.max(0, left)) })}
      </p>
    </section>
  );
}

export function Kiosk({ shopId }: { shopId: string }) {
  const [info, setInfo] = useState<KioskInfo | null>(null);
  const [language, setLanguage] = useState<Language | null>(null);
  const [ticket, setTicket] = useState<IssuedTicket | null>(null);
  const [checkingIn, setCheckingIn] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shown: Language = language ?? info?.shop.languages[0] ?? 'ru';
  // Times in the shop's zone (from the API), never the kiosk's clock setting.
  const timeZone = info?.shop.timeZone;
  const load = useCallback(() => {
    getJson<KioskInfo>(SHOP_PATHS.kiosk(shopId), shown).then(setInfo, (e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  }, [shopId, shown]);
  useEffect(load, [load]);
  useEffect(() => {
    document.documentElement.lang = shown;
    if (info) document.title = `${info.shop.names[shown] || info.shop.name} · ${shopText(shown, 'kiosk.title')}`;
  }, [shown, info]);
  const restart = useCallback(() => {
    setTicket(null);
    setCheckingIn(false);
    setLanguage(null);
    setFailure(null);
    load();
  }, [load]);
  const take = (serviceId: string) => {
    if (!language || busy) return;
    setBusy(true);
    postJson<IssuedTicket>(SHOP_PATHS.tickets(shopId), { serviceId, language }, language, newKey())
      .then(setTicket, (e: unknown) => setFailure(e instanceof ShopApiError ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  if (ticket) return <main className="kiosk"><Ticket ticket={ticket} language={language ?? ticket.language} checkedIn={checkingIn} timeZone={timeZone} onDone={restart} /></main>;
  const startCheckIn = (l: Language) => {
    setLanguage(l);
    setCheckingIn(true);
  };
  return (
    <main className="kiosk">
      <header className="kiosk-head">
        <p className="kiosk-shop">{info ? info.shop.names[shown] || info.shop.name : ''}</p>
        <h1>{language ? shopText(language, checkingIn ? 'checkIn.title' : 'kiosk.chooseService') : (info?.shop.languages ?? ['ru']).map((l) => shopText(l, 'kiosk.title')).join(' · ')}</h1>
      </header>
      {failure && (
        <p className="kiosk-failure" role="alert">
          {shopText(shown, 'kiosk.failed', { message: failure })}
        </p>
      )}
      {!info && !failure && <p className="kiosk-note">{shopText(shown, 'kiosk.loading')}</p>}
      {info && !info.open && (
        <section className="kiosk-failure" role="status">
          {info.shop.languages.map((l) => (
            <p key={l} lang={l}>
              {shopText(l, 'kiosk.closed')}{' '}
              {info.nextOpening && shopText(l, 'kiosk.opens', { when: new Intl.DateTimeFormat(LOCALE_OF[l], { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(info.nextOpening)) })}
            </p>
          ))}
        </section>
      )}
      {info && info.open && !language && (
        <section aria-labelledby="languages-title">
          <h2 id="languages-title" className="kiosk-sub">
            {info.shop.languages.map((l) => shopText(l, 'kiosk.chooseLanguage')).join(' · ')}
          </h2>
          <div className="kiosk-grid">
            {info.shop.languages.map((l) => (
              <button key={l} type="button" className="kiosk-button language-button" lang={l} onClick={() => setLanguage(l)}>
                {LANGUAGE_NAMES[l]}
              </button>
            ))}
          </div>
          <div className="kiosk-have-ticket">
            {info.shop.languages.map((l) => (
              <button key={l} type="button" className="kiosk-button secondary have-ticket-button" lang={l} onClick={() => startCheckIn(l)}>
                {shopText(l, 'kiosk.haveTicket')}
              </button>
            ))}
          </div>
        </section>
      )}
      {info && info.open && language && checkingIn && (
        <CheckIn shopId={shopId} language={language} letters={[...new Set(info.services.map((s) => s.letter))].sort()} onCheckedIn={setTicket} onBack={restart} />
      )}
      {info && info.open && language && !checkingIn && (
        <section aria-label={shopText(language, 'kiosk.chooseService')}>
          <div className="kiosk-grid">
            {info.services.map((s) => (
              <button key={s.id} type="button" className="kiosk-button service-button" disabled={busy} onClick={() => take(s.id)}>
                <span className="service-letter" aria-hidden="true">
                  {s.letter}
                </span>
                <span className="service-name">{s.names[language]}</span>
                <span className="service-wait">
                  {s.estimatedWaitMinutes === null
                    ? shopText(language, 'kiosk.noCounter')
                    : s.waiting === 0
                      ? shopText(language, 'kiosk.waitingNone')
                      : shopText(language, 'kiosk.waiting', { count: new Intl.NumberFormat(LOCALE_OF[language]).format(s.waiting), wait: waitInWords(Math.max(1, s.estimatedWaitMinutes) * 60, language) })}
                </span>
              </button>
            ))}
          </div>
          <button type="button" className="kiosk-button secondary kiosk-back" onClick={() => setLanguage(null)}>
            {shopText(language, 'kiosk.back')}
          </button>
        </section>
      )}
    </main>
  );
}
