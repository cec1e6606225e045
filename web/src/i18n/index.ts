import { en, type MessageKey } from './en.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

import { isLanguage, LANGUAGE_NAMES, LANGUAGES as CODES, type Language, LOCALE_OF } from '../../../src/domain/languages.ts';

export type { Language };
export const LANGUAGES: readonly { code: Language; label: string }[] = CODES.map((code) => ({ code, label: LANGUAGE_NAMES[code] }));
export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, ru, zh };
export type { MessageKey };

/** The browser's first choice among ours; a choice made on the site wins. */
export function initialLanguage(saved: string | null, browser: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const tag of browser) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function translate(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const LOCALE = LOCALE_OF;

export function formatMoney(language: Language, minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(LOCALE[language], { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(minor / 10 ** digits);
}

/**
 * An instant as a person reads it: day and time in the operator's zone, with the zone named in the reader's
 * language (`2 December 2026 at 20:08 (Moscow Standard Time)`), never a UTC ISO string.
 */
export function formatDateTime(language: Language, iso: string, timeZone: string): string {
  const at = new Date(iso);
  const text = new Intl.DateTimeFormat(LOCALE[language], { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at);
  return `${text}${zoneSuffix(language, at, timeZone)}`;
}

/** The operator-local calendar day of an instant, with the zone named. */
export function formatDate(language: Language, iso: string, timeZone: string): string {
  const at = new Date(iso);
  return `${new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'long', timeZone }).format(at)}${zoneSuffix(language, at, timeZone)}`;
}

/** A weekday, day and time in a given zone (a shop's own), with the zone named: `Monday, 23 November at 09:00 (Moscow…)`. */
export function formatWeekdayTime(language: Language, iso: string, timeZone: string): string {
  const at = new Date(iso);
  const text = new Intl.DateTimeFormat(LOCALE[language], { weekday: 'long', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at);
  return `${text}${zoneSuffix(language, at, timeZone)}`;
}

function zoneSuffix(language: Language, at: Date, timeZone: string): string {
  const name = new Intl.DateTimeFormat(LOCALE[language], { timeZone, timeZoneName: 'long' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return language === 'zh' ? `（${name}）` : ` (${name})`;
}

/** The text for a key built from data (an event, a step): a fallback's text when we have no words for it yet. */
export function translateOr(language: Language, key: string, fallback: MessageKey, values: Record<string, string | number> = {}): string {
  return key in dictionaries[language] ? translate(language, key as MessageKey, values) : translate(language, fallback, values);
}

export function formatData(language: Language, mb: number): string {
  const number = new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: 1 });
  return mb >= 1024 ? translate(language, 'data.gb', { n: number.format(mb / 1024) }) : translate(language, 'data.mb', { n: number.format(mb) });
}
