/** How the staff pages write times, waits, money, data and counts: in the reader's language and the operator's zone. */
import { LOCALE_OF, type Language, waitInWords } from '../../../src/domain/languages.ts';
import type { StaffKey } from './texts.ts';

export type Translate = (key: StaffKey, values?: Record<string, string>) => string;

export interface Formats {
  readonly language: Language;
  /** Day and time: `3 Dec 2026, 10:15`. */
  dateTime(iso: string): string;
  /** A day in words: `3 December 2026`. */
  date(iso: string): string;
  /** A day in short, for a chart's axis: `3 Dec`. */
  day(iso: string): string;
  /** The time of day: `10:15`. */
  time(iso: string): string;
  /** The time of day with seconds, for "updated at". */
  clock(iso: string): string;
  /** A wait in words: `3 minutes`. */
  wait(seconds: number): string;
  money(minor: number, currency: string): string;
  data(megabytes: number): string;
  count(n: number): string;
  /** Items as a sentence lists them: `a, b and c`, `a、b和c`. */
  list(items: readonly string[]): string;
  /** A phone number grouped as people write it (`+7 999 000-00-01`); other countries' numbers as they are. */
  phone(msisdn: string): string;
}

export function formatsFor(language: Language, timeZone: string): Formats {
  const locale = LOCALE_OF[language];
  const at = (options: Intl.DateTimeFormatOptions) => (iso: string) => new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(iso));
  return {
    language,
    dateTime: at({ dateStyle: 'medium', timeStyle: 'short' }),
    date: at({ dateStyle: 'long' }),
    day: at({ day: 'numeric', month: 'short' }),
    time: at({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    clock: at({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    wait: (seconds) => waitInWords(seconds, language),
    money: (minor, currency) => {
      const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
      return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(minor / 10 ** digits);
    },
    data: (mb) => (mb >= 1024 ? new Intl.NumberFormat(locale, { style: 'unit', unit: 'gigabyte', maximumFractionDigits: 1 }).format(mb / 1024) : new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte' }).format(mb)),
    count: (n) => new Intl.NumberFormat(locale).format(n),
    list: (items) => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items),
    phone: (msisdn) => msisdn.replace(/^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/, '+7 $1 $2-$3-$4'),
  };
}
