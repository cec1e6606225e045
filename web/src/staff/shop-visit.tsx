/**
 * The ticket at the agent's counter: the queue moves (recall, no-show, serve, finish, transfer, hand-off by
 * language), then the visit itself: the customer, the passport typed in, the preview, a payment taken at the
 * counter, the SIM card, the checklist, ending the line and printing the certificate.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../src/domain/languages.ts';
import { api, type Line, newIdempotencyKey, type Termination } from '../api.ts';
import type { Formats, Translate } from './formats.ts';
import { CONSOLE_PATHS, type ConsoleTicket, type FoundCustomer, type ShopCounter, type TicketPreview } from './shop-api.ts';
import { messageOf } from './shop-console.tsx';
import type { StaffKey } from './texts.ts';

const CHECKLIST = ['pinRemoved', 'dataExported', 'loginsMoved'] as const;
const SIM_OUTCOMES = ['handed_in', 'kept_by_subscriber', 'destroyed'] as const;
type When = 'now' | 'end_of_period';
const minorDigits = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

interface Props {
  t: Translate;
  f: Formats;
  ticket: ConsoleTicket;
  counters: ShopCounter[];
  counterLabel: string;
  onChanged(): void;
  onLeft(message: string): void;
}

export function ShopVisit({ t, f, ticket: initial, counters, counterLabel, onChanged, onLeft }: Props) {
  const [ticket, setTicket] = useState(initial);
  const [failure, setFailure] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [found, setFound] = useState<FoundCustomer['customer'] | null>(null);
  const [lineId, setLineId] = useState<string | null>(null);
  const [when, setWhen] = useState<When>('now');
  const [preview, setPreview] = useState<TicketPreview | null>(null);
  const [termination, setTermination] = useState<Termination | null>(null);
  const [amount, setAmount] = useState('');
  // The console re-reads the queue after every change: the ticket shown is the server's latest.
  useEffect(() => setTicket(initial), [initial]);
  const line: Line | undefined = found?.lines.find((l) => l.id === lineId);
  const run = <T,>(call: Promise<T>, then: (value: T) => void) => {
    setFailure(null);
    setOk(null);
    call.then(then, (e: unknown) => setFailure(messageOf(t, e)));
  };
  const update = (next: ConsoleTicket) => {
    setTicket(next);
    onChanged();
  };
  useEffect(() => {
    if (!lineId) return;
    api<TicketPreview>('GET', CONSOLE_PATHS.preview(ticket.id, lineId, when)).then((p) => {
      setPreview(p);
      // What would still be owed is what the customer is asked to pay at the counter.
      const digits = minorDigits(p.quote.currency);
      setAmount((typed) => typed || (p.quote.owedAfter > 0 ? (p.quote.owedAfter / 10 ** digits).toFixed(digits) : ''));
    }, (e: unknown) => setFailure(messageOf(t, e)));
  }, [ticket.id, lineId, when, t]);

  const move = (action: 'recall' | 'no_show' | 'serve' | 'finish') =>
    run(api<ConsoleTicket>('POST', CONSOLE_PATHS.move(ticket.id), { action }), (next) => {
      if (action === 'no_show' || action === 'finish') onLeft(t('visit.done', { number: next.number }));
      else update(next);
    });
  const [transferTo, setTransferTo] = useState('');
  const [handOffTo, setHandOffTo] = useState<Language>(LANGUAGES.find((l) => l !== ticket.language) ?? 'en');
  const transfer = (body: { counterId: string } | { language: Language }) => run(api<ConsoleTicket>('POST', CONSOLE_PATHS.transfer(ticket.id), body), (next) => onLeft(t('visit.gone', { number: next.number })));

  const [msisdn, setMsisdn] = useState('');
  const find = (e: FormEvent) => {
    e.preventDefault();
    run(api<FoundCustomer>('POST', CONSOLE_PATHS.customer(ticket.id), { msisdn }), (r) => {
      setFound(r.customer);
      update(r.ticket);
      setLineId(r.customer.lines.find((l) => l.state !== 'terminated')?.id ?? null);
    });
  };
  const [documentNumber, setDocumentNumber] = useState('');
  const checkPassport = (e: FormEvent) => {
    e.preventDefault();
    run(api<ConsoleTicket>('POST', CONSOLE_PATHS.passport(ticket.id), { documentNumber }), (next) => {
      setDocumentNumber('');
      update(next);
      setOk(t('visit.passport.ok'));
    });
  };
  const [method, setMethod] = useState<'cash' | 'card'>('cash');
  const [payKey, setPayKey] = useState(newIdempotencyKey);
  const pay = (e: FormEvent) => {
    e.preventDefault();
    if (!line) return;
    const minor = Math.round(Number(amount.replace(',', '.')) * 10 ** minorDigits(line.currency));
    run(api<{ balance: number }>('POST', CONSOLE_PATHS.payments(ticket.id), { lineId: line.id, amount: minor, method }, { 'idempotency-key': payKey }), (r) => {
      setPayKey(newIdempotencyKey());
      setAmount('');
      setOk(t('visit.pay.done', { balance: f.money(r.balance, line.currency) }));
      setFound((c) => (c ? { ...c, lines: c.lines.map((l) => (l.id === line.id ? { ...l, balance: r.balance } : l)) } : c));
      api<TicketPreview>('GET', CONSOLE_PATHS.preview(ticket.id, line.id, when)).then(setPreview, () => undefined);
    });
  };
  const [simOutcome, setSimOutcome] = useState<(typeof SIM_OUTCOMES)[number]>('handed_in');
  const [iccid, setIccid] = useState('');
  const recordSim = (e: FormEvent) => {
    e.preventDefault();
    if (!line) return;
    run(api<ConsoleTicket>('POST', CONSOLE_PATHS.sim(ticket.id), { lineId: line.id, outcome: simOutcome, ...(simOutcome === 'handed_in' ? { iccid } : {}) }), (next) => {
      update(next);
      setOk(t('visit.sim.recorded', { outcome: t(`visit.sim.${simOutcome}`) }));
    });
  };
  const [checklist, setChecklist] = useState(ticket.checklist);
  const saveChecklist = (e: FormEvent) => {
    e.preventDefault();
    run(api<ConsoleTicket>('POST', CONSOLE_PATHS.checklist(ticket.id), { checklist }), (next) => {
      update(next);
      setOk(t('visit.checklist.saved'));
    });
  };
  const [chargesAccepted, setChargesAccepted] = useState(false);
  const feeApplies = preview?.blockers.some((b) => b.code === 'EARLY_TERMINATION_FEE_NOT_ACCEPTED') ?? false;
  const missing = [
    !ticket.documentChecked && t('visit.confirm.missing.passport'),
    (!ticket.simOutcome || ticket.lineId !== lineId) && t('visit.confirm.missing.sim'),
    !CHECKLIST.every((i) => ticket.checklist[i]) && t('visit.confirm.missing.checklist'),
  ].filter((m): m is string => typeof m === 'string');
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    if (!line) return;
    run(api<{ ticket: ConsoleTicket; termination: Termination }>('POST', CONSOLE_PATHS.confirm(ticket.id), { lineId: line.id, effective: when, ...(feeApplies ? { chargesAccepted } : {}) }), (r) => {
      update(r.ticket);
      setTermination(r.termination);
    });
  };
  const atCounter = ticket.state === 'called' || ticket.state === 'serving';
  const reference = termination?.reference ?? ticket.terminationRef;
  const q = preview?.quote;
  return (
    <section aria-labelledby="visit-title" className="shop-visit">
      <h1 id="visit-title">{t('visit.title', { number: ticket.number })}</h1>
      <p>
        {ticket.calledAt && t('visit.calledAt', { time: f.time(ticket.calledAt), label: counterLabel })} {t('visit.speaks', { language: LANGUAGE_NAMES[ticket.language] })}{' '}
        {ticket.recalls > 0 && t('visit.recalled', { count: f.count(ticket.recalls) })}
      </p>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      {ok && (
        <p className="notice notice-ok" role="status">
          {ok}
        </p>
      )}
      <div className="card row">
        {ticket.state === 'called' && (
          <>
            <button type="button" className="primary" onClick={() => move('serve')}>
              {t('visit.serve')}
            </button>
            <button type="button" onClick={() => move('recall')}>
              {t('visit.recall')}
            </button>
            <button type="button" onClick={() => move('no_show')}>
              {t('visit.noShow')}
            </button>
          </>
        )}
        {ticket.state === 'serving' && (
          <button type="button" onClick={() => move('finish')}>
            {t('visit.finish')}
          </button>
        )}
      </div>
      {atCounter && (
        <div className="card row shop-moves">
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (transferTo) transfer({ counterId: transferTo });
            }}
          >
            <label>
              {t('visit.transfer')}{' '}
              <select value={transferTo} onChange={(e) => setTransferTo(e.target.value)} aria-label={t('visit.transfer.to')}>
                <option value="">{t('visit.transfer.choose')}</option>
                {counters
                  .filter((c) => c.id !== ticket.counterId)
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {t('shop.counter.option', { label: c.label })}
                    </option>
                  ))}
              </select>
            </label>
            <button type="submit" disabled={!transferTo}>
              {t('visit.transfer.submit')}
            </button>
          </form>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              transfer({ language: handOffTo });
            }}
          >
            <label>
              {t('visit.handOff')}{' '}
              <select value={handOffTo} onChange={(e) => setHandOffTo(e.target.value as Language)}>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{t('visit.handOff.submit')}</button>
          </form>
        </div>
      )}
      <div className="shop-columns">
        <div>
      {atCounter && (
        <form className="card" onSubmit={find} aria-labelledby="find-title">
          <h2 id="find-title">{t('visit.find.title')}</h2>
          <div className="field">
            <label htmlFor="find-msisdn">{t('visit.find.number')}</label>
            <input id="find-msisdn" type="tel" autoComplete="off" value={msisdn} onChange={(e) => setMsisdn(e.target.value)} required />
          </div>
          <button type="submit">{t('visit.find.submit')}</button>
        </form>
      )}
      {found && (
        <section className="card" aria-labelledby="customer-title">
          <h2 id="customer-title">{found.name}</h2>
          <p>
            {t('call.customer.identity')}: {t(found.identityVerified ? 'call.yes' : 'call.no')}
            {found.documentLast4 ? ` · ${t('visit.customer.document', { digits: found.documentLast4 })}` : ''}
          </p>
          <fieldset>
            <legend>{t('visit.preview.line')}</legend>
            {found.lines.map((l) => (
              <label key={l.id} className="choice">
                <input type="radio" name="line" checked={lineId === l.id} disabled={l.state === 'terminated'} onChange={() => setLineId(l.id)} />
                <span>
                  <span className="phone">{f.phone(l.msisdn)}</span> · {l.plan} · {t(`line.${l.state}` as StaffKey)} · <span className={l.balance < 0 ? 'negative' : undefined}>{f.money(l.balance, l.currency)}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </section>
      )}
      {found && (
        <form className="card" onSubmit={checkPassport} aria-labelledby="passport-title">
          <h2 id="passport-title">{t('visit.passport.title')}</h2>
          {ticket.documentChecked ? (
            <p className="notice notice-ok">{t('visit.passport.ok')}</p>
          ) : (
            <>
              <p className="hint">{t('visit.passport.intro')}</p>
              <div className="field">
                <label htmlFor="passport-number">{t('visit.passport.number')}</label>
                <input id="passport-number" autoComplete="off" value={documentNumber} onChange={(e) => setDocumentNumber(e.target.value)} required />
              </div>
              <button type="submit">{t('visit.passport.submit')}</button>
            </>
          )}
        </form>
      )}
      {preview && q && (
        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">{t('call.preview.title', { number: f.phone(preview.msisdn) })}</h2>
          <fieldset>
            <legend>{t('call.preview.when')}</legend>
            {(['now', 'end_of_period'] as const).map((w) => (
              <label key={w} className="choice">
                <input type="radio" name="when" checked={when === w} onChange={() => setWhen(w)} />
                <span>{t(`call.preview.${w}`)}</span>
              </label>
            ))}
          </fieldset>
          <dl>
            {(
              [
                [t('call.preview.endsOn'), f.dateTime(preview.effectiveAt)],
                [t('call.preview.balance'), f.money(q.balance, q.currency), q.balance < 0],
                [t('call.preview.finalInvoice'), f.money(q.finalInvoice, q.currency)],
                [t('call.preview.refund'), f.money(q.refund, q.currency)],
                [t('call.preview.owedAfter'), f.money(q.owedAfter, q.currency), q.owedAfter > 0],
                [t('call.preview.dataLeft'), f.data(preview.dataLeftMb)],
                [t('call.preview.reclaimUntil'), f.date(preview.quarantineEndsAt)],
              ] as [string, string, boolean?][]
            ).map(([label, value, bad]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd className={bad ? 'negative' : undefined}>{value}</dd>
              </div>
            ))}
          </dl>
          {preview.blockers.length === 0 ? (
            <p className="notice notice-ok">{t('call.preview.none')}</p>
          ) : (
            <div className="card blockers">
              <h3>{t('call.preview.blockers')}</h3>
              <ul className="blocker-list">
                {preview.blockers.map((b) => (
                  <li key={b.code}>{t(`blocker.${b.code}` as StaffKey, { amount: f.money(b.amount ?? 0, q.currency) })}</li>
                ))}
              </ul>
            </div>
          )}
        </section>
      )}
        </div>
        <div>
      {line && (
        <form className="card" onSubmit={pay} aria-labelledby="pay-title">
          <h2 id="pay-title">{t('visit.pay.title')}</h2>
          <div className="field">
            <label htmlFor="pay-amount">{t('visit.pay.amount')}</label>
            {q && q.owedAfter > 0 && (
              <p className="hint">
                {t('call.preview.owedAfter')}: {f.money(q.owedAfter, q.currency)}
              </p>
            )}
            <input id="pay-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} pattern="[0-9]+([.,][0-9]{1,2})?" required />
          </div>
          <fieldset>
            <legend>{t('visit.pay.method')}</legend>
            {(['cash', 'card'] as const).map((m) => (
              <label key={m} className="choice">
                <input type="radio" name="method" checked={method === m} onChange={() => setMethod(m)} />
                <span>{t(`visit.pay.${m}`)}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit">{t('visit.pay.submit')}</button>
        </form>
      )}
      {line && (
        <form className="card" onSubmit={recordSim} aria-labelledby="sim-title">
          <h2 id="sim-title">{t('visit.sim.title')}</h2>
          <fieldset>
            <legend className="visually-hidden">{t('visit.sim.title')}</legend>
            {SIM_OUTCOMES.map((o) => (
              <label key={o} className="choice">
                <input type="radio" name="sim" checked={simOutcome === o} onChange={() => setSimOutcome(o)} />
                <span>{t(`visit.sim.${o}`)}</span>
              </label>
            ))}
          </fieldset>
          {simOutcome === 'handed_in' && (
            <div className="field">
              <label htmlFor="sim-iccid">{t('visit.sim.iccid')}</label>
              <input id="sim-iccid" autoComplete="off" inputMode="numeric" value={iccid} onChange={(e) => setIccid(e.target.value)} required minLength={10} />
            </div>
          )}
          {ticket.simOutcome && ticket.lineId === line.id && <p className="notice notice-ok">{t('visit.sim.recorded', { outcome: t(`visit.sim.${ticket.simOutcome}`) })}</p>}
          <button type="submit">{t('visit.sim.submit')}</button>
        </form>
      )}
      {line && (
        <form className="card" onSubmit={saveChecklist} aria-labelledby="checklist-title">
          <h2 id="checklist-title">{t('visit.checklist.title')}</h2>
          {CHECKLIST.map((item) => (
            <label key={item} className="choice">
              <input type="checkbox" checked={checklist[item]} onChange={(e) => setChecklist({ ...checklist, [item]: e.target.checked })} />
              <span>{t(`visit.checklist.${item}`)}</span>
            </label>
          ))}
          <button type="submit">{t('visit.checklist.submit')}</button>
        </form>
      )}
      {line && !reference && (
        <form className="card" onSubmit={confirm} aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t('visit.confirm.title')}</h2>
          {missing.length > 0 && <p className="notice notice-info">{t('visit.confirm.missing', { items: f.list(missing) })}</p>}
          {feeApplies && (
            <label className="choice">
              <input type="checkbox" checked={chargesAccepted} onChange={(e) => setChargesAccepted(e.target.checked)} />
              <span>{t('visit.confirm.charges')}</span>
            </label>
          )}
          <button type="submit" className="primary" disabled={missing.length > 0}>
            {t('visit.confirm.submit')}
          </button>
        </form>
      )}
      {reference && (
        <section className="card" aria-labelledby="done-title">
          <h2 id="done-title">{t('visit.confirm.title')}</h2>
          <p className="notice notice-ok">{t('visit.confirm.done', { reference, state: termination ? t(`order.${termination.state}` as StaffKey) : '' })}</p>
          {termination?.state === 'completed' ? (
            <a className="button primary" href={CONSOLE_PATHS.certificate(ticket.id)} target="_blank" rel="noreferrer">
              {t('visit.certificate')}
            </a>
          ) : (
            <p>
              {t('visit.certificate.later')}{' '}
              <a href={CONSOLE_PATHS.certificate(ticket.id)} target="_blank" rel="noreferrer">
                {t('visit.certificate')}
              </a>
            </p>
          )}
        </section>
      )}
        </div>
      </div>
    </section>
  );
}
