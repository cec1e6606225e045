import { useCallback, useEffect, useState } from 'react';
import { api, type Line, type Termination } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { AntiScam, Field, Link, Notice, useAction } from '../ui.tsx';
import { BlockerActions } from './blocker-actions.tsx';
import { EsimSteps } from './warnings.tsx';

const FINAL = ['completed', 'expired', 'withdrawn', 'rejected'];

/** Status of one request: confirm with the code, withdraw while it has not taken effect, the timeline. */
export function RequestPage({ reference }: { reference: string }) {
  const { t, tOr, money, dateTime, site } = useApp();
  const [order, setOrder] = useState<Termination | null>(null);
  const [accountId, setAccountId] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const load = useAction();
  const confirm = useAction<'code'>((c, field) => (c.startsWith('OTP_') || (c === 'VALIDATION_FAILED' && (field === 'code' || field === undefined)) ? 'code' : 'form'));
  const act = useAction();

  const refresh = useCallback(() => {
    void load.run(async () => setOrder(await api<Termination>('GET', `/terminations/${encodeURIComponent(reference)}`)));
  }, [reference]);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    api<Line[]>('GET', '/lines').then((lines) => setAccountId(lines.find((l) => l.id === order?.lineId)?.accountId ?? null), () => undefined);
  }, [order?.lineId]);

  if (!order) return load.errors.form ? <Notice kind="error">{load.errors.form}</Notice> : <p>{t('common.loading')}</p>;
  // Past the effective instant the server refuses (COOLING_OFF_OVER): no button for it.
  // The server's clock decides (it sends withdrawableUntil only while a withdrawal is possible); the browser's own
  // clock may differ from it, and a moved demo or test clock always does.
  const withdrawable = order.withdrawableUntil !== null && !FINAL.includes(order.state);
  const currency = order.quote.currency;
  // Until when the number can be taken back: the server's quarantine end once known, else what the policy gives.
  const keptUntil =
    order.quarantineUntil ??
    order.progress?.find((p) => p.step === 'number_kept')?.until ??
    (['scheduled', 'executing', 'needs_attention', 'completed'].includes(order.state) ? new Date(Date.parse(order.effectiveAt) + site.quarantineDays * 86_400_000).toISOString() : null);

  return (
    <section>
      <h1>{t('request.title', { reference: order.reference })}</h1>
      {message && <Notice kind="ok">{message}</Notice>}
      <div className="card">
        <dl className="summary">
          <div>
            <dt>{t('request.state')}</dt>
            <dd>
              <span className={`badge badge-${order.state}`}>{tOr(`tstate.${order.state}`, 'event.other')}</span>
            </dd>
          </div>
          <div>
            <dt>{t('lines.number')}</dt>
            <dd>{order.msisdn}</dd>
          </div>
          <div>
            <dt>{t('request.requested')}</dt>
            <dd>{dateTime(order.requestedAt)}</dd>
          </div>
          <div>
            <dt>{t('request.effective')}</dt>
            <dd>{dateTime(order.effectiveAt)}</dd>
          </div>
          {order.amountSettled !== null && (
            <div>
              <dt>{t('request.settled')}</dt>
              <dd>{money(order.amountSettled, currency)}</dd>
            </div>
          )}
          {order.amountRefunded !== null && (
            <div>
              <dt>{t('request.refunded')}</dt>
              <dd>{money(order.amountRefunded, currency)}</dd>
            </div>
          )}
        </dl>
        {order.state === 'scheduled' && <p>{t('request.done', { reference: order.reference })}</p>}
        {keptUntil && (
          <p className="kept-until">
            {t('request.keptUntil', { date: dateTime(keptUntil) })} <Link to="/reclaim">{t('lines.reclaim')}</Link>
          </p>
        )}
        {order.state === 'completed' && (
          <p>
            <a className="button" href={`/api/v1/terminations/${order.reference}/certificate.pdf`}>
              {t('request.certificate')}
            </a>
          </p>
        )}
      </div>

      {order.state === 'blocked' && (
        <div className="card blockers">
          <h2>{t('preview.blockers')}</h2>
          <BlockerActions
            blockers={order.blockers}
            currency={currency}
            accountId={accountId}
            onResolved={(m) => {
              setMessage(m);
              refresh();
            }}
          />
        </div>
      )}

      {order.state === 'awaiting_confirmation' && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void confirm.run(async () => {
              setOrder(await api<Termination>('POST', `/terminations/${order.reference}/confirm`, { code: code.trim() }));
              refresh();
            });
          }}
        >
          <h2>{t('request.codeTitle')}</h2>
          <p>{t('request.codeSent', { number: order.msisdn })}</p>
          <AntiScam />
          <Field label={t('request.code')} value={code} onChange={setCode} inputMode="numeric" autoComplete="one-time-code" required error={confirm.errors.code} />
          {confirm.errors.form && <Notice kind="error">{confirm.errors.form}</Notice>}
          <div className="row">
            <button type="submit" className="danger" disabled={confirm.busy}>
              {t('request.confirm')}
            </button>
            <button
              type="button"
              disabled={act.busy}
              onClick={() =>
                void act.run(async () => {
                  await api('POST', `/terminations/${order.reference}/code`);
                  setMessage(t('request.resent'));
                })
              }
            >
              {t('request.resend')}
            </button>
          </div>
        </form>
      )}

      {withdrawable && order.withdrawableUntil && (
        <WithdrawBox
          reference={order.reference}
          number={order.msisdn}
          until={order.withdrawableUntil}
          busy={act.busy}
          error={act.errors.form}
          onWithdraw={() =>
            act.run(async () => {
              setOrder(await api<Termination>('POST', `/terminations/${order.reference}/withdraw`));
              setMessage(t('request.withdrawn'));
              refresh();
            })
          }
        />
      )}

      {order.progress && order.progress.length > 0 && (
        <div className="card">
          <h2>{t('request.progress')}</h2>
          <ol className="progress">
            {order.progress.map((p) => (
              <li key={p.step} className={`step-${p.state}`}>
                <span>{tOr(`step.${p.step}`, 'event.other', { date: p.until ? dateTime(p.until) : '' })}</span> — {tOr(`stepState.${p.state}`, 'event.other')}
                {p.at && (
                  <>
                    {' '}
                    · <time dateTime={p.at}>{dateTime(p.at)}</time>
                  </>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}

      {order.simType === 'esim' && !['withdrawn', 'expired', 'rejected'].includes(order.state) && <EsimSteps />}

      {order.timeline && (
        <div className="card">
          <h2>{t('request.timeline')}</h2>
          <ol className="timeline">
            {order.timeline.map((e) => (
              <li key={`${e.at}-${e.to}-${e.action}`}>
                <time dateTime={e.at}>{dateTime(e.at)}</time> — {e.to ? tOr(`tstate.${e.to}`, 'event.transition') : tOr(`event.${e.action}`, 'event.other')}
              </li>
            ))}
          </ol>
        </div>
      )}
      <p>
        <Link to="/lines">{t('common.back')}</Link>
      </p>
    </section>
  );
}

export function RequestsPage() {
  const { t, tOr, dateTime } = useApp();
  const [orders, setOrders] = useState<Termination[] | null>(null);
  useEffect(() => {
    api<Termination[]>('GET', '/terminations').then(setOrders, () => setOrders([]));
  }, []);
  if (!orders) return <p>{t('common.loading')}</p>;
  return (
    <section>
      <h1>{t('request.list')}</h1>
      {orders.length === 0 && <p>{t('request.none')}</p>}
      <ul className="card plain">
        {orders.map((o) => (
          <li key={o.reference}>
            <Link to={`/terminations/${o.reference}`}>{o.reference}</Link> · {o.msisdn} · {tOr(`tstate.${o.state}`, 'event.other')} · {dateTime(o.requestedAt)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Withdraw while it has not taken effect, asking once more before it acts (signed in or not). */
export function WithdrawBox(props: { reference: string; number: string; until: string; busy: boolean; error?: string; onWithdraw(): Promise<unknown> }) {
  const { t, dateTime } = useApp();
  const [ask, setAsk] = useState(false);
  return (
    <div className="card">
      <p>{t('request.withdrawHint', { date: dateTime(props.until) })}</p>
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {ask ? (
        <div className="confirm-step" role="group" aria-labelledby="withdraw-ask">
          <p id="withdraw-ask">
            <strong>{t('request.withdrawAsk', { reference: props.reference, number: props.number })}</strong>
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={props.busy} onClick={() => void props.onWithdraw().finally(() => setAsk(false))}>
              {t('request.withdrawYes')}
            </button>
            <button type="button" disabled={props.busy} onClick={() => setAsk(false)}>
              {t('request.withdrawNo')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" disabled={props.busy} onClick={() => setAsk(true)}>
          {t('request.withdraw')}
        </button>
      )}
    </div>
  );
}
