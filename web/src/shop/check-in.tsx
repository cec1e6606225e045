/**
 * The kiosk's check-in for a remote ticket (site or SMS): the holder taps the ticket's letter, types its digits and
 * the last four digits of their phone on the numeric keypad; the server finds today's ticket and puts it in the
 * queue. What is refused is said in the kiosk's words, never as a code.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { Language } from '../../../src/domain/languages.ts';
import { type IssuedTicket, newKey, postJson, SHOP_PATHS, ShopApiError } from './shop-api.ts';
import { shopText } from './texts.ts';

/** A form left alone this long goes back to the start, so the next person does not find someone's digits on it. */
export const IDLE_SECONDS = 60;

const onlyDigits = (value: string, max: number) => value.replace(/\D/g, '').slice(0, max);

function refusal(language: Language, e: unknown, number: string): string {
  if (e instanceof ShopApiError && e.code === 'TICKET_CHECK_IN_REFUSED') return shopText(language, 'checkIn.refused');
  if (e instanceof ShopApiError && e.code === 'TICKET_ALREADY_CALLED') return shopText(language, 'checkIn.called', { number });
  return shopText(language, 'checkIn.failed', { message: e instanceof Error ? e.message : String(e) });
}

export function CheckIn({ shopId, language, letters, onCheckedIn, onBack }: { shopId: string; language: Language; letters: readonly string[]; onCheckedIn(ticket: IssuedTicket): void; onBack(): void }) {
  const [letter, setLetter] = useState(letters.length === 1 ? (letters[0] ?? '') : '');
  const [digits, setDigits] = useState('');
  const [phoneLast4, setPhoneLast4] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const number = `${letter}-${digits.padStart(3, '0')}`;
  const complete = letter !== '' && digits.length > 0 && Number(digits) > 0 && phoneLast4.length === 4;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!complete || busy) return;
    setBusy(true);
    setFailure(null);
    postJson<IssuedTicket>(SHOP_PATHS.checkIn(shopId), { number, phoneLast4 }, language, newKey())
      .then(onCheckedIn, (e: unknown) => setFailure(refusal(language, e, number)))
      .finally(() => setBusy(false));
  };
  useEffect(() => {
    const timer = setTimeout(onBack, IDLE_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [letter, digits, phoneLast4, failure, busy, onBack]);
  const t = (key: Parameters<typeof shopText>[1]) => shopText(language, key);
  const digitsId = useId();
  const phoneId = useId();
  return (
    <form className="check-in" onSubmit={submit} aria-label={t('checkIn.title')} noValidate>
      <p className="check-in-intro">{t('checkIn.intro')}</p>
      <fieldset className="check-in-letters">
        <legend>{t('checkIn.letter')}</legend>
        {letters.map((l) => (
          <label key={l} className={`letter-choice${letter === l ? ' chosen' : ''}`}>
            <input type="radio" name="letter" value={l} checked={letter === l} onChange={() => setLetter(l)} />
            <span>{l}</span>
          </label>
        ))}
      </fieldset>
      <div className="check-in-field">
        <label htmlFor={digitsId}>{t('checkIn.digits')}</label>
        {/* The letter chosen above stands before the digits, so the holder sees the number as the SMS writes it. */}
        <div className="check-in-number">
          <span className="check-in-prefix" aria-hidden="true">
            {letter || '?'}-
          </span>
          <input id={digitsId} inputMode="numeric" pattern="[0-9]*" autoComplete="off" maxLength={3} placeholder="042" value={digits} onChange={(e) => setDigits(onlyDigits(e.target.value, 3))} />
        </div>
      </div>
      <div className="check-in-field">
        <label htmlFor={phoneId}>{t('checkIn.phone')}</label>
        <div className="check-in-number">
          <span className="check-in-prefix muted" aria-hidden="true">
            …
          </span>
          <input id={phoneId} inputMode="numeric" pattern="[0-9]*" autoComplete="off" maxLength={4} placeholder="1234" value={phoneLast4} onChange={(e) => setPhoneLast4(onlyDigits(e.target.value, 4))} />
        </div>
      </div>
      {failure && (
        <p className="kiosk-failure" role="alert">
          {failure}
        </p>
      )}
      <button type="submit" className="kiosk-button" disabled={!complete || busy}>
        {t('checkIn.submit')}
      </button>
      <button type="button" className="kiosk-button secondary kiosk-back" onClick={onBack}>
        {t('kiosk.back')}
      </button>
    </form>
  );
}
