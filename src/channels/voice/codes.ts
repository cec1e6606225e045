/**
 * Strings of characters a caller has to take down or type: references, phone numbers, keypad codes. They are
 * read in groups with a pause (", ") between, letters one by one and digits one by one, except that Russian
 * reads the groups of a phone number as numbers, as Russians dictate them.
 */
import type { Language } from '../../domain/languages.ts';
import { DIGITS_EN } from './numerals-en.ts';
import { DIGITS_RU, cardinalRu } from './numerals-ru.ts';
import { SPOKEN_DIGITS_ZH } from './numerals-zh.ts';

const PAUSE = ', ';

/** Latin letters as Russians name them (школьная латиница): тэ, эр, эм. */
const LETTERS_RU: Readonly<Record<string, string>> = {
  A: 'а', B: 'бэ', C: 'цэ', D: 'дэ', E: 'е', F: 'эф', G: 'гэ', H: 'аш', I: 'и', J: 'жи', K: 'ка', L: 'эль', M: 'эм',
  N: 'эн', O: 'о', P: 'пэ', Q: 'ку', R: 'эр', S: 'эс', T: 'тэ', U: 'у', V: 'вэ', W: 'дубль-вэ', X: 'икс', Y: 'игрек', Z: 'зэт',
};

/** English and Chinese voices name a capital Latin letter standing alone; Russian ones need the name. */
const letter = (c: string, language: Language): string => (language === 'ru' ? (LETTERS_RU[c] ?? c) : c);

function digitsOf(digits: string, language: Language): string {
  if (language === 'zh') return [...digits].map((d) => SPOKEN_DIGITS_ZH[Number(d)]).join('');
  return [...digits].map((d) => (language === 'ru' ? DIGITS_RU : DIGITS_EN)[Number(d)]).join(' ');
}

/** Letters one by one with a pause: "G, B, P", "гэ, бэ, пэ". */
export function spellLetters(text: string, language: Language): string {
  return [...text.toUpperCase()].filter((c) => /[A-Z]/.test(c)).map((c) => letter(c, language)).join(PAUSE);
}

/**
 * A reference letter by letter and digit by digit, a pause between its groups (at the hyphens) and around each
 * letter; a run of digits is said in one breath. TRM-7KQ2-9XW4 (src/domain/reference.ts): en "T, R, M, seven,
 * K, Q, two, nine, X, W, four"; ru "тэ, эр, эм, семь, ка, ку, два, …"; zh "T, R, M, 七, K, Q, 二, …". Any other
 * mix of letters, digits and separators is read the same way (TRM-2026-000123: "…, two zero two six, zero zero
 * zero one two three").
 */
export function sayReference(reference: string, language: Language): string {
  const spoken: string[] = [];
  for (const group of reference.toUpperCase().split(/[^0-9A-Z]+/)) {
    for (const token of group.match(/[0-9]+|[A-Z]/g) ?? []) spoken.push(/[0-9]/.test(token) ? digitsOf(token, language) : letter(token, language));
  }
  return spoken.join(PAUSE);
}

const KEYS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  ru: { '*': 'звёздочка', '#': 'решётка' },
  en: { '*': 'star', '#': 'hash' },
  zh: { '*': '星号', '#': '井号' },
};

/** A short code typed on a keypad, key by key: "один, два, три, четыре"; * and # by name; other characters are skipped. */
export function sayDigits(digits: string, language: Language): string {
  return [...digits]
    .map((c) => (/[0-9]/.test(c) ? digitsOf(c, language) : KEYS[language][c]))
    .filter((word): word is string => word !== undefined)
    .join(PAUSE);
}

/** ITU country codes of one and two digits; every other code has three. */
const SHORT_COUNTRY_CODES = new Set(
  '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);

/** Lengths of groups of threes with twos at the end, as numbers are dictated: 10 → 3 3 2 2, 8 → 3 3 2, 4 → 2 2. */
function groupLengths(length: number): number[] {
  if (length <= 3) return length ? [length] : [];
  if (length === 4) return [2, 2];
  const tail = length % 3 === 0 ? [3] : length % 3 === 1 ? [2, 2] : [2];
  const head = length - tail.reduce((a, b) => a + b, 0);
  return [...Array<number>(head / 3).fill(3), ...tail];
}

function split(digits: string, lengths: number[]): string[] {
  const groups: string[] = [];
  let at = 0;
  for (const length of lengths) groups.push(digits.slice(at, (at += length)));
  return groups;
}

/** How a country's numbers are grouped when read: North America 3 3 4, Chinese mobiles 3 4 4, British 4 3 3. */
function nationalGroups(countryCode: string, national: string): string[] {
  if (countryCode === '1' && national.length === 10) return split(national, [3, 3, 4]);
  if (countryCode === '86' && national.length === 11) return split(national, [3, 4, 4]);
  if (countryCode === '44' && national.length === 10) return split(national, [4, 3, 3]);
  return split(national, groupLengths(national.length));
}

/** A group of a phone number in Russian: as a number, its leading zeros one by one ("ноль сорок пять"). */
function groupRu(group: string): string {
  const zeros = /^0*/.exec(group)?.[0].length ?? 0;
  const rest = group.slice(zeros);
  // A group longer than three digits is dictated in twos and threes.
  if (rest.length > 3) return split(rest, groupLengths(rest.length)).map(groupRu).join(' ');
  return [...Array<string>(zeros).fill('ноль'), ...(rest ? [cardinalRu(Number(rest))] : [])].join(' ');
}

/**
 * A phone number (E.164 such as +79161234567, or national digits) in the groups people read it in: ru "плюс
 * семь, девятьсот шестнадцать, сто двадцать три, сорок пять, шестьдесят семь"; en "plus seven, nine one six,
 * one two three, four five, six seven"; zh "加七, 九幺六, 幺二三, 四五, 六七" (1 as 幺, see SPOKEN_DIGITS_ZH).
 */
export function sayPhoneNumber(e164: string, language: Language): string {
  const international = e164.trim().startsWith('+');
  const digits = e164.replace(/[^0-9]/g, '');
  let groups: string[];
  if (international) {
    const ccLength = SHORT_COUNTRY_CODES.has(digits.slice(0, 1)) ? 1 : SHORT_COUNTRY_CODES.has(digits.slice(0, 2)) ? 2 : 3;
    groups = [digits.slice(0, ccLength), ...nationalGroups(digits.slice(0, ccLength), digits.slice(ccLength))];
  } else if (digits.length === 11 && /^[78]/.test(digits)) {
    groups = [digits.slice(0, 1), ...nationalGroups('7', digits.slice(1))];
  } else {
    groups = split(digits, groupLengths(digits.length));
  }
  const spoken = groups.filter(Boolean).map((group) => (language === 'ru' ? groupRu(group) : digitsOf(group, language)));
  if (international && spoken.length) spoken[0] = `${{ ru: 'плюс ', en: 'plus ', zh: '加' }[language]}${spoken[0] as string}`;
  return spoken.join(PAUSE);
}
