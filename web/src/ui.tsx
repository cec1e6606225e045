import { type ReactNode, useId, useState } from 'react';
import { ApiError } from './api.ts';
import { useApp } from './app-context.tsx';
import { dictionaries, type MessageKey } from './i18n/index.ts';

/** One of a few choices as radio buttons under a legend; `children` (a field the choice opens) stay inside the same group. */
export function Choices<V extends string>(props: {
  legend: string;
  name: string;
  value: V;
  onChange(value: NoInfer<V>): void;
  options: readonly (readonly [value: NoInfer<V>, label: string])[];
  className?: string;
  children?: ReactNode;
}) {
  return (
    <fieldset className={props.className}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <label className="choice" key={value}>
          <input type="radio" name={props.name} checked={props.value === value} onChange={() => props.onChange(value)} /> {label}
        </label>
      ))}
      {props.children}
    </fieldset>
  );
}

/** A labelled input whose error (from the API, in the user's language) sits right under it. */
export function Field(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: string;
  hint?: string;
  error?: string | null;
  autoComplete?: string;
  inputMode?: 'text' | 'tel' | 'numeric' | 'email';
  required?: boolean;
  name?: string;
}) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
      />
      {props.error && (
        <p className="error" id={`${id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function AntiScam() {
  const { t, site } = useApp();
  return (
    <aside className="anti-scam" aria-labelledby="anti-scam-title">
      <h2 id="anti-scam-title">⚠ {t('antiScam.title')}</h2>
      <p>{t('antiScam.body', { url: site.siteUrl })}</p>
    </aside>
  );
}

export function Notice({ kind, children }: { kind: 'ok' | 'error' | 'info'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/**
 * Runs an action, keeps what the user typed, and sorts the API's error to a field or to the form. A failed
 * check of the input (VALIDATION_FAILED) names the field it is about (`details.field`, e.g. `documentLast4`):
 * the page says which of its fields that is, and the words come from our dictionary, never the validator's.
 */
export function useAction<F extends string>(fieldOf: (code: string, field?: string) => F | 'form' = () => 'form') {
  const { t, language } = useApp();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<F | 'form', string>>>({});
  async function run(work: () => Promise<void>) {
    setBusy(true);
    setErrors({});
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
        const field = typeof e.details.field === 'string' ? e.details.field : undefined;
        const where = fieldOf(e.code, field);
        const rule = typeof e.details.rule === 'string' ? e.details.rule : 'invalid';
        const words = where === 'form' ? t('validation.form') : (VALIDATION_WORDS[rule] ? t(VALIDATION_WORDS[rule]) : t('error.field'));
        setErrors({ [where]: words } as Partial<Record<F | 'form', string>>);
      } else if (e instanceof ApiError) {
        // Our own words where the API's message carries machine text (a reason in English, a typed value).
        const ours = `error.${e.code}`;
        setErrors({ [fieldOf(e.code)]: ours in dictionaries[language] ? t(ours as MessageKey) : e.message } as Partial<Record<F | 'form', string>>);
      }
      else setErrors({ form: t('common.error') } as Partial<Record<F | 'form', string>>);
    } finally {
      setBusy(false);
    }
  }
  return { busy, errors, run };
}

const VALIDATION_WORDS: Record<string, MessageKey> = {
  required: 'validation.required',
  format: 'validation.format',
  tooLong: 'validation.tooLong',
  tooShort: 'validation.tooShort',
  unexpected: 'validation.unexpected',
  invalid: 'validation.invalid',
};

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const { navigate } = useApp();
  return (
    <a
      href={to}
      className={className}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
