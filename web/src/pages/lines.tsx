import { useEffect, useState } from 'react';
import { api, type Line, type Termination } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { formatData } from '../i18n/index.ts';
import { Link, Notice } from '../ui.tsx';

export function LinesPage() {
  const { t, money, language } = useApp();
  const [lines, setLines] = useState<Line[] | null>(null);
  const [open, setOpen] = useState<Termination[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Line[]>('GET', '/lines').then(setLines, (e: Error) => setError(e.message));
    api<Termination[]>('GET', '/terminations').then(setOpen, () => setOpen([]));
  }, []);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!lines) return <p>{t('common.loading')}</p>;
  const openFor = (lineId: string) => open.find((o) => o.lineId === lineId && !['completed', 'expired', 'withdrawn', 'rejected'].includes(o.state));
  return (
    <section>
      <h1>{t('lines.title')}</h1>
      {lines.length === 0 && <p>{t('lines.empty')}</p>}
      <ul className="lines">
        {lines.map((line) => {
          const request = openFor(line.id);
          return (
            <li key={line.id} className="card line">
              <h2 className="msisdn">{line.msisdn}</h2>
              <dl>
                <div>
                  <dt>{t('lines.type')}</dt>
                  <dd>{line.simType === 'esim' ? t('common.esim') : t('common.sim')}</dd>
                </div>
                <div>
                  <dt>{t('lines.plan')}</dt>
                  <dd>{line.plan}</dd>
                </div>
                <div>
                  <dt>{t('lines.balance')}</dt>
                  <dd className={line.balance < 0 ? 'negative' : undefined}>{money(line.balance, line.currency)}</dd>
                </div>
                <div>
                  <dt>{t('lines.dataLeft')}</dt>
                  <dd>{formatData(language, line.dataLeftMb)}</dd>
                </div>
                <div>
                  <dt>{t('lines.state')}</dt>
                  <dd>{t(`state.${line.state}`)}</dd>
                </div>
              </dl>
              {line.esimActivationCode && line.state === 'active' && <EsimInstall lineId={line.id} msisdn={line.msisdn} code={line.esimActivationCode} />}
              {line.state === 'active' && (
                <p>
                  <Link to={`/lines/${line.id}/shop-ticket`} className="button">
                    {t('lines.shopTicket')}
                  </Link>
                </p>
              )}
              {request ? (
                <Link to={`/terminations/${request.reference}`} className="button">
                  {t('lines.viewRequest')} {request.reference}
                </Link>
              ) : (
                (line.state === 'active' || line.state === 'suspended') && (
                  <Link to={`/lines/${line.id}/cancel`} className="button danger">
                    {t('lines.cancel')}
                  </Link>
                )
              )}
            </li>
          );
        })}
      </ul>
      <div className="card">
        <p>
          <a className="button" href="/api/v1/me/export" download>
            {t('lines.export')}
          </a>
        </p>
        <p className="hint">{t('lines.exportHint')}</p>
        <p>
          <Link to="/reclaim">{t('lines.reclaim')}</Link> · <Link to="/terminations">{t('nav.requests')}</Link> · <Link to="/shop-tickets">{t('lines.shopTickets')}</Link>
        </p>
      </div>
    </section>
  );
}

/** The eSIM's QR code (drawn by the server: the bundle stays small) and its activation code to type or paste. */
function EsimInstall({ lineId, msisdn, code }: { lineId: string; msisdn: string; code: string }) {
  const { t } = useApp();
  const [copied, setCopied] = useState(false);
  const id = `esim-code-${lineId}`;
  return (
    <section className="esim-install" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('lines.esimTitle')}</h3>
      <p>{t('lines.esimHow')}</p>
      <img className="esim-qr" src={`/api/v1/me/lines/${encodeURIComponent(lineId)}/esim-qr.svg`} width={220} height={220} alt={t('lines.esimQrAlt', { msisdn })} />
      <label htmlFor={id}>{t('lines.esimCode')}</label>
      <div className="esim-code">
        {/* A text area, not a one-line input: the whole code stays in sight, wrapped, for typing it in by hand. */}
        <textarea id={id} readOnly value={code} rows={2} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(code).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {t('lines.esimCopy')}
        </button>
        <span role="status">{copied ? t('lines.esimCopied') : ''}</span>
      </div>
      <p className="hint">{t('lines.esimSecret')}</p>
    </section>
  );
}
