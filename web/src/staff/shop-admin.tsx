/**
 * The administrator's shop set-up (role admin): the shops, one shop's names, address, zone, languages and weekly
 * hours, its services and counters, and which shop each shop agent works in. Refusals are the API's own words in
 * the reader's language (a malformed field, which the form mostly prevents, in the page's words).
 */
import type { Static } from '@sinclair/typebox';
import { useCallback, useEffect, useState } from 'react';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../src/domain/languages.ts';
import type { CounterSchema, ServiceSchema, ShopSchema, ShopSetupSchema, StaffMemberSchema } from '../../../src/channels/api/shop-schemas.ts';
import { api, ApiError } from '../api.ts';
import type { Translate } from './formats.ts';
import type { StaffKey } from './texts.ts';

type Shop = Static<typeof ShopSchema>;
type Counter = Static<typeof CounterSchema>;
type Service = Static<typeof ServiceSchema>;
type Setup = Static<typeof ShopSetupSchema>;
type StaffMember = Static<typeof StaffMemberSchema>;
type Interval = { open: string; close: string };
type Hours = Partial<Record<Weekday, Interval[]>>;

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEK)[number];
const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

const segment = encodeURIComponent;
export const ADMIN_PATHS = {
  shops: '/admin/shops',
  shop: (id: string) => `/admin/shops/${segment(id)}`,
  counter: (shopId: string, id: string) => `/admin/shops/${segment(shopId)}/counters/${segment(id)}`,
  service: (shopId: string, id: string) => `/admin/shops/${segment(shopId)}/services/${segment(id)}`,
  staff: '/admin/staff',
  staffShop: (id: string) => `/admin/staff/${segment(id)}/shop`,
};

const refusal = (t: Translate, failure: unknown): string =>
  failure instanceof ApiError
    ? failure.code === 'VALIDATION_FAILED'
      ? t('admin.error.invalid')
      : failure.code === 'FORBIDDEN'
        ? t('admin.forbidden')
        : failure.message
    : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) });

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
const nameOf = (shop: Shop, language: Language) => shop.names[language] || shop.name;

/** One line saying how the last action went: an error is announced at once, a success politely. */
function Outcome({ outcome }: { outcome: { ok: boolean; text: string } | null }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <p className="notice notice-ok" role="status">
      {outcome.text}
    </p>
  ) : (
    <p className="notice notice-error" role="alert">
      {outcome.text}
    </p>
  );
}

type Run = (work: () => Promise<unknown>, done?: string) => void;
function useOutcome(t: Translate): [{ ok: boolean; text: string } | null, Run] {
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const run: Run = useCallback(
    (work, done) => {
      setOutcome(null);
      work().then(
        () => setOutcome({ ok: true, text: done ?? t('admin.saved') }),
        (e: unknown) => setOutcome({ ok: false, text: refusal(t, e) }),
      );
    },
    [t],
  );
  return [outcome, run];
}

function HoursEditor({ t, hours, onChange }: { t: Translate; hours: Hours; onChange(next: Hours): void }) {
  const set = (day: Weekday, intervals: Interval[]) => onChange({ ...hours, [day]: intervals });
  return (
    <fieldset className="admin-hours">
      <legend>{t('admin.hours')}</legend>
      {WEEK.map((day) => {
        const dayName = t(`weekday.${day}` as StaffKey);
        const intervals = hours[day] ?? [];
        // Two intervals of a day need names of their own.
        const nth = (i: number) => (intervals.length > 1 ? ` (${i + 1})` : '');
        return (
          <div key={day} className="admin-day">
            <span className="admin-day-name">{dayName}</span>
            <div className="row admin-intervals">
              {intervals.length === 0 && <span className="hint">{t('admin.hours.closed')}</span>}
              {intervals.map((interval, i) => (
                <span key={i} className="admin-interval">
                  <input className="admin-time" inputMode="numeric" pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00" maxLength={5} placeholder="09:00" aria-label={`${t('admin.hours.opens')}, ${dayName}${nth(i)}`} value={interval.open} required onChange={(e) => set(day, intervals.map((x, j) => (j === i ? { ...x, open: e.target.value } : x)))} />
                  <span aria-hidden="true">–</span>
                  <input className="admin-time" inputMode="numeric" pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00" maxLength={5} placeholder="09:00" aria-label={`${t('admin.hours.closes')}, ${dayName}${nth(i)}`} value={interval.close} required onChange={(e) => set(day, intervals.map((x, j) => (j === i ? { ...x, close: e.target.value } : x)))} />
                  <button type="button" className="link" aria-label={t('admin.hours.remove', { open: interval.open, close: interval.close, day: dayName })} onClick={() => set(day, intervals.filter((_, j) => j !== i))}>
                    ×
                  </button>
                </span>
              ))}
            </div>
            {intervals.length < 4 && (
              <button type="button" aria-label={t('admin.hours.add', { day: dayName })} onClick={() => set(day, [...intervals, { open: intervals.length ? '14:00' : '09:00', close: intervals.length ? '20:00' : '18:00' }])}>
                {t('admin.hours.addShort')}
              </button>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

interface ShopDraft {
  id: string;
  names: Partial<Record<Language, string>>;
  address: Partial<Record<Language, string>>;
  timeZone: string;
  languages: Language[];
  hours: Hours;
}

const draftOf = (shop: Shop): ShopDraft => ({ id: shop.id, names: { ...shop.names }, address: { ...shop.address }, timeZone: shop.timeZone, languages: [...shop.languages], hours: { ...(shop.weeklyHours as Hours) } });
const emptyDraft = (): ShopDraft => ({ id: '', names: {}, address: {}, timeZone: 'Europe/Moscow', languages: ['ru'], hours: { mon: [{ open: '09:00', close: '18:00' }] } });

function ShopForm({ t, draft, isNew, onSaved }: { t: Translate; draft: ShopDraft; isNew: boolean; onSaved(shop: Shop): void }) {
  const [d, setD] = useState(draft);
  const [outcome, run] = useOutcome(t);
  const words = (key: 'names' | 'address', language: Language, value: string) => setD({ ...d, [key]: { ...d[key], [language]: value } });
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        const hours = Object.fromEntries(Object.entries(d.hours).filter(([, v]) => v && v.length > 0));
        run(() => api<Shop>('POST', ADMIN_PATHS.shop(d.id), { names: d.names, address: d.address, timeZone: d.timeZone.trim(), languages: d.languages, weeklyHours: hours }).then(onSaved));
      }}
    >
      {isNew && (
        <div className="field">
          <label htmlFor="admin-shop-id">{t('admin.newId')}</label>
          <input id="admin-shop-id" value={d.id} required pattern={ID.source.slice(1, -1)} maxLength={40} onChange={(e) => setD({ ...d, id: e.target.value })} />
        </div>
      )}
      <div className="admin-words">
        {(['names', 'address'] as const).map((key) => (
          <fieldset key={key}>
            <legend>{t(key === 'names' ? 'admin.names' : 'admin.address')}</legend>
            {LANGUAGES.map((l) => (
              <div className="field" key={l}>
                <label htmlFor={`admin-${key}-${l}`}>{t('admin.in', { what: t(key === 'names' ? 'admin.names' : 'admin.address'), language: t(`admin.lang.${l}`) })}</label>
                <input id={`admin-${key}-${l}`} lang={l} value={d[key][l] ?? ''} maxLength={key === 'names' ? 80 : 200} required={key === 'names' && d.languages.includes(l)} onChange={(e) => words(key, l, e.target.value)} />
              </div>
            ))}
          </fieldset>
        ))}
        <div>
          <div className="field">
            <label htmlFor="admin-zone">{t('admin.zone')}</label>
            <input id="admin-zone" value={d.timeZone} required maxLength={64} onChange={(e) => setD({ ...d, timeZone: e.target.value })} />
          </div>
          <fieldset>
            <legend>{t('admin.languages')}</legend>
            {LANGUAGES.map((l) => (
              <label className="choice" key={l}>
                <input type="checkbox" checked={d.languages.includes(l)} onChange={(e) => setD({ ...d, languages: e.target.checked ? LANGUAGES.filter((x) => x === l || d.languages.includes(x)) : d.languages.filter((x) => x !== l) })} />
                <span lang={l}>{LANGUAGE_NAMES[l]}</span>
              </label>
            ))}
          </fieldset>
        </div>
      </div>
      <HoursEditor t={t} hours={d.hours} onChange={(hours) => setD({ ...d, hours })} />
      <Outcome outcome={outcome} />
      <button type="submit" className="primary">
        {t('admin.save')}
      </button>
    </form>
  );
}

function ServiceRow({ t, shopId, service, taken, onSaved }: { t: Translate; shopId: string; service: Service | null; taken: number; onSaved(): void }) {
  const [letter, setLetter] = useState(service?.letter ?? '');
  const [names, setNames] = useState<Record<Language, string>>(service?.names ?? { ru: '', en: '', zh: '' });
  const [outcome, run] = useOutcome(t);
  const key = service?.id ?? `new-${taken}`;
  return (
    <tr>
      <td>
        <input aria-label={service ? `${t('admin.service.letter')} ${service.letter}` : `${t('admin.service.letter')}, ${t('admin.service.new')}`} className="admin-letter" value={letter} maxLength={1} required onChange={(e) => setLetter(e.target.value.toUpperCase())} form={`svc-${key}`} />
      </td>
      {LANGUAGES.map((l) => (
        <td key={l}>
          <input aria-label={`${t('admin.service.name', { language: t(`admin.lang.${l}`) })}${service ? ` (${service.letter})` : ''}`} lang={l} value={names[l]} required maxLength={80} onChange={(e) => setNames({ ...names, [l]: e.target.value })} form={`svc-${key}`} />
        </td>
      ))}
      <td>
        <form
          id={`svc-${key}`}
          onSubmit={(e) => {
            e.preventDefault();
            const id = service?.id ?? `${shopId}-${letter.toLowerCase()}`;
            run(() => api('POST', ADMIN_PATHS.service(shopId, id), { letter, names }).then(onSaved));
          }}
        >
          <button type="submit">{service ? t('admin.service.save', { letter: service.letter }) : t('admin.service.add')}</button>
        </form>
        <Outcome outcome={outcome} />
      </td>
    </tr>
  );
}

function CounterRow({ t, language, shopId, counter, services, count, onSaved }: { t: Translate; language: Language; shopId: string; counter: Counter | null; services: Service[]; count: number; onSaved(): void }) {
  const [label, setLabel] = useState(counter?.label ?? '');
  const [offers, setOffers] = useState<string[]>(counter?.services ?? []);
  const [speaks, setSpeaks] = useState<Language[]>((counter?.languages as Language[] | undefined) ?? ['ru']);
  const [out, setOut] = useState(counter?.outOfService ?? false);
  const [outcome, run] = useOutcome(t);
  const key = counter?.id ?? 'new';
  const named = counter?.label ?? t('admin.counter.new');
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  return (
    <tr>
      <td>
        <input aria-label={counter ? `${t('admin.counter.label')} ${counter.label}` : t('admin.counter.new')} className="admin-label" value={label} required maxLength={16} onChange={(e) => setLabel(e.target.value)} form={`ctr-${key}`} />
      </td>
      <td>
        {services.map((s) => (
          <label className="choice" key={s.id}>
            <input type="checkbox" form={`ctr-${key}`} checked={offers.includes(s.id)} aria-label={t('admin.counter.offers', { label: named, service: s.names[language] })} onChange={(e) => setOffers(toggle(offers, s.id, e.target.checked))} />
            <span aria-hidden="true">
              {s.letter} · {s.names[language]}
            </span>
          </label>
        ))}
      </td>
      <td>
        {LANGUAGES.map((l) => (
          <label className="choice" key={l}>
            <input type="checkbox" form={`ctr-${key}`} checked={speaks.includes(l)} aria-label={t('admin.counter.speaks', { label: named, language: t(`admin.lang.${l}`) })} onChange={(e) => setSpeaks(toggle(speaks, l, e.target.checked))} />
            <span aria-hidden="true" lang={l}>
              {LANGUAGE_NAMES[l]}
            </span>
          </label>
        ))}
      </td>
      <td>
        <label className="choice">
          <input type="checkbox" form={`ctr-${key}`} checked={out} aria-label={t('admin.counter.outOf', { label: named })} onChange={(e) => setOut(e.target.checked)} />
          <span aria-hidden="true">{t('admin.counter.out')}</span>
        </label>
      </td>
      <td>
        <form
          id={`ctr-${key}`}
          onSubmit={(e) => {
            e.preventDefault();
            const id = counter?.id ?? `${shopId}-w${slug(label) || String(count + 1)}`;
            run(() => api('POST', ADMIN_PATHS.counter(shopId, id), { label, services: offers, languages: LANGUAGES.filter((l) => speaks.includes(l)), outOfService: out }).then(onSaved));
          }}
        >
          <button type="submit">{counter ? t('admin.counter.save', { label: counter.label }) : t('admin.counter.add')}</button>
        </form>
        <Outcome outcome={outcome} />
      </td>
    </tr>
  );
}

function ShopDetails({ t, language, setup, reload }: { t: Translate; language: Language; setup: Setup; reload(): void }) {
  const shopId = setup.shop.id;
  return (
    <>
      <section aria-labelledby="admin-services" className="card staff-table">
        <h3 id="admin-services">{t('admin.services')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.service.letter')}</th>
              {LANGUAGES.map((l) => (
                <th scope="col" key={l}>
                  {t('admin.service.name', { language: t(`admin.lang.${l}`) })}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('admin.save')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {setup.services.map((s) => (
              <ServiceRow key={s.id} t={t} shopId={shopId} service={s} taken={setup.services.length} onSaved={reload} />
            ))}
            <ServiceRow key={`new-${setup.services.length}`} t={t} shopId={shopId} service={null} taken={setup.services.length} onSaved={reload} />
          </tbody>
        </table>
      </section>
      <section aria-labelledby="admin-counters" className="card staff-table">
        <h3 id="admin-counters">{t('admin.counters')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.counter.label')}</th>
              <th scope="col">{t('admin.counter.services')}</th>
              <th scope="col">{t('admin.counter.languages')}</th>
              <th scope="col">{t('admin.counter.out')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.save')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {setup.counters.map((c) => (
              <CounterRow key={c.id} t={t} language={language} shopId={shopId} counter={c} services={setup.services} count={setup.counters.length} onSaved={reload} />
            ))}
            <CounterRow key={`new-${setup.counters.length}`} t={t} language={language} shopId={shopId} counter={null} services={setup.services} count={setup.counters.length} onSaved={reload} />
          </tbody>
        </table>
      </section>
    </>
  );
}

function Agents({ t, language, shops }: { t: Translate; language: Language; shops: Shop[] }) {
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [outcome, run] = useOutcome(t);
  const load = useCallback(() => void api<StaffMember[]>('GET', ADMIN_PATHS.staff).then(setStaff, () => setStaff([])), []);
  useEffect(load, [load]);
  const agents = (staff ?? []).filter((s) => s.role === 'shop_agent');
  return (
    <section aria-labelledby="admin-agents" className="admin-agents">
      <h2 id="admin-agents">{t('admin.agents')}</h2>
      <Outcome outcome={outcome} />
      <div className="card staff-table">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.agent.name')}</th>
              <th scope="col">{t('admin.agent.login')}</th>
              <th scope="col">{t('admin.agent.shop')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>{a.login}</td>
                <td>
                  <select
                    aria-label={t('admin.agent.shopOf', { name: a.name })}
                    value={a.shopId ?? ''}
                    onChange={(e) => {
                      const shopId = e.target.value || null;
                      const shop = shops.find((s) => s.id === shopId);
                      run(
                        () => api('POST', ADMIN_PATHS.staffShop(a.id), { shopId }).then(load),
                        shop ? t('admin.agent.bound', { name: a.name, shop: nameOf(shop, language) }) : t('admin.agent.unbound', { name: a.name }),
                      );
                    }}
                  >
                    <option value="">{t('admin.agent.none')}</option>
                    {shops.map((s) => (
                      <option key={s.id} value={s.id}>
                        {nameOf(s, language)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ShopAdmin({ t, language }: { t: Translate; language: Language }) {
  const [shops, setShops] = useState<Shop[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [setup, setSetup] = useState<Setup | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const loadShops = useCallback(
    () =>
      api<Shop[]>('GET', ADMIN_PATHS.shops).then(
        (found) => {
          setShops(found);
          setChosen((c) => c ?? found[0]?.id ?? '');
        },
        (e: unknown) => setProblem(refusal(t, e)),
      ),
    [t],
  );
  const loadSetup = useCallback(() => {
    if (!chosen) return setSetup(null);
    api<Setup>('GET', ADMIN_PATHS.shop(chosen)).then(setSetup, (e: unknown) => setProblem(refusal(t, e)));
  }, [chosen, t]);
  useEffect(() => void loadShops(), [loadShops]);
  useEffect(loadSetup, [loadSetup]);
  const isNew = chosen === '';
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title" tabIndex={-1}>
        {t('admin.title')}
      </h1>
      <p className="hint">{t('admin.intro')}</p>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <div className="admin-grid">
        <nav aria-label={t('admin.list')} className="card admin-list">
          {shops && shops.length === 0 && <p className="hint">{t('admin.noShops')}</p>}
          <ul>
            {(shops ?? []).map((s) => (
              <li key={s.id}>
                <button type="button" className="link" aria-current={s.id === chosen ? 'true' : undefined} onClick={() => setChosen(s.id)}>
                  {nameOf(s, language)}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setChosen('')}>
            {t('admin.new')}
          </button>
        </nav>
        <div>
          {isNew && (
            <>
              <h2>{t('admin.shop.newTitle')}</h2>
              <ShopForm
                key="new"
                t={t}
                isNew
                draft={emptyDraft()}
                onSaved={(shop) => {
                  void loadShops();
                  setChosen(shop.id);
                }}
              />
            </>
          )}
          {!isNew && setup && setup.shop.id === chosen && (
            <>
              <h2>{t('admin.shop.title', { name: nameOf(setup.shop, language) })}</h2>
              <ShopForm
                key={setup.shop.id}
                t={t}
                isNew={false}
                draft={draftOf(setup.shop)}
                onSaved={() => {
                  void loadShops();
                  loadSetup();
                }}
              />
              <ShopDetails t={t} language={language} setup={setup} reload={loadSetup} />
            </>
          )}
        </div>
      </div>
      <Agents t={t} language={language} shops={shops ?? []} />
    </section>
  );
}
