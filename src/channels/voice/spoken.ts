/**
 * Placeholder for the spoken forms of numbers, amounts and dates (the "speech" branch replaces this file):
 * digits as numerals, so the hotline can be built and tested before the real wording lands.
 */
import type { Language } from '../../domain/languages.ts';

export type GrammaticalCase = 'nominative' | 'genitive' | 'accusative' | 'dative' | 'instrumental' | 'prepositional';

export const pluralRu = (n: number, one: string, few: string, many: string): string => {
  const t = Math.abs(n) % 100;
  const u = t % 10;
  if (t >= 11 && t <= 14) return many;
  if (u === 1) return one;
  if (u >= 2 && u <= 4) return few;
  return many;
};

export const sayCardinal = (n: number, _language: Language): string => String(n);

export const sayAmount = (minor: number, currency: string, _language: Language, _options: { grammaticalCase?: GrammaticalCase } = {}): string =>
  `${(minor / 100).toFixed(2)} ${currency}`;

export const sayDate = (date: string, _language: Language, timeZone: string, options: { grammaticalCase?: GrammaticalCase; withYear?: boolean } = {}): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: options.withYear === false ? undefined : 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(date));

export const sayReference = (reference: string, _language: Language): string => reference.split('').join(' ');

export const sayPhoneNumber = (msisdn: string, _language: Language): string => msisdn.split('').join(' ');

export const sayDigits = (digits: string, _language: Language): string => digits.split('').join(' ');

export const sayWait = (seconds: number, _language: Language): string => `${Math.ceil(seconds)} s`;

export const sayData = (megabytes: number, _language: Language): string => `${megabytes} MB`;
