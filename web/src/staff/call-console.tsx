import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type CallQueue, type HeldSummary, type WaitingCall } from '../api.ts';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../src/domain/languages.ts';
import { HeldCallPanel } from './call-held.tsx';
import type { Formats, Translate } from './formats.ts';

/** How often the queue asks for news while the page is open. */
const REFRESH_MS = 5000;

const problemOf = (t: Translate, failure: unknown) =>
  failure instanceof ApiError && failure.code === 'CALL_AGENT_ONLY' ? t('calls.forbidden') : failure instanceof ApiError ? failure.message : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) });

function checkedText(t: Translate, f: Formats, v: WaitingCall['verified']): string {
  const parts = [v.caller ? t('calls.checked.caller') : null, v.secret === 'pin' ? t('calls.checked.pin') : v.secret === 'document' ? t('calls.checked.document') : null, v.smsCode ? t('calls.checked.sms') : null].filter((p): p is string => p !== null);
  return parts.length ? f.list(parts) : t('calls.checked.none');
}

function WaitingTable({ t, f, waiting, onTake, busy }: { t: Translate; f: Formats; waiting: readonly WaitingCall[]; onTake(id: string): void; busy: boolean }) {
  if (waiting.length === 0) return <p className="notice notice-ok">{t('calls.waiting.none')}</p>;
  return (
    <div className="card staff-table">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('calls.col.place')}</th>
            <th scope="col">{t('calls.col.kind')}</th>
            <th scope="col">{t('calls.col.language')}</th>
            <th scope="col">{t('calls.col.waiting')}</th>
            <th scope="col">{t('calls.col.checked')}</th>
            <th scope="col">{t('calls.col.reason')}</th>
            <th scope="col">{t('calls.col.action')}</th>
          </tr>
        </thead>
        <tbody>
          {waiting.map((w) => (
            <tr key={w.id} data-entry={w.id}>
              <td>{f.count(w.position)}</td>
              <td>{t(w.kind === 'call' ? 'calls.kind.call' : 'calls.kind.callback')}</td>
              <td lang={w.language}>{LANGUAGE_NAMES[w.language]}</td>
              <td>{f.wait(w.waitingSeconds)}</td>
              <td>{checkedText(t, f, w.verified)}</td>
              <td>{t(`reason.${w.reasonKind}`)}</td>
              <td>
                <button type="button" className="primary" disabled={busy} onClick={() => onTake(w.id)}>
                  {t('calls.take')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HeldList({ t, f, held, onOpen }: { t: Translate; f: Formats; held: readonly HeldSummary[]; onOpen(id: string): void }) {
  if (held.length === 0) return null;
  return (
    <section className="card" aria-labelledby="held-title">
      <h2 id="held-title">{t('calls.held.title')}</h2>
      <ul className="plain">
        {held.map((h) => (
          <li key={h.id} className="row">
            <span>
              {t(h.kind === 'call' ? 'calls.kind.call' : 'calls.kind.callback')} · {LANGUAGE_NAMES[h.language]} · {t('calls.held.since', { time: f.time(h.takenAt) })}
            </span>
            <button type="button" onClick={() => onOpen(h.id)}>
              {t('calls.held.open')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The call agent's page: the queue by language, refreshing by itself, and the call they hold. */
export function CallConsole({ t, f }: { t: Translate; f: Formats }) {
  const [queue, setQueue] = useState<CallQueue | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [only, setOnly] = useState<Language | 'all'>('all');
  const [open, setOpen] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api<CallQueue>('GET', '/staff/calls/queue')
      .then((found) => {
        setQueue(found);
        setUpdatedAt(new Date().toISOString());
        setProblem(null);
      })
      .catch((failure: unknown) => setProblem(problemOf(t, failure)));
  }, [t]);
  useEffect(() => {
    if (open) return undefined;
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, open]);

  if (open) {
    return (
      <HeldCallPanel
        id={open}
        t={t}
        f={f}
        onBack={() => setOpen(null)}
        onFinished={() => {
          setNotice(t('calls.finished'));
          setOpen(null);
        }}
      />
    );
  }
  const waiting = queue?.waiting ?? [];
  const shown = only === 'all' ? waiting : waiting.filter((w) => w.language === only);
  const take = (id: string) => {
    setBusy(true);
    setNotice(null);
    api('POST', `/staff/calls/${encodeURIComponent(id)}/take`)
      .then(() => setOpen(id))
      .catch((failure: unknown) => {
        setProblem(problemOf(t, failure));
        load();
      })
      .finally(() => setBusy(false));
  };
  return (
    <section className="console">
      <h1 tabIndex={-1}>{t('calls.title')}</h1>
      <p className="hint">{t('calls.intro')}</p>
      <p className="anti-scam">{t('calls.never')}</p>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {queue && <HeldList t={t} f={f} held={queue.held} onOpen={setOpen} />}
      {queue && (
        <>
          <h2>{t('calls.waiting.title')}</h2>
          <fieldset>
            <legend>{t('calls.filter')}</legend>
            <div className="row">
              {(['all', ...LANGUAGES] as const).map((l) => (
                <label key={l} className="choice">
                  <input type="radio" name="queue-language" checked={only === l} onChange={() => setOnly(l)} />
                  <span>{l === 'all' ? t('calls.filter.all', { count: f.count(waiting.length) }) : t('calls.filter.one', { language: LANGUAGE_NAMES[l], count: f.count(waiting.filter((w) => w.language === l).length) })}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <WaitingTable t={t} f={f} waiting={shown} onTake={take} busy={busy} />
          {updatedAt && <p className="hint">{t('calls.updated', { time: f.clock(updatedAt) })}</p>}
        </>
      )}
    </section>
  );
}
