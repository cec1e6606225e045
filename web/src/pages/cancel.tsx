import { useCallback, useEffect, useState } from 'react';
import { api, type Line, newIdempotencyKey, type Preview, type Termination } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { formatData } from '../i18n/index.ts';
import { Notice, useAction } from '../ui.tsx';
import { BlockerActions } from './blocker-actions.tsx';
import { EsimSteps, moneyRows, WarningList } from './warnings.tsx';
import { effectiveOf, type WhenMode, WhenToEnd } from './when-to-end.tsx';

/** The one preview page: what happens, then one button. */
export function CancelPage({ lineId }: { lineId: string }) {
  const { t, money, date, dateTime, navigate, language } = useApp();
  const [mode, setMode] = useState<WhenMode>('now');
  const [day, setDay] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [line, setLine] = useState<Line | null>(null);
  const [accept, setAccept] = useState(false);
  const [resolved, setResolved] = useState<string | null>(null);
  const [key] = useState(newIdempotencyKey);
  const load = useAction<'date'>((code, field) => (code === 'INVALID_EFFECTIVE_DATE' || (code === 'VALIDATION_FAILED' && field?.startsWith('effective')) ? 'date' : 'form'));
  const submit = useAction();
  const effective = effectiveOf(mode, day);

  const refresh = useCallback(() => {
    if (mode === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    void load.run(async () => {
      setPreview(await api<Preview>('GET', `/lines/${encodeURIComponent(lineId)}/termination-preview?effective=${effective}`));
    });
  }, [lineId, effective]);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    api<Line[]>('GET', '/lines').then((all) => setLine(all.find((l) => l.id === lineId) ?? null), () => undefined);
  }, [lineId]);

  if (!preview) return load.errors.form ? <Notice kind="error">{load.errors.form}</Notice> : <p>{t('common.loading')}</p>;
  const q = preview.quote;
  const endOfPeriod = preview.effectiveOptions.find((o) => o.mode === 'end_of_period')?.at;
  const needsAcceptance = preview.blockers.some((b) => b.code === 'EARLY_TERMINATION_FEE_NOT_ACCEPTED' || b.code === 'DEVICE_INSTALMENTS_OUTSTANDING');
  const hardBlockers = preview.blockers.filter((b) => b.code !== 'EARLY_TERMINATION_FEE_NOT_ACCEPTED' && b.code !== 'DEVICE_INSTALMENTS_OUTSTANDING');
  const rows: [string, string][] = [
    ...moneyRows(t, money, q),
    [t('preview.dataLost'), formatData(language, preview.dataLeftMb)],
    [t('preview.effective'), dateTime(preview.effectiveAt)],
    [t('preview.released'), dateTime(preview.quarantineEndsAt)],
  ];

  return (
    <section>
      <h1>{t('preview.title', { number: preview.msisdn })}</h1>
      {resolved && <Notice kind="ok">{resolved}</Notice>}
      <WhenToEnd className="card" mode={mode} onMode={setMode} day={day} onDay={setDay} endOfPeriodLabel={t('preview.endOfPeriod', { date: endOfPeriod ? date(endOfPeriod) : '' })} dateError={load.errors.date} />

      <div className="card">
        <h2>{t('preview.summary')}</h2>
        <dl className="summary">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {preview.coolingOffEndsAt === preview.effectiveAt && Date.parse(preview.coolingOffEndsAt) > Date.now() + 60_000 && <p className="hint">{t('preview.coolingOff', { date: dateTime(preview.coolingOffEndsAt) })}</p>}
        <p className="hint">{t('preview.releasedHint')}</p>
      </div>

      {hardBlockers.length > 0 && (
        <div className="card blockers">
          <h2>{t('preview.blockers')}</h2>
          <BlockerActions
            blockers={hardBlockers}
            currency={q.currency}
            accountId={line?.accountId ?? null}
            onResolved={(message) => {
              setResolved(message);
              refresh();
            }}
          />
        </div>
      )}

      <div className="card">
        <h2>{t('preview.reminders')}</h2>
        <WarningList warnings={preview.warnings} currency={q.currency} />
        {preview.esimDeletionSteps.length > 0 && <EsimSteps />}
      </div>

      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(async () => {
            const created = await api<Termination>('POST', '/terminations', { lineId, effective }, { 'idempotency-key': key });
            if (accept && created.state === 'blocked') await api('POST', `/terminations/${created.reference}/accept-charges`);
            navigate(`/terminations/${created.reference}`);
          });
        }}
      >
        {needsAcceptance && (
          <label className="choice">
            <input type="checkbox" checked={accept} onChange={(e) => setAccept(e.target.checked)} required /> {t('preview.acceptFee')}
          </label>
        )}
        {submit.errors.form && <Notice kind="error">{submit.errors.form}</Notice>}
        <button type="submit" className="danger" disabled={submit.busy || hardBlockers.length > 0}>
          {t('preview.submit')}
        </button>
      </form>
    </section>
  );
}
