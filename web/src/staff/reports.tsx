/**
 * The back office's reports (roles back_office, admin): pick a period and filters, download the orders as CSV.
 * The file is produced by the server page by page (GET /api/v1/staff/reports/orders.csv), so a plain link downloads
 * a year as well as a day; the page shows the period in words, never the file's ISO instants.
 */
import { useId, useState } from 'react';
import { CHANNELS } from '../../../src/domain/channels.ts';
import { LOCALE_OF, type Language } from '../../../src/domain/languages.ts';
import { TERMINATION_STATES } from '../../../src/domain/termination.ts';
import type { Translate } from './formats.ts';
import type { StaffKey } from './texts.ts';

export const REPORT_PATH = '/api/v1/staff/reports/orders.csv';

/** Today and the first of its month on the reader's calendar, as the date inputs take them. */
function thisMonth(now: Date): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const month = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
  return { from: `${month}-01`, to: `${month}-${pad(now.getDate())}` };
}

/** A calendar day (YYYY-MM-DD) in words in the reader's language: `7 December 2026`. */
function dayInWords(day: string, language: Language): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALE_OF[language], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

export function Reports({ t, language }: { t: Translate; language: Language }) {
  const id = useId();
  const [period, setPeriod] = useState(() => thisMonth(new Date()));
  const [channel, setChannel] = useState('');
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const missing = !period.from || !period.to;
  const backwards = !missing && period.from > period.to;
  const query = new URLSearchParams({ from: period.from, to: period.to });
  if (channel) query.set('channel', channel);
  if (outcome) query.set('outcome', outcome);
  if (reason.trim()) query.set('reason', reason.trim());
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('reports.title')}</h1>
      <p>{t('reports.intro')}</p>
      <form className="card" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>{t('reports.period')}</legend>
          <div className="row">
            <div className="field">
              <label htmlFor={`${id}-from`}>{t('reports.from')}</label>
              <input id={`${id}-from`} type="date" value={period.from} max={period.to || undefined} onChange={(e) => setPeriod({ ...period, from: e.target.value })} aria-invalid={backwards || !period.from} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-to`}>{t('reports.to')}</label>
              <input id={`${id}-to`} type="date" value={period.to} min={period.from || undefined} onChange={(e) => setPeriod({ ...period, to: e.target.value })} aria-invalid={backwards || !period.to} />
            </div>
          </div>
        </fieldset>
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-channel`}>{t('reports.channel')}</label>
            <select id={`${id}-channel`} value={channel} onChange={(e) => setChannel(e.target.value)}>
              <option value="">{t('reports.channel.any')}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`reports.channelName.${c}` as StaffKey)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-outcome`}>{t('reports.outcome')}</label>
            <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
              <option value="">{t('reports.outcome.any')}</option>
              {TERMINATION_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`reports.state.${s}` as StaffKey)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('reports.reason')}</label>
          <p className="hint" id={`${id}-reason-hint`}>
            {t('reports.reason.hint')}
          </p>
          <input id={`${id}-reason`} type="text" maxLength={200} value={reason} aria-describedby={`${id}-reason-hint`} onChange={(e) => setReason(e.target.value)} />
        </div>
        {missing || backwards ? (
          <p className="notice notice-error" role="alert">
            {t(missing ? 'reports.missingDay' : 'reports.badPeriod')}
          </p>
        ) : (
          <>
            <p role="status">
              {period.from === period.to
                ? t('reports.summaryOneDay', { day: dayInWords(period.from, language) })
                : t('reports.summary', { from: dayInWords(period.from, language), to: dayInWords(period.to, language) })}
            </p>
            <p>
              <a className="button primary" href={`${REPORT_PATH}?${query.toString()}`} download>
                {t('reports.download')}
              </a>
            </p>
          </>
        )}
        <p className="hint">{t('reports.file')}</p>
      </form>
    </section>
  );
}
