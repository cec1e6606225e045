import type { Blocker, Quote, Warning } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { formatData, type MessageKey } from '../i18n/index.ts';

export function WarningList({ warnings, currency }: { warnings: Warning[]; currency: string }) {
  const { t, money, date, language } = useApp();
  return (
    <ul className="warnings">
      {warnings.map((w) => (
        <li key={w.code}>
          {t(`warning.${w.code}` as MessageKey, {
            amount: w.amount !== undefined ? money(w.amount, currency) : '',
            data: w.dataLeftMb !== undefined ? formatData(language, w.dataLeftMb) : '',
            date: w.date ? date(w.date) : '',
            method: w.method ? t(`preview.refundHow.${w.method}` as MessageKey) : '',
          })}
        </li>
      ))}
    </ul>
  );
}

export function blockerText(t: ReturnType<typeof useApp>['t'], money: ReturnType<typeof useApp>['money'], b: Blocker, currency: string): string {
  return t(`blocker.${b.code}` as MessageKey, { amount: b.amount !== undefined ? money(b.amount, currency) : '' });
}

export function EsimSteps() {
  const { t } = useApp();
  return (
    <details className="card esim">
      <summary>{t('esim.title')}</summary>
      <ul>
        <li>{t('esim.ios')}</li>
        <li>{t('esim.android')}</li>
        <li>{t('esim.other')}</li>
      </ul>
    </details>
  );
}

/** The money rows of a cancellation (the preview's and the receipt's): owed, final invoice, fee, instalments, refund. */
export function moneyRows(t: ReturnType<typeof useApp>['t'], money: ReturnType<typeof useApp>['money'], q: Quote): [string, string][] {
  return [
    [t('preview.owe'), money(q.owed, q.currency)],
    [t('preview.finalInvoice'), money(q.finalUsage, q.currency)],
    [t('preview.fee'), q.earlyTerminationFee > 0 ? money(q.earlyTerminationFee, q.currency) : t('preview.noFee')],
    ...(q.instalmentsLeft > 0 ? ([[t('preview.instalments'), money(q.instalmentsLeft, q.currency)]] as [string, string][]) : []),
    [t('preview.refund'), money(q.refund, q.currency)],
    ...(q.owedAfter > 0 ? ([[t('preview.owedAfter'), money(q.owedAfter, q.currency)]] as [string, string][]) : []),
  ];
}
