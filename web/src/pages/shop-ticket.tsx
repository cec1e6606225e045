import { useEffect, useState } from 'react';
import { api, type Line, type MyTicket, newIdempotencyKey, type SubscriberShop } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { formatWeekdayTime, type Language, LANGUAGES } from '../i18n/index.ts';
import { Choices, Notice, useAction } from '../ui.tsx';

type T = ReturnType<typeof useApp>['t'];

/** Opening state in words, in the shop's own time zone: "open now, today 10:00–18:00" or "closed now, opens …". */
function shopStatus(t: T, language: Language, shop: SubscriberShop): string {
  if (shop.open) return shop.todayHours.length ? t('ticket.openToday', { hours: shop.todayHours.map((h) => `${h.open}–${h.close}`).join(', ') }) : t('ticket.openNow');
  return shop.nextOpening ? t('ticket.closedOpens', { when: formatWeekdayTime(language, shop.nextOpening, shop.timeZone) }) : t('ticket.closedNoHours');
}

/** The wait in words; `labelled` beside "Estimated wait", so the minutes alone ("about 25 min", not "about 25 min wait"). */
function waitWords(t: T, minutes: number | null, labelled = false): string {
  if (minutes === null) return t('ticket.waitUnknown');
  return minutes === 0 ? t('ticket.waitNone') : t(labelled ? 'ticket.waitValue' : 'ticket.waitAbout', { minutes });
}

function stateWords(t: T, ticket: MyTicket): string {
  if (ticket.state === 'called') return t('ticket.state.called', { counter: ticket.counterLabel ?? '' });
  if (ticket.state === 'serving') return t('ticket.state.serving', { counter: ticket.counterLabel ?? '' });
  return ticket.checkedIn ? t('ticket.state.arrived') : t('ticket.state.waiting');
}

/** One ticket: the number large enough to read off a phone at the kiosk, then where, how many ahead and what next. */
function TicketCard({ ticket, heading, shop }: { ticket: MyTicket; heading: 'h2' | 'h3'; shop: SubscriberShop | undefined }) {
  const { t, language } = useApp();
  const Heading = heading;
  const closed = shop !== undefined && !shop.open;
  return (
    <article className="card ticket" aria-labelledby={`ticket-${ticket.id}`}>
      <Heading id={`ticket-${ticket.id}`} className="ticket-heading">
        <span className="ticket-label">{t('ticket.yours')}</span> <span className="ticket-number">{ticket.number}</span>
      </Heading>
      <p className="ticket-where">{t('ticket.at', { shop: ticket.shopName, service: ticket.serviceNames[language] })}</p>
      <p>
        <strong>{stateWords(t, ticket)}</strong>
      </p>
      {ticket.state === 'waiting' && (
        <dl>
          <div>
            <dt>{t('ticket.aheadLabel')}</dt>
            <dd>{ticket.ahead}</dd>
          </div>
          {/* While the shop is closed nobody is served: a wait counted from now would not be true. */}
          {!closed && (
            <div>
              <dt>{t('ticket.waitLabel')}</dt>
              <dd>{waitWords(t, ticket.estimatedWaitMinutes, true)}</dd>
            </div>
          )}
        </dl>
      )}
      {closed && shop?.nextOpening && <p>{t('ticket.closedNote', { when: formatWeekdayTime(language, shop.nextOpening, shop.timeZone) })}</p>}
      {ticket.state === 'waiting' && !ticket.checkedIn && (
        <>
          {ticket.aheadNoticeSent ? <Notice kind="info">{t('ticket.texted')}</Notice> : ticket.phone && <p>{t('ticket.willText', { phone: ticket.phone })}</p>}
          <p>
            <strong>{t('ticket.checkIn', { number: ticket.number })}</strong>
          </p>
        </>
      )}
      <p className="hint">{t('ticket.taken', { when: formatWeekdayTime(language, ticket.issuedAt, ticket.shopTimeZone) })}</p>
    </article>
  );
}

/** Take a ticket to a shop before coming (issue 14): pick the line to text, the shop and the service. */
export function ShopTicketPage({ lineId }: { lineId?: string | undefined }) {
  const { t, language } = useApp();
  const [shops, setShops] = useState<SubscriberShop[] | null>(null);
  const [lines, setLines] = useState<Line[] | null>(null);
  const [mine, setMine] = useState<MyTicket[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [line, setLine] = useState(lineId ?? '');
  const [shopId, setShopId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [ticketLanguage, setTicketLanguage] = useState<Language>(language);
  const [taken, setTaken] = useState<MyTicket | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const { busy, errors, run } = useAction();

  const loadMine = () => api<MyTicket[]>('GET', '/me/shop-tickets').then(setMine, () => setMine([]));
  useEffect(() => {
    api<SubscriberShop[]>('GET', '/me/shops').then(setShops, (e: Error) => setLoadError(e.message));
    api<Line[]>('GET', '/lines').then((all) => {
      const active = all.filter((l) => l.state === 'active');
      setLines(active);
      setLine((chosen) => (active.some((l) => l.id === chosen) ? chosen : (active[0]?.id ?? '')));
    }, (e: Error) => setLoadError(e.message));
    void loadMine();
  }, []);

  if (loadError) return <Notice kind="error">{loadError}</Notice>;
  if (!shops || !lines) return <p>{t('common.loading')}</p>;
  const shop = shops.find((s) => s.id === shopId);
  const service = shop?.services.find((s) => s.id === serviceId);
  const chooseShop = (id: string) => {
    const next = shops.find((s) => s.id === id);
    setShopId(id);
    setServiceId(next?.services.length === 1 ? (next.services[0]?.id ?? '') : '');
    if (next && !next.languages.includes(ticketLanguage)) setTicketLanguage(next.languages.includes(language) ? language : (next.languages[0] ?? language));
  };
  const others = mine.filter((m) => m.id !== taken?.id);

  return (
    <section>
      <h1>{t('ticket.title')}</h1>
      <p>{t('ticket.intro')}</p>
      {taken ? (
        <>
          <div role="status">
            <TicketCard ticket={taken} heading="h2" shop={shops.find((s) => s.id === taken.shopId)} />
          </div>
          <p>
            <button
              type="button"
              onClick={() => {
                setTaken(null);
                setKey(newIdempotencyKey());
              }}
            >
              {t('ticket.another')}
            </button>
          </p>
        </>
      ) : lines.length === 0 ? (
        <Notice kind="info">{t('ticket.noLine')}</Notice>
      ) : (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const ticket = await api<MyTicket>('POST', '/me/shop-tickets', { shopId, serviceId, lineId: line, language: ticketLanguage }, { 'idempotency-key': key });
              setTaken(ticket);
              await loadMine();
            });
          }}
        >
          <Choices legend={t('ticket.line')} name="line" value={line} onChange={setLine} options={lines.map((l) => [l.id, l.msisdn] as const)} />
          <Choices legend={t('ticket.shop')} name="shop" value={shopId} onChange={chooseShop} options={shops.map((s) => [s.id, `${s.names[language] || s.name} — ${shopStatus(t, language, s)}`] as const)} />
          {shop && (
            <Choices
              legend={t('ticket.service')}
              name="service"
              value={serviceId}
              onChange={setServiceId}
              options={shop.services.map((s) => [s.id, `${s.letter} · ${s.names[language]} — ${waitWords(t, s.estimatedWaitMinutes)} · ${t('ticket.waiting', { n: s.waiting })}`] as const)}
            />
          )}
          {shop && shop.languages.length > 1 && (
            <Choices
              legend={t('ticket.language')}
              name="ticket-language"
              value={ticketLanguage}
              onChange={setTicketLanguage}
              options={shop.languages.map((l) => [l, LANGUAGES.find((x) => x.code === l)?.label ?? l] as const)}
            />
          )}
          {shop && !shop.open && shop.nextOpening && <p className="hint">{t('ticket.closedNote', { when: formatWeekdayTime(language, shop.nextOpening, shop.timeZone) })}</p>}
          {errors.form && <Notice kind="error">{errors.form}</Notice>}
          <button type="submit" className="primary" disabled={busy || !shop || !service || !line}>
            {t('ticket.submit')}
          </button>
        </form>
      )}
      {(others.length > 0 || !taken) && (
        <>
          <h2>{t('ticket.today')}</h2>
          {others.length === 0 ? <p>{t('ticket.noneToday')}</p> : others.map((m) => <TicketCard key={m.id} ticket={m} heading="h3" shop={shops.find((s) => s.id === m.shopId)} />)}
        </>
      )}
    </section>
  );
}
