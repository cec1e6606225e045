/**
 * The lobby board (1920×1080, read across a room): the latest calls and their counters, live from the server's
 * events. EventSource reconnects by itself and names the last call it got (Last-Event-ID), so the server sends
 * just the calls missed meanwhile (or a snapshot when there were too many); while it is away the board says so in
 * the shop's languages. A stream the server refused is opened again, from the last call shown.
 */
import { useEffect, useState } from 'react';
import { isLanguage, type Language } from '../../../src/domain/languages.ts';
import { type BoardCall, type BoardSnapshot, SHOP_PATHS } from './shop-api.ts';
import { type ShopKey, shopText } from './texts.ts';

/** How many calls the board shows; the newest is the large one. */
const SHOWN = 7;
/** A closed stream (the server refused it) is opened again after this long. */
const REOPEN_MS = 3000;

const isSnapshot = (d: unknown): d is BoardSnapshot => typeof d === 'object' && d !== null && Array.isArray((d as BoardSnapshot).calls);
const isCall = (d: unknown): d is BoardCall => typeof d === 'object' && d !== null && typeof (d as BoardCall).eventId === 'string';

/**
 * Newest first, one row per ticket (a recall moves the ticket up again): `incoming` is newer than `current`, in
 * the order the server sent it (a snapshot is newest first; events arrive one at a time, each the newest).
 */
export function mergeCalls(current: readonly BoardCall[], incoming: readonly BoardCall[]): BoardCall[] {
  const fresh = [...incoming];
  const seen = new Set(fresh.map((c) => c.ticketId));
  return [...fresh, ...current.filter((c) => !seen.has(c.ticketId))].slice(0, SHOWN);
}

export function Board({ shopId }: { shopId: string }) {
  const [name, setName] = useState('');
  const [languages, setLanguages] = useState<Language[]>(['ru', 'en', 'zh']);
  const [calls, setCalls] = useState<BoardCall[]>([]);
  const [live, setLive] = useState(false);
  useEffect(() => {
    let source: EventSource | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let lastId = '';
    const takeSnapshot = (s: BoardSnapshot) => {
      // The shop's name in each language it speaks, each once ("Тверская, 1 · Tverskaya 1 · 特维尔大街1号").
      setName([...new Set(s.languages.filter(isLanguage).map((l) => s.names[l] || s.name))].join(' · ') || s.name);
      const ls = s.languages.filter(isLanguage);
      if (ls.length > 0) setLanguages(ls);
      // The snapshot is the server's truth: it replaces what the board had (a ticket served meanwhile goes away).
      setCalls(mergeCalls([], s.calls));
    };
    const onData = (e: MessageEvent<string>) => {
      if (e.lastEventId) lastId = e.lastEventId;
      const data: unknown = JSON.parse(e.data);
      if (isSnapshot(data)) takeSnapshot(data);
      else if (isCall(data)) setCalls((c) => mergeCalls(c, [data]));
    };
    const open = () => {
      source = new EventSource(SHOP_PATHS.board(shopId, lastId));
      source.onopen = () => setLive(true);
      source.onmessage = onData;
      source.addEventListener('snapshot', (e) => onData(e as MessageEvent<string>));
      source.addEventListener('called', (e) => onData(e as MessageEvent<string>));
      source.onerror = () => {
        setLive(false);
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          reopen = setTimeout(open, REOPEN_MS);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(reopen);
      source?.close();
    };
  }, [shopId]);
  useEffect(() => {
    document.documentElement.lang = languages[0] ?? 'ru';
    document.title = [name, ...languages.map((l) => shopText(l, 'board.title'))].filter(Boolean).join(' · ');
  }, [name, languages]);
  const all = (key: ShopKey) =>
    languages.map((l) => (
      <span key={l} lang={l} className="board-word">
        {shopText(l, key)}
      </span>
    ));
  const [latest, ...earlier] = calls;
  return (
    <main className="board">
      <header className="board-head">
        <h1>{all('board.title')}</h1>
        <p className="board-shop">{name}</p>
      </header>
      {!live && (
        <p className="board-reconnecting" role="status">
          {all('board.reconnecting')}
        </p>
      )}
      {!latest && <p className="board-none">{all('board.none')}</p>}
      {latest && (
        <section className="board-latest" aria-live="assertive" aria-atomic="true" data-testid="board-latest">
          <span className="board-number">{latest.number}</span>
          <span className="board-arrow" aria-hidden="true">
            →
          </span>
          <span className="board-counter">
            <span className="board-counter-word">{all('board.counter')}</span> {latest.counterLabel}
          </span>
          {latest.recalls > 0 && <span className="board-again">{all('board.again')}</span>}
        </section>
      )}
      {earlier.length > 0 && (
        <table className="board-table">
          <thead>
            <tr>
              <th scope="col">{all('board.ticket')}</th>
              <th scope="col">{all('board.counter')}</th>
            </tr>
          </thead>
          <tbody>
            {earlier.map((c) => (
              <tr key={c.eventId}>
                <td>{c.number}</td>
                <td>{c.counterLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
