/**
 * The languages simexit speaks to people in (DESIGN: ru, en, zh), with what
 * every channel needs to speak them: the locale dates and money are written
 * in, the name of each language in itself, and two phrases built from data
 * (an instant, a wait). Each channel keeps its own words (site, staff pages,
 * messages, certificates, error catalogue); this is the one list they share.
 * Pure: the site's bundles import it as well as the server.
 */
export const LANGUAGES = ['ru', 'en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** Each language's name in itself, for a language switch. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { ru: 'Русский', en: 'English', zh: '中文' };

/** The Intl locale each language is formatted in (dates, money, numbers). */
export const LOCALE_OF: Readonly<Record<Language, string>> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };

/** An ISO instant as a person reads it: `2 декабря 2026 г. в 20:08 (Москва, стандартное время)`. */
export function readableInstant(iso: string, language: Language, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const text = new Intl.DateTimeFormat(LOCALE_OF[language], { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at);
  const zone = new Intl.DateTimeFormat(LOCALE_OF[language], { timeZone, timeZoneName: 'long' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return language === 'zh' ? `${text}（${zone}）` : `${text} (${zone})`;
}

/**
 * A wait in words, as a person says it after "try again in": "3 minutes",
 * "через 3 минуты", "3分钟". Rounded up to whole seconds, minutes (from a
 * minute) or hours (from two hours), so it never promises less than the wait.
 */
export function waitInWords(seconds: number, language: Language): string {
  const s = Math.max(1, Math.ceil(seconds));
  const [n, unit] = s < 60 ? [s, 'second'] : s < 7200 ? [Math.ceil(s / 60), 'minute'] : [Math.ceil(s / 3600), 'hour'];
  const words = new Intl.NumberFormat(LOCALE_OF[language], { style: 'unit', unit, unitDisplay: 'long' }).format(n);
  // Russian "через" takes the accusative: 1 минута → через 1 минуту, 21 секунда → через 21 секунду.
  return language === 'ru' ? words.replace(/минута$/, 'минуту').replace(/секунда$/, 'секунду') : words;
}
