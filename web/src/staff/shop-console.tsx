/** The shop counter console (role shop_agent): the agent's counter, the queue of the shop and the ticket at the counter. */
import { useCallback, useEffect, useState } from 'react';
import { LANGUAGE_NAMES } from '../../../src/domain/languages.ts';
import { api, ApiError } from '../api.ts';
import type { Formats, Translate } from './formats.ts';
import { CONSOLE_PATHS, type ConsoleTicket, type ShopQueue } from './shop-api.ts';
import { ShopVisit } from './shop-visit.tsx';

const QUEUE_REFRESH_MS = 5000;
const COUNTER_KEY = 'simexit.shop.counter';

export const messageOf = (t: Translate, failure: unknown) => (failure instanceof ApiError ? failure.message : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) }));

export function ShopConsole({ t, f }: { t: Translate; f: Formats }) {
  const [queue, setQueue] = useState<ShopQueue | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [counterId, setCounterId] = useState<string>(() => localStorage.getItem(COUNTER_KEY) ?? '');
  const [opened, setOpened] = useState<ConsoleTicket | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(() => {
    api<ShopQueue>('GET', CONSOLE_PATHS.queue).then(
      (q) => {
        setQueue(q);
        // The ticket at the counter as the server now has it (the list may have been read before it was called).
        setOpened((o) => (o ? (q.tickets.find((tk) => tk.id === o.id) ?? o) : o));
        setUpdatedAt(new Date().toISOString());
        setFailure(null);
      },
      (e: unknown) => setFailure(messageOf(t, e)),
    );
  }, [t]);
  useEffect(() => {
    load();
    const timer = setInterval(load, QUEUE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  const counters = queue?.counters ?? [];
  const counter = counters.find((c) => c.id === counterId) ?? counters[0];
  const label = (id: string | null) => counters.find((c) => c.id === id)?.label ?? '';
  const atMine = (queue?.tickets ?? []).filter((tk) => counter && tk.counterId === counter.id && (tk.state === 'called' || tk.state === 'serving'));
  const open = opened;
  const callNext = () => {
    if (!counter) return;
    setNotice(null);
    api<{ ticket: ConsoleTicket | null }>('POST', CONSOLE_PATHS.callNext, { counterId: counter.id }).then(
      (r) => {
        if (r.ticket) setOpened(r.ticket);
        else setNotice(t('shop.nobody'));
        load();
      },
      (e: unknown) => setFailure(messageOf(t, e)),
    );
  };
  const where = (tk: ConsoleTicket) =>
    tk.state === 'called' ? t('shop.where.called', { label: label(tk.counterId) }) : tk.state === 'serving' ? t('shop.where.serving', { label: label(tk.counterId) }) : !tk.arrived ? t('shop.where.notArrived') : tk.counterId ? t('shop.where.sent', { label: label(tk.counterId) }) : t('shop.where.waiting');
  if (open) {
    return (
      <ShopVisit
        key={open.id}
        t={t}
        f={f}
        ticket={open}
        counters={counters}
        counterLabel={label(open.counterId)}
        onChanged={load}
        onLeft={(message) => {
          setOpened(null);
          setNotice(message);
          load();
        }}
      />
    );
  }
  return (
    <section aria-labelledby="shop-title">
      <h1 id="shop-title">
        {t('shop.title')}
        {queue ? ` · ${queue.shop.names[f.language] || queue.shop.name}` : ''}
      </h1>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      {notice && (
        <p className="notice notice-info" role="status">
          {notice}
        </p>
      )}
      {queue && (
        <div className="card row shop-counter">
          <label className="field">
            <span>{t('shop.counter')}</span>{' '}
            <select
              value={counter?.id ?? ''}
              onChange={(e) => {
                localStorage.setItem(COUNTER_KEY, e.target.value);
                setCounterId(e.target.value);
              }}
            >
              {counters.map((c) => (
                <option key={c.id} value={c.id}>
                  {t('shop.counter.option', { label: c.label })}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" onClick={callNext} disabled={!counter}>
            {t('shop.callNext')}
          </button>
        </div>
      )}
      {atMine.length > 0 && (
        <ul className="plain">
          {atMine.map((tk) => (
            <li key={tk.id}>
              <button type="button" onClick={() => setOpened(tk)}>
                {t('visit.title', { number: tk.number })} · {where(tk)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {queue && (
        <section className="card" aria-labelledby="waiting-title">
          <h2 id="waiting-title">{t('shop.waiting.title')}</h2>
          {queue.tickets.length === 0 ? (
            <p>{t('shop.waiting.none')}</p>
          ) : (
            <div className="staff-table" role="region" aria-labelledby="waiting-title" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('shop.col.ticket')}</th>
                    <th scope="col">{t('shop.col.language')}</th>
                    <th scope="col">{t('shop.col.since')}</th>
                    <th scope="col">{t('shop.col.where')}</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.tickets.map((tk) => (
                    <tr key={tk.id}>
                      <td className="reference">
                        {tk.number}
                        {tk.priority !== 'normal' ? ` (${t('shop.priority')})` : ''}
                      </td>
                      <td>{LANGUAGE_NAMES[tk.language]}</td>
                      <td>{f.time(tk.issuedAt)}</td>
                      <td>{where(tk)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {updatedAt && <p className="hint">{t('shop.updated', { time: f.clock(updatedAt) })}</p>}
        </section>
      )}
    </section>
  );
}
