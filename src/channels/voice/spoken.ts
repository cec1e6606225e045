/**
 * What the voice menu says for a value, in words, so a text-to-speech engine reads it as a person would.
 *
 * Why words and not digits: engines read digits badly and differently. Money is stored in minor units (12345
 * would be "twelve thousand three hundred and forty-five"); "123,45 ₽" loses the kopecks or the case
 * ("до 123 рублей" needs the genitive of every numeral); Russian needs the gender of the noun (одна копейка,
 * две тысячи); a reference such as TRM-7KQ2-9XW4 is read as a word or a number unless spelled letter by
 * letter; a phone number is a count of billions. So every value the hotline speaks goes through here, and the
 * tables in spoken.test.ts say what each language hears.
 *
 * Pure: no I/O and no clock (an instant's calendar day is found with Intl in the time zone given).
 *
 * Choices: groups are separated by ", " in every language (engines pause on a comma, ASCII or not); Chinese
 * digits read one by one say 1 as 幺 (see SPOKEN_DIGITS_ZH); Chinese amounts keep 二 (二元, 二百元) while
 * counts before a measure word say 两 (两分钟); data is spoken in megabytes below 1024 MB and otherwise in
 * gigabytes of 1024 MB to one decimal, rounded down so the caller never hears more than is left, and Chinese
 * says the units as the letters GB and MB, as operators' apps and people do (千兆字节 nobody says).
 */
import type { Language } from '../../domain/languages.ts';
import { DIGITS_EN, MONTHS_EN, cardinalEn, ordinalEn, yearEn } from './numerals-en.ts';
import { MONTHS_GENITIVE_RU, cardinalRu, noun, nounAfter, ordinalRu, pluralFormIndex, type Gender, type GrammaticalCase, type NounRu } from './numerals-ru.ts';
import { DIGITS_ZH, cardinalZh, yearZh } from './numerals-zh.ts';
import { spellLetters } from './codes.ts';

export type { GrammaticalCase } from './numerals-ru.ts';
export { sayDigits, sayPhoneNumber, sayReference, spellLetters } from './codes.ts';

const LIMIT = 1e12;

function assertWhole(n: number): void {
  if (!Number.isSafeInteger(n) || Math.abs(n) >= LIMIT) throw new RangeError(`cannot say ${n}: a whole number below 10^12 is expected`);
}

/** Cardinal number in words: ru "двадцать одна" when gender feminine etc.; en and zh ignore the options. */
export function sayCardinal(n: number, language: Language, options: { gender?: Gender; grammaticalCase?: GrammaticalCase } = {}): string {
  assertWhole(n);
  if (language === 'ru') return cardinalRu(n, options);
  return language === 'en' ? cardinalEn(n) : cardinalZh(n);
}

/** Plural helper for Russian: pluralRu(n, ['рубль','рубля','рублей']). */
export function pluralRu(n: number, forms: readonly [string, string, string]): string {
  return forms[pluralFormIndex(n)];
}

/** A count of something in Russian, numeral and noun agreeing: "двадцать одна копейка", "двух рублей". */
function countRu(n: number, counted: NounRu, grammaticalCase: GrammaticalCase): string {
  return `${cardinalRu(n, { gender: counted.gender, grammaticalCase })} ${nounAfter(n, counted, grammaticalCase)}`;
}

/** A count in English: "one rouble", "zero roubles". */
const countEn = (n: number, [one, many]: readonly [string, string]): string => `${cardinalEn(n)} ${n === 1 ? one : many}`;

interface CurrencyWords {
  ru: [NounRu, NounRu];
  en: [readonly [string, string], readonly [string, string]];
  zh: [string, string];
}

const CURRENCIES: Readonly<Record<string, CurrencyWords>> = {
  RUB: {
    ru: [noun('masculine', 'рубль', 'рубля', 'рублей'), noun('feminine', 'копейка', 'копейки', 'копеек', 'копейку')],
    en: [['rouble', 'roubles'], ['kopeck', 'kopecks']],
    zh: ['卢布', '戈比'],
  },
  EUR: {
    ru: [noun('masculine', 'евро', 'евро', 'евро'), noun('masculine', 'цент', 'цента', 'центов')],
    en: [['euro', 'euros'], ['cent', 'cents']],
    zh: ['欧元', '欧分'],
  },
  USD: {
    ru: [noun('masculine', 'доллар', 'доллара', 'долларов'), noun('masculine', 'цент', 'цента', 'центов')],
    en: [['dollar', 'dollars'], ['cent', 'cents']],
    zh: ['美元', '美分'],
  },
  GBP: {
    ru: [noun('masculine', 'фунт', 'фунта', 'фунтов'), noun('masculine', 'пенс', 'пенса', 'пенсов')],
    en: [['pound', 'pounds'], ['penny', 'pence']],
    zh: ['英镑', '便士'],
  },
  CNY: {
    ru: [noun('masculine', 'юань', 'юаня', 'юаней'), noun('masculine', 'фэнь', 'фэня', 'фэней')],
    en: [['yuan', 'yuan'], ['fen', 'fen']],
    zh: ['元', '分'],
  },
};

/** Yuan in 元, 角 and 分: 一百二十三元四角五分, 一百元零五分, 一百二十三元, 五角. */
function yuanZh(minor: number): string {
  const yuan = Math.floor(minor / 100);
  const jiao = Math.floor(minor / 10) % 10;
  const fen = minor % 10;
  let text = yuan ? `${cardinalZh(yuan)}元` : '';
  if (jiao) text += `${DIGITS_ZH[jiao] as string}角`;
  else if (fen && yuan) text += '零';
  if (fen) text += `${DIGITS_ZH[fen] as string}分`;
  return text || '零元';
}

/**
 * Money in integer minor units (RUB, EUR, USD, GBP, CNY have 100 to the unit). A zero part is left out
 * ("сорок пять копеек"), a zero amount says the major unit ("ноль рублей", "zero roubles", "零元"), a negative
 * one starts with минус / minus / 负. Another currency is read as a decimal of its major unit and its code.
 */
export function sayAmount(minor: number, currency: string, language: Language, options: { grammaticalCase?: GrammaticalCase } = {}): string {
  assertWhole(minor);
  if (minor < 0) return `${{ ru: 'минус ', en: 'minus ', zh: '负' }[language]}${sayAmount(-minor, currency, language, options)}`;
  const words = CURRENCIES[currency.toUpperCase()];
  if (!words) return otherCurrency(minor, currency, language);
  const major = Math.floor(minor / 100);
  const cents = minor % 100;
  if (language === 'zh') {
    if (currency.toUpperCase() === 'CNY') return yuanZh(minor);
    const [majorName, minorName] = words.zh;
    if (!cents) return `${cardinalZh(major)}${majorName}`;
    return `${major ? `${cardinalZh(major)}${majorName}` : ''}${cardinalZh(cents)}${minorName}`;
  }
  const parts: string[] = [];
  const count = (n: number, unitIndex: 0 | 1) =>
    language === 'ru' ? countRu(n, words.ru[unitIndex], options.grammaticalCase ?? 'nominative') : countEn(n, words.en[unitIndex]);
  if (major || !cents) parts.push(count(major, 0));
  if (cents) parts.push(count(cents, 1));
  return parts.join(language === 'en' ? ' and ' : ' ');
}

function otherCurrency(minor: number, currency: string, language: Language): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // Not a currency Intl knows: read it with two decimals, as most have.
  }
  const scale = 10 ** digits;
  const fraction = digits ? String(minor % scale).padStart(digits, '0').replace(/0+$/, '') : '';
  return `${sayDecimal(Math.floor(minor / scale), fraction, language)}, ${spellLetters(currency.toUpperCase(), language)}`;
}

const FRACTIONS_RU = [noun('feminine', 'десятая', 'десятых', 'десятых'), noun('feminine', 'сотая', 'сотых', 'сотых'), noun('feminine', 'тысячная', 'тысячных', 'тысячных')];
const WHOLE_RU = noun('feminine', 'целая', 'целых', 'целых');

/** A decimal from its whole part and its fraction's digits: "two point five", "две целых пять десятых", "二点五". */
function sayDecimal(whole: number, fraction: string, language: Language): string {
  if (!fraction) return sayCardinal(whole, language);
  if (language === 'zh') return `${cardinalZh(whole)}点${[...fraction].map((d) => DIGITS_ZH[Number(d)]).join('')}`;
  if (language === 'en') return `${cardinalEn(whole)} point ${[...fraction].map((d) => DIGITS_EN[Number(d)]).join(' ')}`;
  const denominator = FRACTIONS_RU[fraction.length - 1] ?? (FRACTIONS_RU[2] as NounRu);
  return `${countRu(whole, WHOLE_RU, 'nominative')} ${countRu(Number(fraction.slice(0, 3)), denominator, 'nominative')}`;
}

const MEGABYTE_RU = noun('masculine', 'мегабайт', 'мегабайта', 'мегабайт');
const GIGABYTE_RU = noun('masculine', 'гигабайт', 'гигабайта', 'гигабайт');

/** Data left, given in megabytes: "two point five gigabytes", "два с половиной гигабайта", "二点五GB". */
export function sayData(megabytes: number, language: Language): string {
  const mb = Math.max(0, Math.floor(megabytes));
  if (mb < 1024) {
    if (language === 'ru') return countRu(mb, MEGABYTE_RU, 'nominative');
    return language === 'en' ? countEn(mb, ['megabyte', 'megabytes']) : `${cardinalZh(mb, { liang: true })}MB`;
  }
  const tenths = Math.floor((mb * 10) / 1024 + 1e-9);
  const whole = Math.floor(tenths / 10);
  const tenth = tenths % 10;
  assertWhole(whole);
  if (language === 'zh') return tenth ? `${sayDecimal(whole, String(tenth), 'zh')}GB` : `${cardinalZh(whole, { liang: true })}GB`;
  if (language === 'en') return tenth ? `${sayDecimal(whole, String(tenth), 'en')} gigabytes` : countEn(whole, ['gigabyte', 'gigabytes']);
  if (!tenth) return countRu(whole, GIGABYTE_RU, 'nominative');
  // Полтора, and "с половиной" after a count that takes the plural (два с половиной гигабайта, пять с половиной
  // гигабайт); a half after 21, 31, … would need a singular noun nobody says, so those get the decimal.
  if (tenth === 5 && whole === 1) return 'полтора гигабайта';
  if (tenth === 5 && pluralFormIndex(whole) !== 0) return `${cardinalRu(whole)} с половиной ${nounAfter(whole, GIGABYTE_RU, 'nominative')}`;
  return `${sayDecimal(whole, String(tenth), 'ru')} ${GIGABYTE_RU.genitive}`;
}

const MINUTE_RU = noun('feminine', 'минута', 'минуты', 'минут', 'минуту');
const HOUR_RU = noun('masculine', 'час', 'часа', 'часов');

/**
 * A wait or handle time, rounded to the nearest minute, from an hour to the nearest hour (an hour and a half
 * is said as such): "about three minutes", "около трёх минут", "大约三分钟"; under a minute "less than a minute".
 */
export function sayWait(seconds: number, language: Language): string {
  if (!(seconds >= 60)) return { ru: 'меньше минуты', en: 'less than a minute', zh: '不到一分钟' }[language];
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    if (language === 'ru') return minutes === 1 ? 'около минуты' : `около ${countRu(minutes, MINUTE_RU, 'genitive')}`;
    if (language === 'en') return minutes === 1 ? 'about a minute' : `about ${countEn(minutes, ['minute', 'minutes'])}`;
    return `大约${cardinalZh(minutes, { liang: true })}分钟`;
  }
  const halfHours = Math.round(seconds / 1800);
  const hours = halfHours <= 2 ? 1 : Math.round(seconds / 3600);
  if (halfHours === 3) return { ru: 'около полутора часов', en: 'about an hour and a half', zh: '大约一个半小时' }[language];
  if (language === 'ru') return hours === 1 ? 'около часа' : `около ${countRu(hours, HOUR_RU, 'genitive')}`;
  if (language === 'en') return hours === 1 ? 'about an hour' : `about ${countEn(hours, ['hour', 'hours'])}`;
  return `大约${cardinalZh(hours, { liang: true })}个小时`;
}

/** The calendar day of 'YYYY-MM-DD', or of an ISO instant in `timeZone`. */
function calendarDay(date: string, timeZone: string): { year: number; month: number; day: number } {
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (plain) {
    const [year, month, day] = plain.slice(1).map(Number) as [number, number, number];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return { year, month, day };
  } else {
    const at = new Date(date);
    if (!Number.isNaN(at.getTime()) && /^\d{4}-\d{2}-\d{2}T/.test(date)) {
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at);
      const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
      return { year: part('year'), month: part('month'), day: part('day') };
    }
  }
  throw new RangeError(`not a date: ${date}`);
}

/**
 * A calendar date ('YYYY-MM-DD', or an ISO instant shown in timeZone): ru "первое декабря две тысячи двадцать
 * шестого года", genitive "первого декабря …" (до первого декабря; the accusative, "на первое декабря", is the
 * nominative); en "the first of December, twenty twenty-six"; zh "二〇二六年十二月一日". The year is said unless
 * `withYear` is false.
 */
export function sayDate(date: string, language: Language, timeZone: string, options: { grammaticalCase?: GrammaticalCase; withYear?: boolean } = {}): string {
  const { year, month, day } = calendarDay(date, timeZone);
  const withYear = options.withYear ?? true;
  if (language === 'zh') return `${withYear ? `${yearZh(year)}年` : ''}${cardinalZh(month)}月${cardinalZh(day)}日`;
  if (language === 'en') return `the ${ordinalEn(day)} of ${MONTHS_EN[month - 1] as string}${withYear ? `, ${yearEn(year)}` : ''}`;
  const dayWords = `${ordinalRu(day, options.grammaticalCase ?? 'nominative')} ${MONTHS_GENITIVE_RU[month - 1] as string}`;
  return withYear ? `${dayWords} ${ordinalRu(year, 'genitive')} года` : dayWords;
}
