/**
 * What the administrator's staff, key and webhook pages share: how an action's outcome is told, a refusal in the
 * reader's words, and a secret shown once with a button that copies it.
 */
import { useCallback, useState } from 'react';
import { ApiError } from '../api.ts';
import type { Translate } from './formats.ts';
import type { StaffKey } from './texts.ts';

export interface Told {
  readonly ok: boolean;
  readonly text: string;
}

/** The API's own message (in the reader's language); a malformed field, which the forms mostly prevent, in the page's words. */
export function refusal(t: Translate, failure: unknown, invalid: StaffKey = 'access.error.invalid'): string {
  if (failure instanceof ApiError) return failure.code === 'VALIDATION_FAILED' ? t(invalid) : failure.code === 'FORBIDDEN' ? t('access.forbidden') : failure.message;
  return t('error.generic', { message: failure instanceof Error ? failure.message : String(failure) });
}

/** One line saying how the last action went: an error is announced at once, a success politely. */
export function Outcome({ told }: { told: Told | null }) {
  if (!told) return null;
  return told.ok ? (
    <p className="notice notice-ok" role="status">
      {told.text}
    </p>
  ) : (
    <p className="notice notice-error" role="alert">
      {told.text}
    </p>
  );
}

export type Run = <T>(work: () => Promise<T>, done?: (result: T) => string) => void;

export function useOutcome(t: Translate, invalid?: StaffKey): [Told | null, Run, (told: Told | null) => void] {
  const [told, setTold] = useState<Told | null>(null);
  const run: Run = useCallback(
    (work, done) => {
      setTold(null);
      work().then(
        (result) => setTold({ ok: true, text: done ? done(result) : t('access.saved') }),
        (e: unknown) => setTold({ ok: false, text: refusal(t, e, invalid) }),
      );
    },
    [t, invalid],
  );
  return [told, run, setTold];
}

/** A secret (password, key, signing secret) shown this once, whole, selectable, with a copy button. */
export function ShownOnce({ t, label, secret, id, onHide }: { t: Translate; label: string; secret: string; id: string; onHide(): void }) {
  const [copied, setCopied] = useState<Told | null>(null);
  return (
    <section className="card access-secret" aria-labelledby={`${id}-label`}>
      <h2 id={`${id}-label`}>{label}</h2>
      <p className="notice notice-info">{t('access.once')}</p>
      <div className="access-secret-row">
        <input id={id} readOnly value={secret} aria-labelledby={`${id}-label`} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="primary"
          onClick={() =>
            navigator.clipboard.writeText(secret).then(
              () => setCopied({ ok: true, text: t('access.copied') }),
              () => setCopied({ ok: false, text: t('access.copyFailed') }),
            )
          }
        >
          {t('access.copy')}
        </button>
      </div>
      <Outcome told={copied} />
      <button type="button" className="link" onClick={onHide}>
        {t('access.hide')}
      </button>
    </section>
  );
}
