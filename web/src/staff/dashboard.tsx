/**
 * The back office's dashboard (roles back_office and admin): requests per day by channel and reason, completion
 * times, blockers now, the quarantine pool and its forecast, hotline and shop figures; then what needs a hand
 * (orders needing attention, failed messages, work that gave up, each with a retry) and the audit log with its check.
 * The charts are lazy-loaded (dashboard-charts.tsx); every chart has a table of the same figures under it.
 */
import type { Static } from '@sinclair/typebox';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { AuditChainSchema, DashboardSchema } from '../../../src/channels/api/dashboard-schemas.ts';
import { LOCALE_OF } from '../../../src/domain/languages.ts';
import { api, ApiError, type Termination } from '../api.ts';
import type { ChartSeries } from './dashboard-charts.tsx';
import { type AuditLine, auditActor, auditSentence, messageWords, wordFor } from './dashboard-words.ts';
import type { Formats, Translate } from './formats.ts';
import './dashboard.css';

const BarChart = lazy(() => import('./dashboard-charts.tsx'));

type Figures = Static<typeof DashboardSchema>;
type ChainState = Static<typeof AuditChainSchema>;
interface FailedMessage { id: string; template: string; medium: string; address: string; subjectRef: string | null; attempts: number; failedAt: string }
interface DeadJob { id: string; kind: string; attempts: number; deadSince: string; reference: string | null }

export const DASHBOARD_PATHS = {
  figures: (days: number) => `/staff/dashboard?days=${days}`,
  attention: '/staff/terminations?state=needs_attention&limit=50',
  retryOrder: (reference: string) => `/staff/terminations/${encodeURIComponent(reference)}/retry`,
  failedMessages: '/staff/notifications/failed',
  retryMessage: (id: string) => `/staff/notifications/${encodeURIComponent(id)}/retry`,
  deadJobs: '/staff/jobs/dead',
  retryJob: (id: string) => `/staff/jobs/${encodeURIComponent(id)}/retry`,
  audit: '/staff/audit/recent?limit=20',
  verify: '/staff/audit/verification',
};

const PERIODS = [7, 14, 30, 90] as const;
// Okabe–Ito colours: told apart by people with the common colour-vision deficiencies.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#6B4C9A', '#1b1f24'];

const problemText = (t: Translate, failure: unknown) =>
  failure instanceof ApiError && failure.status === 403 ? t('dash.forbidden') : failure instanceof ApiError ? failure.message : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) });

type Outcome = { ok: boolean; text: string } | null;
function OutcomeLine({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <p className="notice notice-ok" role="status">
      {outcome.text}
    </p>
  ) : (
    <p className="notice notice-error" role="alert">
      {outcome.text}
    </p>
  );
}

/** A list the page loads and reloads after an action on one of its rows. */
function useList<T>(path: string, t: Translate, changes: number): { rows: T[] | null; problem: string | null; reload(): void } {
  const [rows, setRows] = useState<T[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reload = useCallback(() => {
    api<T[]>('GET', path).then(
      (found) => {
        setRows(found);
        setProblem(null);
      },
      (e: unknown) => setProblem(problemText(t, e)),
    );
    // `changes` counts the retries made on the page: one retry can move a row of another list (an order's dead job).
  }, [path, t, changes]);
  useEffect(reload, [reload]);
  return { rows, problem, reload };
}

/** A chart with its accessible summary, and the same figures as a table under it. */
function ChartWithTable({ t, f, id, title, labels, series, summary, firstColumn }: { t: Translate; f: Formats; id: string; title: string; labels: string[]; series: ChartSeries[]; summary: string; firstColumn: string }) {
  const totals = labels.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  return (
    <div className="dash-chart-block">
      <h3 id={id}>{title}</h3>
      <Suspense fallback={<p className="hint">{t('dash.chartLoading')}</p>}>
        <BarChart labels={labels} series={series} stacked summary={summary} count={f.count} />
      </Suspense>
      <details>
        <summary>{t('dash.asTable')}</summary>
        <div className="staff-table" role="region" aria-labelledby={id} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{firstColumn}</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
                {series.length > 1 && <th scope="col">{t('dash.total')}</th>}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, i) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.map((s) => (
                    <td key={s.label}>{f.count(s.values[i] ?? 0)}</td>
                  ))}
                  {series.length > 1 && <td>{f.count(totals[i] ?? 0)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

/** Series of a per-day count, one per key that occurs in the period (in the order of `keys`). */
function seriesOf(days: Figures['days'], pick: (d: Figures['days'][number]) => Record<string, number | undefined>, keys: readonly string[], label: (key: string) => string): ChartSeries[] {
  const present = keys.filter((k) => days.some((d) => (pick(d)[k] ?? 0) > 0));
  return present.map((k, i) => ({ label: label(k), color: COLOURS[i % COLOURS.length] ?? '#000', values: days.map((d) => pick(d)[k] ?? 0) }));
}

const CHANNEL_ORDER = ['web', 'app', 'phone_ivr', 'phone_agent', 'store', 'sms', 'bulk', 'api'];
const REASON_ORDER = ['own', 'without_sign_in', 'sim_lost', 'text_message', 'not_me', 'dormancy', 'operator'];

function Requests({ t, f, figures }: { t: Translate; f: Formats; figures: Figures }) {
  const labels = useMemo(() => figures.days.map((d) => f.day(d.start)), [figures, f]);
  const byChannel = useMemo(() => seriesOf(figures.days, (d) => d.byChannel, CHANNEL_ORDER, (k) => wordFor(t, 'dash.channel.', k, 'dash.channel.api')), [figures, t]);
  const byReason = useMemo(() => seriesOf(figures.days, (d) => d.byReason, REASON_ORDER, (k) => wordFor(t, 'dash.reason.', k, 'dash.reason.operator')), [figures, t]);
  const total = figures.days.reduce((s, d) => s + d.total, 0);
  const busiest = figures.days.reduce((best, d) => (d.total > best.total ? d : best), figures.days[0] ?? { start: figures.to, total: 0 });
  const summary = (how: string, series: ChartSeries[]) =>
    `${t('dash.requests.title')}, ${how.toLowerCase()}: ${t('dash.requests.summary', { count: f.count(total), days: f.count(figures.days.length), busiest: f.date(busiest.start), most: f.count(busiest.total) })} ${f.list(series.map((s) => `${s.label} ${f.count(s.values.reduce((a, b) => a + b, 0))}`))}.`;
  return (
    <section className="card" aria-labelledby="dash-requests">
      <h2 id="dash-requests">{t('dash.requests.title')}</h2>
      {total === 0 ? (
        <p>{t('dash.requests.empty')}</p>
      ) : (
        <>
          <p>{t('dash.requests.summary', { count: f.count(total), days: f.count(figures.days.length), busiest: f.date(busiest.start), most: f.count(busiest.total) })}</p>
          <div className="dash-two">
            <ChartWithTable t={t} f={f} id="dash-by-channel" title={t('dash.requests.byChannel')} labels={labels} series={byChannel} summary={summary(t('dash.requests.byChannel'), byChannel)} firstColumn={t('dash.day')} />
            <ChartWithTable t={t} f={f} id="dash-by-reason" title={t('dash.requests.byReason')} labels={labels} series={byReason} summary={summary(t('dash.requests.byReason'), byReason)} firstColumn={t('dash.day')} />
          </div>
        </>
      )}
    </section>
  );
}

function Stat({ label, value, unknown = '' }: { label: string; value: string | null; unknown?: string }) {
  return (
    <div className="dash-stat">
      <dt>{label}</dt>
      <dd className={value === null ? 'dash-unknown' : undefined}>{value ?? unknown}</dd>
    </div>
  );
}

function Overview({ t, f, figures, language }: { t: Translate; f: Formats; figures: Figures; language: keyof typeof LOCALE_OF }) {
  const wait = (s: number | null) => (s === null ? null : f.wait(s));
  const percent = (share: number | null) => (share === null ? null : new Intl.NumberFormat(LOCALE_OF[language], { style: 'percent', maximumFractionDigits: 0 }).format(share));
  const weeks = figures.quarantine.weeks;
  const weekLabels = useMemo(() => weeks.map((w) => f.day(w.start)), [weeks, f]);
  const weekSeries = useMemo<ChartSeries[]>(() => [{ label: t('dash.quarantine.returning'), color: COLOURS[0] ?? '#000', values: weeks.map((w) => w.returning) }], [weeks, t]);
  const returning = weeks.reduce((s, w) => s + w.returning, 0);
  const blockers = Object.entries(figures.blockers.byCode).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  const lastWeekEnd = weeks.length ? new Date(Date.parse(weeks[weeks.length - 1]?.start ?? figures.to) + 7 * 86_400_000).toISOString() : figures.to;
  const quarantineSummary = t('dash.quarantine.summary', { count: f.count(returning), weeks: f.count(weeks.length), pool: f.count(figures.quarantine.pool) });
  return (
    <>
      <div className="dash-grid">
        <section className="card" aria-labelledby="dash-completion">
          <h2 id="dash-completion">{t('dash.completion.title')}</h2>
          {figures.completion.completed === 0 ? (
            <p>{t('dash.completion.empty')}</p>
          ) : (
            <>
              <dl className="dash-stats">
                <Stat unknown={t('dash.unknown')} label={t('dash.completion.median')} value={wait(figures.completion.medianSeconds)} />
                <Stat unknown={t('dash.unknown')} label={t('dash.completion.p90')} value={wait(figures.completion.p90Seconds)} />
              </dl>
              <p className="hint">{t('dash.completion.count', { count: f.count(figures.completion.completed) })}</p>
            </>
          )}
        </section>
        <section className="card" aria-labelledby="dash-blockers">
          <h2 id="dash-blockers">{t('dash.blockers.title')}</h2>
          {figures.blockers.orders === 0 ? (
            <p>{t('dash.blockers.empty')}</p>
          ) : (
            <>
              <p>{t('dash.blockers.orders', { count: f.count(figures.blockers.orders) })}</p>
              <table className="dash-bars">
                <thead>
                  <tr>
                    <th scope="col">{t('dash.blockers.col.what')}</th>
                    <th scope="col">{t('dash.blockers.col.orders')}</th>
                  </tr>
                </thead>
                <tbody>
                  {blockers.map(([code, n]) => (
                    <tr key={code}>
                      <th scope="row">{wordFor(t, 'dash.blocker.', code, 'dash.none')}</th>
                      <td>
                        <span className="dash-bar" style={{ width: `${Math.round(((n ?? 0) / figures.blockers.orders) * 100)}%` }} aria-hidden="true" />
                        {f.count(n ?? 0)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
        <section className="card" aria-labelledby="dash-service">
          <h2 id="dash-service">{t('dash.service.title')}</h2>
          <dl className="dash-stats">
            <Stat unknown={t('dash.unknown')} label={t('dash.hotline.answer')} value={wait(figures.hotline.averageAnswerSeconds)} />
            <Stat unknown={t('dash.unknown')} label={t('dash.hotline.longest')} value={wait(figures.hotline.longestAnswerSeconds)} />
            <Stat unknown={t('dash.unknown')} label={t('dash.hotline.withoutAgent')} value={percent(figures.hotline.withoutAgentShare)} />
            <Stat unknown={t('dash.unknown')} label={t('dash.shops.wait')} value={wait(figures.shops.averageWaitSeconds)} />
            <Stat unknown={t('dash.unknown')} label={t('dash.shops.longest')} value={wait(figures.shops.longestWaitSeconds)} />
          </dl>
          <p className="hint">{t('dash.hotline.answered', { count: f.count(figures.hotline.answered) })}</p>
          <p className="hint">{t('dash.shops.served', { count: f.count(figures.shops.served), waiting: f.count(figures.shops.waitingNow) })}</p>
        </section>
      </div>
      <section className="card" aria-labelledby="dash-quarantine">
        <h2 id="dash-quarantine">{t('dash.quarantine.title')}</h2>
        <dl className="dash-stats">
          <Stat label={t('dash.quarantine.pool')} value={f.count(figures.quarantine.pool)} />
          <Stat label={t('dash.quarantine.due')} value={f.count(figures.quarantine.due)} />
          <Stat label={t('dash.quarantine.later', { date: f.date(lastWeekEnd) })} value={f.count(figures.quarantine.later)} />
        </dl>
        <ChartWithTable t={t} f={f} id="dash-forecast" title={t('dash.quarantine.forecast')} labels={weekLabels} series={weekSeries} summary={`${t('dash.quarantine.forecast')}: ${quarantineSummary}`} firstColumn={t('dash.quarantine.week')} />
      </section>
    </>
  );
}

function NeedsAttention({ t, f, changes, onChanged }: { t: Translate; f: Formats; changes: number; onChanged(): void }) {
  const { rows, problem } = useList<Termination>(DASHBOARD_PATHS.attention, t, changes);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const retry = (reference: string) => {
    setOutcome(null);
    api('POST', DASHBOARD_PATHS.retryOrder(reference)).then(
      () => setOutcome({ ok: true, text: t('dash.attention.retried', { reference }) }),
      (e: unknown) => setOutcome({ ok: false, text: problemText(t, e) }),
    ).finally(onChanged);
  };
  return (
    <section className="card" aria-labelledby="dash-attention">
      <h2 id="dash-attention">{t('dash.attention.title')}</h2>
      <OutcomeLine outcome={outcome} />
      {problem && <p className="notice notice-error">{problem}</p>}
      {rows && rows.length === 0 && <p>{t('dash.attention.empty')}</p>}
      {rows && rows.length > 0 && (
        <div className="staff-table" role="region" aria-labelledby="dash-attention" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dash.attention.col.order')}</th>
                <th scope="col">{t('dash.attention.col.number')}</th>
                <th scope="col">{t('dash.attention.col.channel')}</th>
                <th scope="col">{t('dash.attention.col.requested')}</th>
                <th scope="col">{t('dash.attention.col.failed')}</th>
                <th scope="col">{t('dash.attention.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => {
                const failed = o.progress.find((p) => p.state === 'failed')?.step;
                return (
                  <tr key={o.reference}>
                    <td className="reference">{o.reference}</td>
                    <td className="reference">{f.phone(o.msisdn)}</td>
                    <td>{wordFor(t, 'dash.channel.', o.channel, 'dash.channel.api')}</td>
                    <td className="dash-when">{f.dateTime(o.requestedAt)}</td>
                    <td>{failed ? wordFor(t, 'dash.step.', failed, 'dash.step.unknown') : t('dash.step.unknown')}</td>
                    <td>
                      <button type="button" onClick={() => retry(o.reference)} aria-label={`${t('dash.attention.retry')}: ${o.reference}`}>
                        {t('dash.attention.retry')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FailedMessages({ t, f, changes, onChanged }: { t: Translate; f: Formats; changes: number; onChanged(): void }) {
  const { rows, problem } = useList<FailedMessage>(DASHBOARD_PATHS.failedMessages, t, changes);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const retry = (id: string) => {
    setOutcome(null);
    api('POST', DASHBOARD_PATHS.retryMessage(id)).then(
      () => setOutcome({ ok: true, text: t('dash.messages.retried') }),
      (e: unknown) => setOutcome({ ok: false, text: problemText(t, e) }),
    ).finally(onChanged);
  };
  return (
    <section className="card" aria-labelledby="dash-messages">
      <h2 id="dash-messages">{t('dash.messages.title')}</h2>
      <OutcomeLine outcome={outcome} />
      {problem && <p className="notice notice-error">{problem}</p>}
      {rows && rows.length === 0 && <p>{t('dash.messages.empty')}</p>}
      {rows && rows.length > 0 && (
        <div className="staff-table" role="region" aria-labelledby="dash-messages" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dash.messages.col.when')}</th>
                <th scope="col">{t('dash.messages.col.what')}</th>
                <th scope="col">{t('dash.messages.col.to')}</th>
                <th scope="col">{t('dash.messages.col.order')}</th>
                <th scope="col">{t('dash.messages.col.attempts')}</th>
                <th scope="col">{t('dash.attention.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td className="dash-when">{f.dateTime(m.failedAt)}</td>
                  <td>{t('dash.messages.via', { what: messageWords(t, m.template), medium: wordFor(t, 'dash.medium.', m.medium, 'dash.medium.other') })}</td>
                  <td className="reference">{m.medium === 'sms' ? f.phone(m.address) : m.address}</td>
                  <td className="reference">{m.subjectRef ?? '—'}</td>
                  <td>{f.count(m.attempts)}</td>
                  <td>
                    <button type="button" onClick={() => retry(m.id)}>
                      {t('dash.messages.retry')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeadJobs({ t, f, changes, onChanged }: { t: Translate; f: Formats; changes: number; onChanged(): void }) {
  const { rows, problem } = useList<DeadJob>(DASHBOARD_PATHS.deadJobs, t, changes);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const retry = (id: string) => {
    setOutcome(null);
    api('POST', DASHBOARD_PATHS.retryJob(id)).then(
      () => setOutcome({ ok: true, text: t('dash.jobs.retried') }),
      (e: unknown) => setOutcome({ ok: false, text: problemText(t, e) }),
    ).finally(onChanged);
  };
  return (
    <section className="card" aria-labelledby="dash-jobs">
      <h2 id="dash-jobs">{t('dash.jobs.title')}</h2>
      <OutcomeLine outcome={outcome} />
      {problem && <p className="notice notice-error">{problem}</p>}
      {rows && rows.length === 0 && <p>{t('dash.jobs.empty')}</p>}
      {rows && rows.length > 0 && (
        <div className="staff-table" role="region" aria-labelledby="dash-jobs" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dash.jobs.col.since')}</th>
                <th scope="col">{t('dash.jobs.col.what')}</th>
                <th scope="col">{t('dash.jobs.col.order')}</th>
                <th scope="col">{t('dash.messages.col.attempts')}</th>
                <th scope="col">{t('dash.attention.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((j) => (
                <tr key={j.id}>
                  <td className="dash-when">{f.dateTime(j.deadSince)}</td>
                  <td>{wordFor(t, 'dash.job.', j.kind, 'dash.job.other')}</td>
                  <td className="reference">{j.reference ?? '—'}</td>
                  <td>{f.count(j.attempts)}</td>
                  <td>
                    <button type="button" onClick={() => retry(j.id)}>
                      {t('dash.jobs.retry')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Audit({ t, f }: { t: Translate; f: Formats }) {
  const [recent, setRecent] = useState<{ head: number; entries: AuditLine[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [chain, setChain] = useState<ChainState | null>(null);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    api<{ head: number; entries: AuditLine[] }>('GET', DASHBOARD_PATHS.audit).then(setRecent, (e: unknown) => setProblem(problemText(t, e)));
  }, [t]);
  const check = () => {
    setChecking(true);
    api<ChainState>('GET', DASHBOARD_PATHS.verify)
      .then(setChain, (e: unknown) => setProblem(problemText(t, e)))
      .finally(() => setChecking(false));
  };
  const verdict = (c: ChainState): string => {
    const when = f.dateTime(c.checkedAt);
    if (c.ok) return t('dash.audit.whole', { count: f.count(c.entries), when });
    const seq = c.firstBadSeq ?? c.entries + 1;
    return seq <= 1 ? t('dash.audit.brokenAtStart', { when }) : t('dash.audit.broken', { seq: f.count(seq), good: f.count(seq - 1), when });
  };
  return (
    <section className="card" aria-labelledby="dash-audit">
      <h2 id="dash-audit">{t('dash.audit.title')}</h2>
      {problem && <p className="notice notice-error">{problem}</p>}
      <div className="dash-chain">
        <h3>{t('dash.audit.chain')}</h3>
        <p className="hint">{t('dash.audit.chainIntro')}</p>
        <button type="button" onClick={check} disabled={checking}>
          {checking ? t('dash.audit.checking') : t('dash.audit.check')}
        </button>
        {chain && (
          <p className={chain.ok ? 'notice notice-ok' : 'notice notice-error'} role={chain.ok ? 'status' : 'alert'}>
            {verdict(chain)}
          </p>
        )}
      </div>
      {recent && recent.entries.length === 0 && <p>{t('dash.audit.empty')}</p>}
      {recent && recent.entries.length > 0 && (
        <div className="staff-table" role="region" aria-labelledby="dash-audit" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dash.audit.col.entry')}</th>
                <th scope="col">{t('dash.audit.col.when')}</th>
                <th scope="col">{t('dash.audit.col.what')}</th>
                <th scope="col">{t('dash.audit.col.who')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.entries.map((e) => (
                <tr key={e.seq}>
                  <td>{f.count(e.seq)}</td>
                  <td className="dash-when">{f.dateTime(e.at)}</td>
                  <td>{auditSentence(t, e)}</td>
                  <td>{auditActor(t, e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Dashboard({ t, f, language }: { t: Translate; f: Formats; language: keyof typeof LOCALE_OF }) {
  const [days, setDays] = useState<number>(14);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const changed = useCallback(() => setChanges((n) => n + 1), []);
  useEffect(() => {
    api<Figures>('GET', DASHBOARD_PATHS.figures(days)).then(
      (found) => {
        setFigures(found);
        setProblem(null);
      },
      (e: unknown) => setProblem(problemText(t, e)),
    );
  }, [days, t]);
  return (
    <section className="dash" aria-labelledby="dash-title">
      <h1 id="dash-title" tabIndex={-1}>
        {t('dash.title')}
      </h1>
      <p className="hint">{t('dash.intro')}</p>
      <div className="row dash-period">
        <label htmlFor="dash-days">{t('dash.period')}</label>
        <select id="dash-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {PERIODS.map((n) => (
            <option key={n} value={n}>
              {t('dash.period.days', { count: f.count(n) })}
            </option>
          ))}
        </select>
        {figures && <span className="hint">{t('dash.updated', { when: f.dateTime(figures.to) })}</span>}
      </div>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {!figures && !problem && <p className="hint">{t('dash.loading')}</p>}
      {figures && (
        <>
          <Requests t={t} f={f} figures={figures} />
          <Overview t={t} f={f} figures={figures} language={language} />
        </>
      )}
      <NeedsAttention t={t} f={f} changes={changes} onChanged={changed} />
      <FailedMessages t={t} f={f} changes={changes} onChanged={changed} />
      <DeadJobs t={t} f={f} changes={changes} onChanged={changed} />
      <Audit t={t} f={f} />
    </section>
  );
}
