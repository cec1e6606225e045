import type { Blocker, Warning } from '../api.ts';
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
