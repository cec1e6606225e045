import { useEffect, useState } from 'react';
import { api, ApiError, type CallFigures } from '../api.ts';
import { LANGUAGE_NAMES } from '../../../src/domain/languages.ts';
import type { Formats, Translate } from './formats.ts';

const OUTCOME_KEYS = { line_cancelled: 'outcome.line_cancelled', resolved: 'outcome.resolved', not_reached: 'outcome.not_reached', caller_left: 'outcome.caller_left', abandoned: 'figures.outcome.abandoned', waiting: 'figures.outcome.waiting', taken: 'figures.outcome.taken' } as const;

/** The back office's figures of the agent queue over the last week (nothing for a role that may not see them). */
export function CallCentreFigures({ t, f }: { t: Translate; f: Formats }) {
  const [figures, setFigures] = useState<CallFigures | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api<CallFigures>('GET', '/staff/calls/figures?days=7')
      .then(setFigures)
      .catch((failure: unknown) => {
        if (!(failure instanceof ApiError && failure.status === 403)) setProblem(t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) }));
      });
  }, [t]);
  if (problem) return <p className="notice notice-error">{problem}</p>;
  if (!figures) return null;
  if (figures.entries === 0) {
    return (
      <section className="card" aria-labelledby="figures-title">
        <h2 id="figures-title">{t('figures.title')}</h2>
        <p>{t('figures.noneYet')}</p>
      </section>
    );
  }
  const outcomes = Object.entries(figures.byOutcome).filter(([key]) => key in OUTCOME_KEYS) as [keyof typeof OUTCOME_KEYS, number][];
  const percent = (share: number) => new Intl.NumberFormat(f.language === 'en' ? 'en-GB' : f.language === 'ru' ? 'ru-RU' : 'zh-CN', { style: 'percent', maximumFractionDigits: 0 }).format(share);
  return (
    <section className="card" aria-labelledby="figures-title">
      <h2 id="figures-title">{t('figures.title')}</h2>
      <p>{t('figures.entries', { count: f.count(figures.entries), calls: f.count(figures.calls), callbacks: f.count(figures.callbacks) })}</p>
      {outcomes.length > 0 && (
        <>
          <h3>{t('figures.outcomes')}</h3>
          <dl>
            {outcomes.map(([key, n]) => (
              <div key={key}>
                <dt>{t(OUTCOME_KEYS[key])}</dt>
                <dd>{f.count(n)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <h3 id="answer-title">{t('figures.answer')}</h3>
      <div className="staff-table" role="region" aria-labelledby="answer-title" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('calls.col.language')}</th>
              <th scope="col">{t('figures.answered')}</th>
              <th scope="col">{t('figures.average')}</th>
              <th scope="col">{t('figures.longest')}</th>
            </tr>
          </thead>
          <tbody>
            {figures.answer.map((a) => (
              <tr key={a.language}>
                <td lang={a.language}>{LANGUAGE_NAMES[a.language]}</td>
                <td>{f.count(a.answered)}</td>
                <td>{a.averageSeconds === null ? t('figures.noAnswer') : f.wait(a.averageSeconds)}</td>
                <td>{a.longestSeconds === null ? t('figures.noAnswer') : f.wait(a.longestSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {figures.handle.averageSeconds === null || figures.handle.longestSeconds === null
          ? t('figures.handleNone')
          : t('figures.handle', { average: f.wait(figures.handle.averageSeconds), longest: f.wait(figures.handle.longestSeconds), count: f.count(figures.handle.finished) })}
      </p>
      <p className="hint">{figures.voiceMenu.share === null || figures.voiceMenu.calls === null ? t('figures.menuUnknown') : t('figures.menuShare', { share: percent(figures.voiceMenu.share), calls: f.count(figures.voiceMenu.calls) })}</p>
    </section>
  );
}
