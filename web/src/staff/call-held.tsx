import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type CallCancelled, type HeldCall } from '../api.ts';
import { LANGUAGE_NAMES, isLanguage } from '../../../src/domain/languages.ts';
import type { Formats, Translate } from './formats.ts';

const CHECKLIST = ['identityConfirmed', 'callerConsents', 'toldMoney', 'toldData', 'toldReclaimPeriod'] as const;
type Item = (typeof CHECKLIST)[number];
const OUTCOMES = ['line_cancelled', 'resolved', 'not_reached', 'caller_left'] as const;
type Outcome = (typeof OUTCOMES)[number];
type When = 'now' | 'end_of_period';
const HELD_REFRESH_MS = 10_000;

const unticked = (): Record<Item, boolean> => ({ identityConfirmed: false, callerConsents: false, toldMoney: false, toldData: false, toldReclaimPeriod: false });
const messageOf = (t: Translate, failure: unknown) => (failure instanceof ApiError ? failure.message : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) }));

function Verified({ t, call }: { t: Translate; call: HeldCall }) {
  const v = call.verified;
  return (
    <section className="card" aria-labelledby="verified-title">
      <h2 id="verified-title">{t('call.verified.title')}</h2>
      <ul className="plain">
        <li>{t(v.caller ? 'call.verified.caller.yes' : 'call.verified.caller.no')}</li>
        <li>{t(v.secret === 'pin' ? 'call.verified.secret.pin' : v.secret === 'document' ? 'call.verified.secret.document' : 'call.verified.secret.none')}</li>
        <li>{t(v.smsCode ? 'call.verified.sms.yes' : 'call.verified.sms.no')}</li>
      </ul>
      <p className={call.confirmsAtOnce ? 'notice notice-ok' : 'notice notice-info'}>{t(call.confirmsAtOnce ? 'call.confirmsAtOnce' : 'call.confirmsLater')}</p>
    </section>
  );
}

function Customer({ t, f, call, onLine }: { t: Translate; f: Formats; call: HeldCall; onLine(id: string): void }) {
  const c = call.customer;
  if (!c) return <p className="notice notice-info">{t('call.customer.unknown')}</p>;
  // Lines the agent can switch the preview to: live ones other than the one shown.
  const others = c.lines.filter((l) => l.state !== 'terminated' && l.id !== call.lineId);
  return (
    <section className="card" aria-labelledby="customer-title">
      <h2 id="customer-title">{t('call.customer.title')}</h2>
      <dl>
        <div>
          <dt>{t('call.customer.name')}</dt>
          <dd>{c.name}</dd>
        </div>
        <div>
          <dt>{t('call.customer.language')}</dt>
          <dd>{isLanguage(c.language) ? LANGUAGE_NAMES[c.language] : c.language}</dd>
        </div>
        <div>
          <dt>{t('call.customer.identity')}</dt>
          <dd>{t(c.identityVerified ? 'call.yes' : 'call.no')}</dd>
        </div>
      </dl>
      <h3 id="lines-title">{t('call.lines.title')}</h3>
      {/* Focusable: on a narrow screen the table scrolls sideways, and a keyboard must reach it too. */}
      <div className="staff-table" role="region" aria-labelledby="lines-title" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('call.lines.number')}</th>
              <th scope="col">{t('call.lines.plan')}</th>
              <th scope="col">{t('call.lines.state')}</th>
              <th scope="col">{t('call.lines.balance')}</th>
              {others.length > 0 && <th scope="col">{t('calls.col.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {c.lines.map((l) => (
              <tr key={l.id} aria-current={l.id === call.lineId ? 'true' : undefined}>
                <td className="phone">{f.phone(l.msisdn)}</td>
                <td>{l.plan}</td>
                <td>{t(`line.${l.state}`)}</td>
                <td className={l.balance < 0 ? 'negative' : undefined}>{f.money(l.balance, l.currency)}</td>
                {others.length > 0 && (
                  <td>
                    {others.some((o) => o.id === l.id) && (
                      <button type="button" onClick={() => onLine(l.id)}>
                        {t('call.lines.show')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Order({ t, f, call }: { t: Translate; f: Formats; call: HeldCall }) {
  const o = call.termination;
  if (!o) return null;
  return (
    <section className="card" aria-labelledby="order-title">
      <h2 id="order-title">{t('call.order.title', { reference: o.reference })}</h2>
      <p>{t(`order.${o.state}`)}</p>
      {['scheduled', 'executing', 'completed'].includes(o.state) && <p>{t('call.order.endsOn', { date: f.dateTime(o.effectiveAt) })}</p>}
    </section>
  );
}

function Preview({ t, f, call, when, onWhen }: { t: Translate; f: Formats; call: HeldCall; when: When; onWhen(w: When): void }) {
  const p = call.preview;
  if (!p) return null;
  const q = p.quote;
  const rows: [string, string, boolean?][] = [
    [t('call.preview.endsOn'), f.dateTime(p.effectiveAt)],
    [t('call.preview.balance'), f.money(q.balance, q.currency), q.balance < 0],
    [t('call.preview.finalInvoice'), f.money(q.finalInvoice, q.currency)],
    [t('call.preview.refund'), f.money(q.refund, q.currency)],
    [t('call.preview.owedAfter'), f.money(q.owedAfter, q.currency), q.owedAfter > 0],
    [t('call.preview.dataLeft'), f.data(p.dataLeftMb)],
    [t('call.preview.reclaimUntil'), f.date(p.quarantineEndsAt)],
  ];
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('call.preview.title', { number: f.phone(p.msisdn) })}</h2>
      <fieldset>
        <legend>{t('call.preview.when')}</legend>
        {(['now', 'end_of_period'] as const).map((w) => (
          <label key={w} className="choice">
            <input type="radio" name="when" checked={when === w} onChange={() => onWhen(w)} />
            <span>{t(`call.preview.${w}`)}</span>
          </label>
        ))}
      </fieldset>
      <dl>
        {rows.map(([label, value, bad]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={bad ? 'negative' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      {p.blockers.length === 0 ? (
        <p className="notice notice-ok">{t('call.preview.none')}</p>
      ) : (
        <div className="card blockers">
          <h3>{t('call.preview.blockers')}</h3>
          <ul className="blocker-list">
            {p.blockers.map((b) => (
              <li key={b.code}>{t(`blocker.${b.code}`, { amount: f.money(b.amount ?? 0, q.currency) })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** A call the agent holds: who, what the menu checked, the preview, the checklist, the cancellation and the finish. */
export function HeldCallPanel({ id, t, f, onBack, onFinished }: { id: string; t: Translate; f: Formats; onBack(): void; onFinished(): void }) {
  const [call, setCall] = useState<HeldCall | null>(null);
  const [lineId, setLineId] = useState<string | null>(null);
  const [when, setWhen] = useState<When>('now');
  const [ticked, setTicked] = useState(unticked);
  const [outcome, setOutcome] = useState<Outcome>('resolved');
  const [result, setResult] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    const query = new URLSearchParams({ effective: when, ...(lineId ? { lineId } : {}) });
    api<HeldCall>('GET', `/staff/calls/${encodeURIComponent(id)}?${query}`)
      .then(setCall)
      .catch((failure: unknown) => setProblem(messageOf(t, failure)));
  }, [id, lineId, when, t]);
  useEffect(() => {
    load();
    // A caller who hangs up while held is shown without a reload.
    const timer = setInterval(load, HELD_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const cancel = () => {
    if (!call?.lineId) return;
    setBusy(true);
    setProblem(null);
    api<CallCancelled>('POST', `/staff/calls/${encodeURIComponent(id)}/cancel-line`, { lineId: call.lineId, effective: when, checklist: ticked })
      .then((done) => {
        const o = done.termination;
        setResult(
          done.confirmed
            ? t('call.cancelled.confirmed', { reference: o.reference, date: f.dateTime(o.effectiveAt) })
            : o.state === 'blocked'
              ? t('call.cancelled.blocked', { reference: o.reference })
              : t('call.cancelled.waiting', { reference: o.reference, time: f.dateTime(done.codeSentUntil ?? o.confirmBy ?? o.requestedAt) }),
        );
        setOutcome('line_cancelled');
        setTicked(unticked());
        load();
      })
      .catch((failure: unknown) => setProblem(messageOf(t, failure)))
      .finally(() => setBusy(false));
  };
  const finish = () => {
    setBusy(true);
    setProblem(null);
    api('POST', `/staff/calls/${encodeURIComponent(id)}/finish`, { outcome })
      .then(onFinished)
      .catch((failure: unknown) => setProblem(messageOf(t, failure)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="console">
      <p>
        <button type="button" className="link" onClick={onBack}>
          {t('call.back')}
        </button>
      </p>
      <h1 tabIndex={-1}>{t(call?.kind === 'callback' ? 'call.title.callback' : 'call.title.call')}</h1>
      <p className="anti-scam">{t('calls.never')}</p>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {call && (
        <>
          <section className="card" aria-labelledby="call-title">
            <h2 id="call-title">{LANGUAGE_NAMES[call.language]} · {t(`reason.${call.reasonKind}`)}</h2>
            <p>{call.kind === 'callback' ? t('call.callBack', { number: f.phone(call.callerNumber) }) : t('call.numberIs', { number: f.phone(call.callerNumber) })}</p>
            <p>{t('call.waited', { wait: f.wait(call.waitSeconds), time: f.time(call.takenAt) })}</p>
            {call.callEndedAt && call.kind === 'call' && <p className="notice notice-info">{t('call.hungUp', { time: f.time(call.callEndedAt) })}</p>}
          </section>
          <div className="console-grid">
            <div>
              <Verified t={t} call={call} />
              <Customer t={t} f={f} call={call} onLine={(l) => setLineId(l)} />
            </div>
            <div>
              {call.termination ? <Order t={t} f={f} call={call} /> : <Preview t={t} f={f} call={call} when={when} onWhen={setWhen} />}
              {result && (
                <p className="notice notice-ok" role="status">
                  {result}
                </p>
              )}
              {call.customer && call.preview && !call.termination && (
                <fieldset>
                  <legend>{t('checklist.title')}</legend>
                  {CHECKLIST.map((item) => (
                    <label key={item} className="choice">
                      <input type="checkbox" checked={ticked[item]} onChange={(e) => {
                          setTicked({ ...ticked, [item]: e.target.checked });
                          setProblem(null);
                        }} />
                      <span>{t(`checklist.${item}`)}</span>
                    </label>
                  ))}
                  <button type="button" className="danger" disabled={busy} onClick={cancel}>
                    {t('call.cancel')}
                  </button>
                </fieldset>
              )}
              <fieldset>
                <legend>{t('call.finish.title')}</legend>
                <div className="field">
                  <label htmlFor="call-outcome">{t('call.finish.outcome')}</label>
                  <select id="call-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
                    {OUTCOMES.filter((o) => o !== 'line_cancelled' || call.termination).map((o) => (
                      <option key={o} value={o}>
                        {t(`outcome.${o}`)}
                      </option>
                    ))}
                  </select>
            </div>
                <button type="button" className="primary" disabled={busy} onClick={finish}>
                  {t('call.finish')}
                </button>
              </fieldset>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
