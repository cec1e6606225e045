/**
 * How values look in a message: dates in the operator's time zone, money with
 * the currency's own digits, numbers grouped, all in the customer's language.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type Language, LOCALE_OF } from '../domain/languages.ts';
import { formatMoney } from '../domain/money.ts';
import type { Policy } from '../domain/policy.ts';


export interface Formatter {
  readonly language: Language;
  /** The operator's time zone, in which times are shown. */
  readonly timeZone: string;
  /** Day, time and zone offset, e.g. `23 ноября 2026 г. в 00:30 GMT+3`. */
  dateTime(instant: string): string;
  /** The operator-local calendar day. */
  day(instant: string): string;
  /** Hours and minutes with the zone offset, e.g. `14:35 GMT+3`. */
  time(instant: string): string;
  money(minor: number, currency: string): string;
  /**
   * Data given in megabytes: `850 MB` below 1024 MB, else gigabytes of 1024 MB
   * to one decimal (`2.5 GB`, `2,5 ГБ`), rounded down so it never says more is left than there is.
   */
  data(megabytes: number): string;
  /** `+7 999 123 45 67` from E.164; anything else as given. */
  phone(msisdn: string): string;
  /** A masked number (`+7******4567`) grouped as `+7 *** *** 45 67`. */
  masked(masked: string): string;
  /** An absolute address on the operator's site. */
  link(path: string): string;
  readonly operatorName: string;
  readonly shortNumber: string;
  readonly siteUrl: string;
}

// One per language and operator settings: making the Intl formatters costs more than rendering a message with them.
const formatters = new Map<string, Formatter>();
// The last operator settings asked for, by identity: a bulk run renders hundreds of thousands of messages with one policy.
let lastOperator: Policy['operator'] | undefined;
let lastByLanguage = new Map<Language, Formatter>();

export function formatterFor(language: Language, policy: Policy): Formatter {
  const { operator } = policy;
  if (operator !== lastOperator) {
    lastOperator = operator;
    lastByLanguage = new Map();
  }
  let formatter = lastByLanguage.get(language);
  if (formatter && sameSettings(formatter, operator)) return formatter;
  const { timezone, siteUrl, name, shortNumber } = operator;
  const key = JSON.stringify([language, timezone, siteUrl, name, shortNumber]);
  formatter = formatters.get(key);
  if (!formatter) {
    // Policies are few (one per process, a few in tests): the map stays small.
    formatter = makeFormatter(language, policy);
    formatters.set(key, formatter);
  }
  lastByLanguage.set(language, formatter);
  return formatter;
}

/** Whether a formatter was made for these settings (a policy object may be changed in place, in tests). */
const sameSettings = (f: Formatter, operator: Policy['operator']) =>
  f.timeZone === operator.timezone && f.operatorName === operator.name && f.shortNumber === operator.shortNumber && f.siteUrl === operator.siteUrl.replace(/\/+$/, '');

/**
 * An Intl date format kept per minute of the instant: what a message shows
 * has minutes at the finest (and zone offsets are whole minutes), and the
 * messages of a run name the same few minutes over and over.
 */
function perMinute(format: Intl.DateTimeFormat): (instant: string) => string {
  const seen = new Map<number, string>();
  return (instant) => {
    const ms = Date.parse(instant);
    // Not a time: formatted as before, which throws.
    if (Number.isNaN(ms)) return format.format(new Date(instant));
    const minute = Math.floor(ms / 60_000);
    let text = seen.get(minute);
    if (text === undefined) {
      text = format.format(new Date(ms));
      if (seen.size >= 10_000) seen.clear();
      seen.set(minute, text);
    }
    return text;
  };
}

function makeFormatter(language: Language, policy: Policy): Formatter {
  const locale = LOCALE_OF[language];
  const timeZone = policy.operator.timezone;
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const dayFormat = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' });
  const timeFormat = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  const megabytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 0, roundingMode: 'floor' });
  const gigabytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'gigabyte', maximumFractionDigits: 1, roundingMode: 'floor' });
  const siteUrl = policy.operator.siteUrl.replace(/\/+$/, '');
  return {
    language,
    timeZone,
    dateTime: perMinute(dateTimeFormat),
    day: perMinute(dayFormat),
    time: perMinute(timeFormat),
    money: (minor, currency) => formatMoney(minor, currency, locale),
    data: (mb) => (mb >= 1024 ? gigabytes.format(mb / 1024) : megabytes.format(Math.max(0, mb))),
    phone: groupedPhone,
    masked: groupMasked,
    link: (path) => `${siteUrl}${path.startsWith('/') ? path : `/${path}`}`,
    operatorName: policy.operator.name,
    shortNumber: policy.operator.shortNumber,
    siteUrl,
  };
}

// A message names its number several times (subject, text, HTML): parsed once, kept for a while.
const phones = new Map<string, string>();
function groupedPhone(msisdn: string): string {
  let grouped = phones.get(msisdn);
  if (grouped === undefined) {
    grouped = parsePhoneNumberFromString(msisdn)?.formatInternational() ?? msisdn;
    if (phones.size >= 10_000) phones.clear();
    phones.set(msisdn, grouped);
  }
  return grouped;
}

function groupMasked(masked: string): string {
  const m = /^(\+\d{1,3})(\*+)(\d{2})(\d{2})$/.exec(masked);
  if (!m) return masked;
  const [, prefix, stars, a, b] = m as unknown as [string, string, string, string, string];
  const groups = stars.match(/\*{1,3}/g) ?? [];
  return [prefix, ...groups, a, b].join(' ');
}
