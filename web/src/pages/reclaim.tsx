import { useEffect, useState } from 'react';
import { api, type Line } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { Choices, Field, Notice, useAction } from '../ui.tsx';

export function ReclaimPage() {
  const { t, dateTime } = useApp();
  const [former, setFormer] = useState<{ msisdn: string; endedAt: string | null; reclaimableUntil: string | null }[] | null>(null);
  useEffect(() => {
    api<{ msisdn: string; endedAt: string | null; reclaimableUntil: string | null }[]>('GET', '/me/former-numbers').then(setFormer, () => setFormer([]));
  }, []);
  const [msisdn, setMsisdn] = useState('');
  const [type, setType] = useState<'sim' | 'esim'>('esim');
  const [done, setDone] = useState<Line | null>(null);
  const { busy, errors, run } = useAction<'msisdn'>((c, field) => (field === 'msisdn' || c === 'INVALID_MSISDN' || c === 'NUMBER_NOT_RECLAIMABLE' || c === 'RECLAIM_NOT_FORMER_HOLDER' || c === 'NUMBER_NOT_FOUND' ? 'msisdn' : 'form'));
  return (
    <section className="card narrow">
      <h1>{t('reclaim.title')}</h1>
      <p>{t('reclaim.intro')}</p>
      {former && (
        <div className="former">
          <h2>{t('reclaim.former')}</h2>
          {former.length === 0 ? (
            <p>{t('reclaim.noFormer')}</p>
          ) : (
            <ul className="plain">
              {former.map((n) => (
                <li key={n.msisdn}>
                  <strong>{n.msisdn}</strong>
                  {n.endedAt && <> · {t('reclaim.ended', { date: dateTime(n.endedAt) })}</>}
                  {n.reclaimableUntil && <> · {t('reclaim.until', { date: dateTime(n.reclaimableUntil) })}</>}{' '}
                  {!done && (
                    <button type="button" className="link" onClick={() => setMsisdn(n.msisdn)}>
                      {t('reclaim.choose')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p className="hint">{t('reclaim.howSim')}</p>
      {done ? (
        <Notice kind="ok">{t(done.simType === 'esim' ? 'reclaim.done.esim' : 'reclaim.done.sim', { number: done.msisdn })}</Notice>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => setDone(await api<Line>('POST', '/reclaims', { msisdn, simType: type })));
          }}
        >
          <Field label={t('reclaim.number')} value={msisdn} onChange={setMsisdn} type="tel" inputMode="tel" required error={errors.msisdn} />
          <Choices
            legend={t('reclaim.type')}
            name="type"
            value={type}
            onChange={setType}
            options={[
              ['esim', t('common.esim')],
              ['sim', t('common.sim')],
            ]}
          />
          {errors.form && <Notice kind="error">{errors.form}</Notice>}
          <button type="submit" className="primary" disabled={busy}>
            {t('reclaim.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
