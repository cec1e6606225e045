import { useState } from 'react';
import { api, type Blocker, newIdempotencyKey } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { Field, Notice, useAction } from '../ui.tsx';
import { blockerText } from './warnings.tsx';

/** Each blocker says what to do, with the button that does it: pay now, confirm identity. */
export function BlockerActions({ blockers, currency, accountId, onResolved }: { blockers: Blocker[]; currency: string; accountId: string | null; onResolved(message: string): void }) {
  const { t, money } = useApp();
  const [document, setDocument] = useState('');
  const pay = useAction();
  // One key per page: a double click or a retry after a lost answer pays once.
  const [paymentKey] = useState(newIdempotencyKey);
  const verify = useAction<'document'>((code, field) => (code === 'IDENTITY_MISMATCH' || (code === 'VALIDATION_FAILED' && field === 'documentNumber') ? 'document' : 'form'));
  return (
    <ul className="blocker-list">
      {blockers.map((b) => (
        <li key={b.code}>
          <p>{blockerText(t, money, b, currency)}</p>
          {b.code === 'UNPAID_BALANCE' && b.amount !== undefined && accountId && (
            <>
              <button
                type="button"
                className="primary"
                disabled={pay.busy}
                onClick={() =>
                  void pay.run(async () => {
                    const payment = await api<{ state: string; redirectUrl: string | null }>('POST', `/accounts/${accountId}/payments`, { amount: b.amount }, { 'idempotency-key': paymentKey });
                    // A real provider takes the payment on its own page; the demo's sandbox pays at once.
                    if (payment.redirectUrl) window.location.assign(payment.redirectUrl);
                    else onResolved(t('action.paid'));
                  })
                }
              >
                {t('action.pay', { amount: money(b.amount, currency) })}
              </button>
              {pay.errors.form && <Notice kind="error">{pay.errors.form}</Notice>}
            </>
          )}
          {b.code === 'IDENTITY_NOT_VERIFIED' && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void verify.run(async () => {
                  await api('POST', '/identity/verify', { documentNumber: document });
                  onResolved(t('action.verified'));
                });
              }}
            >
              <Field label={t('action.documentNumber')} value={document} onChange={setDocument} required error={verify.errors.document ?? verify.errors.form} />
              <button type="submit" className="primary" disabled={verify.busy}>
                {t('action.verify')}
              </button>
            </form>
          )}
        </li>
      ))}
    </ul>
  );
}
