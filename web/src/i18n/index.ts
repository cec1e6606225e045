import { en, type MessageKey } from './en.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

export type Language = 'ru' | 'en' | 'zh';
export const LANGUAGES: readonly { code: Language; label: string }[] = [
  { code: 'ru', label: 'Русский' },
  { code: 'en', label: 'English' },
  { code: 'zh', label: '中文' },
];
export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, ru, zh };
export type { MessageKey };

/** The browser's first choice among ours; a choice made on the site wins. */
export function initialLanguage(saved: string | null, browser: readonly string[]): Language {
  if (saved === 'ru' || saved === 'en' || saved === 'zh') return saved;
  for (const tag of browser) {
    const base = tag.slice(0, 2).toLowerCase();
    if (base === 'ru' || base === 'en' || base === 'zh') return base;
  }
  return 'en';
}

export function translate(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const LOCALE: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };

export function formatMoney(language: Language, minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(LOCALE[language], { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(minor / 10 ** digits);
}

export function formatDateTime(language: Language, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatDate(language: Language, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'long', timeZone }).format(new Date(iso));
}

export function formatData(language: Language, mb: number): string {
  const number = new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: 1 });
  return mb >= 1024 ? translate(language, 'data.gb', { n: number.format(mb / 1024) }) : translate(language, 'data.mb', { n: number.format(mb) });
}
