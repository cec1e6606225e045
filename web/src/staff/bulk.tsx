/**
 * The bulk upload page (roles back_office, admin): a CSV of numbers → the dry run's report by blocker and by
 * channel → a run on the server with a live progress bar (server-sent events). The run lives on the server: a
 * reloaded page finds the run under way among the latest runs and follows it again; the browser's EventSource
 * reconnects by itself with Last-Event-ID, and a stream that cannot reconnect is opened again. The result file
 * is the server's, streamed, in the reader's language.
 */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { type BulkDryRun, type BulkReport, type BulkRun, type BulkStarted, BULK_PATHS, uploadBulk } from './bulk-api.ts';
import type { Formats, Translate } from './formats.ts';
import type { StaffKey, StaffLanguage } from './texts.ts';
import './bulk.css';

const BLOCKERS = ['UNPAID_BALANCE', 'IDENTITY_NOT_VERIFIED', 'EARLY_TERMINATION_FEE_NOT_ACCEPTED', 'DEVICE_INSTALMENTS_OUTSTANDING', 'LINE_NOT_ACTIVE', 'PORT_OUT_IN_PROGRESS', 'LEGAL_HOLD'];
const CHANNELS = ['web', 'app', 'phone_ivr', 'phone_agent', 'store', 'sms', 'bulk', 'api'];
const blockerWords = (t: Translate, code: string) => t((BLOCKERS.includes(code) ? `bulk.blocker.${code}` : 'bulk.blocker.other') as StaffKey);
const channelWords = (t: Translate, channel: string) => t((CHANNELS.includes(channel) ? `bulk.channel.${channel}` : 'bulk.channel.other') as StaffKey);

const refusal = (t: Translate, failure: unknown): string =>
  failure instanceof ApiError
    ? failure.code === 'FORBIDDEN'
      ? t('bulk.forbidden')
      : failure.code === 'PAYLOAD_TOO_LARGE'
        ? t('bulk.error.tooLarge')
        : failure.message
    : t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) });

/** The report as a table a person reads top to bottom: what is created (and waits on what), what is skipped and why. */
function Report({ t, f, report, dry, caption }: { t: Translate; f: Formats; report: BulkReport; dry: boolean; caption: string }) {
  const rows: { label: string; n: number; sub?: boolean }[] = [
    { label: t('bulk.report.requested'), n: report.requested },
    { label: t(dry ? 'bulk.report.wouldCreate' : 'bulk.report.created'), n: report.created },
    { label: t('bulk.report.scheduled'), n: report.scheduled, sub: true },
    ...Object.entries(report.blocked).map(([code, n]) => ({ label: t('bulk.report.blockedBy', { blocker: blockerWords(t, code) }), n, sub: true })),
    { label: t('bulk.report.skipped'), n: report.skipped },
    ...(report.skippedBy.earlierRun ? [{ label: t('bulk.report.skippedEarlier'), n: report.skippedBy.earlierRun, sub: true }] : []),
    ...(report.skippedBy.terminated ? [{ label: t('bulk.report.skippedTerminated'), n: report.skippedBy.terminated, sub: true }] : []),
    ...(report.skippedBy.open ? [{ label: t('bulk.report.skippedOpen'), n: report.skippedBy.open, sub: true }] : []),
    ...(report.failed ? [{ label: t('bulk.report.failed'), n: report.failed }] : []),
  ];
  const channels = Object.entries(report.byChannel).sort((a, b) => b[1] - a[1]);
  return (
    <div className="staff-table bulk-report">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('bulk.report.outcome')}</th>
            <th scope="col" className="count">
              {t('bulk.report.numbers')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className={r.sub ? 'sub' : undefined}>
              <td>{r.label}</td>
              <td className="count">{f.count(r.n)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {channels.length > 0 && (
        <>
          <h3>{t('bulk.report.byChannel')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bulk.report.channel')}</th>
                <th scope="col" className="count">
                  {t('bulk.report.numbers')}
                </th>
              </tr>
            </thead>
            <tbody>
              {channels.map(([channel, n]) => (
                <tr key={channel}>
                  <td>{channelWords(t, channel)}</td>
                  <td className="count">{f.count(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

/**
 * Follows a run under way: the run as each event brings it. EventSource reconnects by itself (naming the last
 * event it got); when it gives up (the server was down and answered nothing), it is opened again a moment later.
 */
function useFollow(run: BulkRun | null, onRun: (run: BulkRun) => void): boolean {
  const [lost, setLost] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const id = run?.state === 'running' ? run.id : null;
  useEffect(() => {
    if (!id) return;
    const source = new EventSource(`/api/v1${BULK_PATHS.events(id)}`, { withCredentials: true });
    let retry: ReturnType<typeof setTimeout> | undefined;
    const take = (e: MessageEvent<string>) => {
      setLost(false);
      onRun(JSON.parse(e.data) as BulkRun);
    };
    source.addEventListener('progress', take);
    source.addEventListener('finished', (e) => {
      take(e);
      source.close();
    });
    source.onopen = () => setLost(false);
    source.onerror = () => {
      setLost(true);
      if (source.readyState === EventSource.CLOSED) retry = setTimeout(() => setAttempt((n) => n + 1), 2000);
    };
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [id, attempt, onRun]);
  return lost && id !== null;
}

function RunView({ t, f, language, run, existing, lost }: { t: Translate; f: Formats; language: StaffLanguage; run: BulkRun; existing: boolean; lost: boolean }) {
  const file = run.fileName ?? t('bulk.untitled');
  const heading = t('bulk.run.title', { file });
  return (
    <section className="card" aria-labelledby="bulk-run-title">
      <h2 id="bulk-run-title">{heading}</h2>
      {existing && <p className="notice notice-info">{t('bulk.run.existing')}</p>}
      <p className="hint">{t('bulk.run.started', { when: f.dateTime(run.createdAt), who: run.createdBy })}</p>
      <progress className="bulk-progress" max={Math.max(run.total, 1)} value={run.done} aria-label={t('bulk.run.progress')} aria-valuetext={t('bulk.run.count', { done: f.count(run.done), total: f.count(run.total) })} />
      <p aria-live="polite">{t('bulk.run.count', { done: f.count(run.done), total: f.count(run.total) })}</p>
      {run.state === 'running' && !lost && <p className="notice notice-info">{t('bulk.run.running')}</p>}
      {run.state === 'running' && lost && (
        <p className="notice notice-error" role="status">
          {t('bulk.run.reconnecting')}
        </p>
      )}
      {run.state === 'finished' && run.finishedAt && (
        <p className="notice notice-ok" role="status">
          {t('bulk.run.finished', { when: f.dateTime(run.finishedAt) })}
        </p>
      )}
      <Report t={t} f={f} report={run.report} dry={false} caption={heading} />
      {run.state === 'finished' && (
        <div className="bulk-actions">
          <a className="button primary" href={`/api/v1${BULK_PATHS.result(run.id, language)}`} download>
            {t('bulk.download')}
          </a>
        </div>
      )}
    </section>
  );
}

function EarlierRuns({ t, f, language, runs }: { t: Translate; f: Formats; language: StaffLanguage; runs: readonly BulkRun[] }) {
  if (runs.length === 0) return null;
  return (
    <section className="card" aria-labelledby="bulk-runs-title">
      <h2 id="bulk-runs-title">{t('bulk.runs.title')}</h2>
      <div className="staff-table bulk-runs">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('bulk.runs.file')}</th>
            <th scope="col">{t('bulk.runs.when')}</th>
            <th scope="col">{t('bulk.runs.who')}</th>
            <th scope="col">{t('bulk.runs.state')}</th>
            <th scope="col">{t('bulk.runs.result')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td className="bulk-file-name">{r.fileName ?? t('bulk.untitled')}</td>
              <td>{f.dateTime(r.createdAt)}</td>
              <td>{r.createdBy}</td>
              <td>{r.state === 'running' ? t('bulk.runs.running', { done: f.count(r.done), total: f.count(r.total) }) : t('bulk.runs.finished', { created: f.count(r.report.created) })}</td>
              <td>
                {r.state === 'finished' && (
                  <a href={`/api/v1${BULK_PATHS.result(r.id, language)}`} download aria-label={`${t('bulk.download')}: ${r.fileName ?? t('bulk.untitled')}, ${f.dateTime(r.createdAt)}`}>
                    {t('bulk.download')}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}

export function BulkUpload({ t, f, language }: { t: Translate; f: Formats; language: StaffLanguage }) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [reason, setReason] = useState('');
  const [dry, setDry] = useState<BulkReport | null>(null);
  const [run, setRun] = useState<BulkRun | null>(null);
  const [existing, setExisting] = useState(false);
  const [runs, setRuns] = useState<BulkRun[]>([]);
  const [busy, setBusy] = useState<'check' | 'start' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lost = useFollow(run, setRun);

  // After a reload the run under way is found again among the latest ones.
  useEffect(() => {
    api<BulkRun[]>('GET', BULK_PATHS.runs).then(
      (latest) => {
        setRuns(latest);
        setRun((shown) => shown ?? latest.find((r) => r.state === 'running') ?? null);
      },
      (e: unknown) => setError(refusal(t, e)),
    );
  }, [t, run?.state]);

  const reset = () => {
    setFile(null);
    setDry(null);
    setRun(null);
    setExisting(false);
    setError(null);
  };
  const check = () => {
    if (!file) return;
    setBusy('check');
    setError(null);
    uploadBulk<BulkDryRun>(file.text, { dryRun: true, fileName: file.name, reason, language })
      .then((r) => setDry(r.report))
      .catch((e: unknown) => setError(refusal(t, e)))
      .finally(() => setBusy(null));
  };
  const start = () => {
    if (!file) return;
    setBusy('start');
    setError(null);
    uploadBulk<BulkStarted>(file.text, { dryRun: false, fileName: file.name, reason, language })
      .then((r) => {
        setExisting(r.existing);
        setDry(null);
        setRun(r.run);
      })
      .catch((e: unknown) => setError(refusal(t, e)))
      .finally(() => setBusy(null));
  };

  const showForm = !run || run.state === 'finished';
  return (
    <>
      <section className="card" aria-labelledby="bulk-title">
        <h1 id="bulk-title" tabIndex={-1}>
          {t('bulk.title')}
        </h1>
        <p>{t('bulk.intro')}</p>
        {showForm && !dry && (
          <form
            className="bulk-file"
            onSubmit={(e) => {
              e.preventDefault();
              check();
            }}
          >
            <div className="field">
              <label htmlFor="bulk-file">{t('bulk.file')}</label>
              <p className="hint" id="bulk-file-hint">
                {t('bulk.fileHint')}
              </p>
              <input
                id="bulk-file"
                type="file"
                accept=".csv,text/csv,text/plain"
                aria-describedby="bulk-file-hint"
                required
                onChange={(e) => {
                  const chosen = e.target.files?.[0];
                  setError(null);
                  setRun(null);
                  if (!chosen) return setFile(null);
                  chosen.text().then(
                    (text) => setFile({ name: chosen.name, text }),
                    () => setError(t('bulk.error.read')),
                  );
                }}
              />
            </div>
            <div className="field">
              <label htmlFor="bulk-reason">{t('bulk.reason')}</label>
              <input id="bulk-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
            </div>
            <button type="submit" className="primary" disabled={!file || busy !== null}>
              {busy === 'check' ? t('bulk.checking') : t('bulk.check')}
            </button>
          </form>
        )}
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
      </section>
      {dry && file && (
        <section className="card" aria-labelledby="bulk-report-title">
          <h2 id="bulk-report-title">{t('bulk.report.title', { file: file.name })}</h2>
          <p className="hint">{t('bulk.report.intro')}</p>
          <Report t={t} f={f} report={dry} dry caption={t('bulk.report.title', { file: file.name })} />
          <div className="bulk-actions">
            <button type="button" className="primary" disabled={busy !== null} onClick={start}>
              {busy === 'start' ? t('bulk.starting') : t('bulk.start')}
            </button>
            <button type="button" onClick={reset}>
              {t('bulk.another')}
            </button>
          </div>
        </section>
      )}
      {run && <RunView t={t} f={f} language={language} run={run} existing={existing} lost={lost} />}
      <EarlierRuns t={t} f={f} language={language} runs={runs.filter((r) => r.id !== run?.id)} />
    </>
  );
}
