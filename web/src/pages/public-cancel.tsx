import { useState } from 'react';
import { api, type Receipt } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { AntiScam, Choices, Field, Link, Notice, useAction } from '../ui.tsx';
import { WithdrawBox } from './request.tsx';
import { blockerText, EsimSteps, moneyRows, WarningList } from './warnings.tsx';
import { effectiveOf, type WhenMode, WhenToEnd } from './when-to-end.tsx';

type Fact = 'document' | 'birth';

/** The API's field names (`details.field` of VALIDATION_FAILED) and the field on this page they are about. */
const FIELD_OF: Record<string, 'msisdn' | 'name' | 'fact' | 'date' | 'email'> = {
  msisdn: 'msisdn',
  holderName: 'name',
  documentLast4: 'fact',
  birthDate: 'fact',
  effective: 'date',
  'effective.date': 'date',
  email: 'email',
};

/** Cancel without signing in: one page, one "Cancel now" button, a receipt at once. */
export function PublicCancelPage() {
  const { t, dateTime, money, site } = useApp();
  const [msisdn, setMsisdn] = useState('');
  const [name, setName] = useState('');
  const [fact, setFact] = useState<Fact>('document');
  const [last4, setLast4] = useState('');
  const [birth, setBirth] = useState('');
  const [mode, setMode] = useState<WhenMode>('now');
  const [day, setDay] = useState('');
  const [email, setEmail] = useState('');
  const [simLost, setSimLost] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [code, setCode] = useState('');
  const submit = useAction<'msisdn' | 'name' | 'fact' | 'date' | 'email'>((c, field) =>
    c === 'VALIDATION_FAILED' ? (FIELD_OF[field ?? ''] ?? 'form') : c === 'INVALID_MSISDN' ? 'msisdn' : c === 'IDENTITY_MISMATCH' ? 'name' : c === 'INVALID_EFFECTIVE_DATE' ? 'date' : 'form',
  );
  const withdraw = useAction();
  const proof = () => ({ holderName: name, ...(fact === 'document' ? { documentLast4: last4.trim() } : { birthDate: birth }) });
  const confirm = useAction<'code'>((c, field) => (c.startsWith('OTP_') || (c === 'VALIDATION_FAILED' && (field === 'code' || field === undefined)) ? 'code' : 'form'));

  if (receipt) {
    return (
      <section className="card narrow receipt">
        <h1>{t('public.receipt')}</h1>
        <p>{t('public.receiptAt', { date: dateTime(receipt.requestedAt) })}</p>
        <dl className="summary">
          <div>
            <dt>{t('public.receiptRef')}</dt>
            <dd className="reference">{receipt.reference}</dd>
          </div>
          <div>
            <dt>{t('request.effective')}</dt>
            <dd>{dateTime(receipt.effectiveAt)}</dd>
          </div>
          {receipt.quote && receipt.confirmation !== 'withdrawn' &&
            moneyRows(t, money, receipt.quote).map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
        {receipt.confirmation === 'withdrawn' && <Notice kind="ok">{t('request.withdrawn')}</Notice>}
        {receipt.confirmation === 'blocked' && (
          <div className="blockers card">
            <h2>{t('public.blocked')}</h2>
            <ul>
              {receipt.blockers.map((b) => (
                <li key={b.code}>{blockerText(t, money, b, site.currency)}</li>
              ))}
            </ul>
            <p>
              <Link to="/">{t('nav.signIn')}</Link>
            </p>
          </div>
        )}
        {receipt.confirmation === 'done' && <Notice kind="ok">{t('public.confirmed', { date: dateTime(receipt.effectiveAt) })}</Notice>}
        {receipt.confirmation === 'identity_check' && receipt.confirmBy && <Notice kind="info">{t('public.receiptIdentity', { date: dateTime(receipt.confirmBy) })}</Notice>}
        {receipt.confirmation === 'sms_code' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void confirm.run(async () => setReceipt(await api<Receipt>('POST', `/public/cancellations/${receipt.reference}/confirm`, { code: code.trim() })));
            }}
          >
            <p>{t('public.receiptCode')}</p>
            <AntiScam />
            <Field label={t('request.code')} value={code} onChange={setCode} inputMode="numeric" autoComplete="one-time-code" required error={confirm.errors.code} />
            {confirm.errors.form && <Notice kind="error">{confirm.errors.form}</Notice>}
            <button type="submit" className="danger" disabled={confirm.busy}>
              {t('request.confirm')}
            </button>
          </form>
        )}
        {receipt.warnings && receipt.warnings.length > 0 && receipt.quote && receipt.confirmation !== 'withdrawn' && (
          <div className="card">
            <h2>{t('preview.reminders')}</h2>
            <WarningList warnings={receipt.warnings} currency={receipt.quote.currency} />
          </div>
        )}
        {receipt.simType === 'esim' && receipt.confirmation !== 'withdrawn' && <EsimSteps />}
        {receipt.withdrawableUntil && receipt.confirmation !== 'withdrawn' && (
          <WithdrawBox
            reference={receipt.reference}
            number={msisdn}
            until={receipt.withdrawableUntil}
            busy={withdraw.busy}
            error={withdraw.errors.form}
            onWithdraw={() => withdraw.run(async () => setReceipt(await api<Receipt>('POST', `/public/cancellations/${receipt.reference}/withdraw`, proof())))}
          />
        )}
        <p>
          <button type="button" onClick={() => window.print()}>
            {t('public.save')}
          </button>
        </p>
      </section>
    );
  }

  return (
    <section className="card narrow">
      <h1>{t('public.title')}</h1>
      <p>{t('public.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(async () => {
            setReceipt(
              await api<Receipt>('POST', '/public/cancellations', {
                msisdn,
                ...proof(),
                effective: effectiveOf(mode, day),
                ...(email.trim() ? { email: email.trim() } : {}),
                simLost,
              }),
            );
          });
        }}
      >
        <Field label={t('public.number')} hint={t('login.phoneHint')} value={msisdn} onChange={setMsisdn} type="tel" inputMode="tel" autoComplete="tel" required error={submit.errors.msisdn} />
        <Field label={t('public.name')} value={name} onChange={setName} autoComplete="name" required error={submit.errors.name} />
        <Choices
          legend={t('public.fact')}
          name="fact"
          value={fact}
          onChange={setFact}
          options={[
            ['document', t('public.factDocument')],
            ['birth', t('public.factBirth')],
          ]}
        />
        {fact === 'document' ? (
          <Field label={t('public.document')} value={last4} onChange={setLast4} required error={submit.errors.fact} />
        ) : (
          <Field label={t('public.birthDate')} type="date" value={birth} onChange={setBirth} required error={submit.errors.fact} />
        )}
        <WhenToEnd mode={mode} onMode={setMode} day={day} onDay={setDay} endOfPeriodLabel={t('public.endOfPeriod')} dateError={submit.errors.date} required />
        <Field label={t('public.email')} type="email" inputMode="email" autoComplete="email" value={email} onChange={setEmail} error={submit.errors.email} />
        <label className="choice">
          <input type="checkbox" checked={simLost} onChange={(e) => setSimLost(e.target.checked)} /> {t('public.simLost')}
        </label>
        {submit.errors.form && <Notice kind="error">{submit.errors.form}</Notice>}
        <button type="submit" className="danger" disabled={submit.busy}>
          {t('public.submit')}
        </button>
      </form>
    </section>
  );
}
