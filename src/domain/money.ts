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

export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amount: Minor, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
}
