import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError } from './errors.ts';

/**
 * Turns what people type (`8 999 123-45-67`, `+7 (999) 1234567`, `79991234567`)
 * into E.164, reading national formats in the operator's country. Refuses
 * anything that is not a possible mobile or fixed number.
 */
export function normalizeMsisdn(input: string, country: string): string {
  const text = input.trim();
  const parsed =
    parsePhoneNumberFromString(text, country as CountryCode) ??
    (/^\d{11,15}$/.test(text) ? parsePhoneNumberFromString(`+${text}`) : undefined);
  if (!parsed || !parsed.isPossible()) throw new AppError('INVALID_MSISDN', { input: text });
  return parsed.number;
}

/** `+7 *** *** 45 67`: enough for the holder to recognise, not enough to call. */
export function maskMsisdn(msisdn: string): string {
  return msisdn.length <= 6 ? '***' : `${msisdn.slice(0, 2)}${'*'.repeat(msisdn.length - 6)}${msisdn.slice(-4)}`;
}
