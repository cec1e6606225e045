import { AppError } from './errors.ts';

/** Money is an integer count of the currency's minor units (kopecks, cents, fen). */
export type Minor = number;

export function assertMinor(value: number, input = String(value)): Minor {
  if (!Number.isSafeInteger(value)) throw new AppError('INVALID_AMOUNT', { input });
  return value;
}

/** Splits `amount × numerator / denominator` rounding half up, in integers only. */
export function prorate(amount: Minor, numerator: number, denominator: number): Minor {
  if (denominator <= 0) return 0;
  const n = Math.max(0, Math.min(numerator, denominator));
  return Math.floor((amount * n + Math.floor(denominator / 2)) / denominator);
}

// Kept per currency and locale: making an Intl.NumberFormat costs far more than formatting with one (every message
// and certificate formats several amounts).
const digitsOf = new Map<string, number>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function minorDigits(currency: string): number {
  let digits = digitsOf.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsOf.set(currency, digits);
  }
  return digits;
}

export function formatMoney(amount: Minor, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  const key = `${locale} ${currency}`;
  let format = moneyFormats.get(key);
  if (!format) moneyFormats.set(key, (format = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  return format.format(amount / 10 ** digits);
}
