/**
 * Russian numerals for the voice menu: cardinals with gender and case, the noun form a count takes, and the
 * ordinals dates need. Written out with ё (трёх, четвёртое) so a speech engine does not read "е".
 */
export type GrammaticalCase = 'nominative' | 'genitive' | 'accusative';
export type Gender = 'masculine' | 'feminine' | 'neuter';

/** How a counted noun is said: its gender, and the forms a numeral can ask for. */
export interface NounRu {
  readonly gender: Gender;
  readonly nominative: string;
  readonly accusative: string;
  readonly genitive: string;
  readonly genitivePlural: string;
}

export const noun = (gender: Gender, nominative: string, genitive: string, genitivePlural: string, accusative = nominative): NounRu => ({
  gender,
  nominative,
  accusative,
  genitive,
  genitivePlural,
});

const THOUSAND = noun('feminine', 'тысяча', 'тысячи', 'тысяч', 'тысячу');
const MILLION = noun('masculine', 'миллион', 'миллиона', 'миллионов');
const BILLION = noun('masculine', 'миллиард', 'миллиарда', 'миллиардов');

const UNITS_NOMINATIVE = ['ноль', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const UNITS_GENITIVE = ['нуля', 'одного', 'двух', 'трёх', 'четырёх', 'пяти', 'шести', 'семи', 'восьми', 'девяти'];
const TEENS_NOMINATIVE = ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
const TENS_NOMINATIVE = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const TENS_GENITIVE = ['', '', 'двадцати', 'тридцати', 'сорока', 'пятидесяти', 'шестидесяти', 'семидесяти', 'восьмидесяти', 'девяноста'];
const HUNDREDS_NOMINATIVE = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];
const HUNDREDS_GENITIVE = ['', 'ста', 'двухсот', 'трёхсот', 'четырёхсот', 'пятисот', 'шестисот', 'семисот', 'восьмисот', 'девятисот'];

/** The digit names a keypad or a reference is read with: "ноль", "один", … */
export const DIGITS_RU = UNITS_NOMINATIVE;

function unit(digit: number, gender: Gender, grammaticalCase: GrammaticalCase): string {
  if (grammaticalCase === 'genitive') return digit === 1 && gender === 'feminine' ? 'одной' : (UNITS_GENITIVE[digit] as string);
  if (digit === 1) return gender === 'masculine' ? 'один' : gender === 'neuter' ? 'одно' : grammaticalCase === 'accusative' ? 'одну' : 'одна';
  if (digit === 2 && gender === 'feminine') return 'две';
  return UNITS_NOMINATIVE[digit] as string;
}

/** 1–999 in words; the accusative of an inanimate count is its nominative, but for одну. */
function belowThousand(n: number, gender: Gender, grammaticalCase: GrammaticalCase): string[] {
  const genitive = grammaticalCase === 'genitive';
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds) words.push((genitive ? HUNDREDS_GENITIVE : HUNDREDS_NOMINATIVE)[hundreds] as string);
  if (rest >= 10 && rest < 20) {
    const teen = TEENS_NOMINATIVE[rest - 10] as string;
    // The genitive of every -надцать and of десять ends in -и: одиннадцати, десяти.
    words.push(genitive ? `${teen.slice(0, -1)}и` : teen);
  } else {
    const tens = Math.floor(rest / 10);
    if (tens) words.push((genitive ? TENS_GENITIVE : TENS_NOMINATIVE)[tens] as string);
    if (rest % 10) words.push(unit(rest % 10, gender, grammaticalCase));
  }
  return words;
}

/** Which of the three forms of a noun a count takes: 1, 21 → one; 2–4, 22 → few; 0, 5–20, 111 → many. */
export function pluralFormIndex(n: number): 0 | 1 | 2 {
  const lastTwo = Math.abs(n) % 100;
  const last = lastTwo % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return 2;
  if (last === 1) return 0;
  if (last >= 2 && last <= 4) return 1;
  return 2;
}

/** The form of `counted` after the numeral `n` in a case: два рубля, двух рублей, одну копейку. */
export function nounAfter(n: number, counted: NounRu, grammaticalCase: GrammaticalCase): string {
  const form = pluralFormIndex(n);
  if (grammaticalCase === 'genitive') return form === 0 ? counted.genitive : counted.genitivePlural;
  if (form === 0) return grammaticalCase === 'accusative' ? counted.accusative : counted.nominative;
  return form === 1 ? counted.genitive : counted.genitivePlural;
}

export interface CardinalRuOptions {
  gender?: Gender;
  grammaticalCase?: GrammaticalCase;
  /** Years say "тысяча девятьсот", amounts "одна тысяча": the hotline reads money the way a bank does. */
  bareThousand?: boolean;
}

/** A whole number in words, agreeing with a noun of `gender` in `grammaticalCase`. */
export function cardinalRu(n: number, options: CardinalRuOptions = {}): string {
  const gender = options.gender ?? 'masculine';
  const grammaticalCase = options.grammaticalCase ?? 'nominative';
  if (n < 0) return `минус ${cardinalRu(-n, options)}`;
  if (n === 0) return grammaticalCase === 'genitive' ? 'нуля' : 'ноль';
  const words: string[] = [];
  const scales: [number, NounRu][] = [
    [1e9, BILLION],
    [1e6, MILLION],
    [1e3, THOUSAND],
  ];
  let rest = n;
  for (const [size, scale] of scales) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (!count) continue;
    if (!(count === 1 && scale === THOUSAND && options.bareThousand)) words.push(...belowThousand(count, scale.gender, grammaticalCase));
    words.push(nounAfter(count, scale, grammaticalCase));
  }
  if (rest) words.push(...belowThousand(rest, gender, grammaticalCase));
  return words.join(' ');
}

/** Ordinal stems by value; третий is soft and handled apart. */
const ORDINAL_STEMS: Record<number, string> = {
  1: 'перв', 2: 'втор', 4: 'четвёрт', 5: 'пят', 6: 'шест', 7: 'седьм', 8: 'восьм', 9: 'девят',
  10: 'десят', 11: 'одиннадцат', 12: 'двенадцат', 13: 'тринадцат', 14: 'четырнадцат', 15: 'пятнадцат',
  16: 'шестнадцат', 17: 'семнадцат', 18: 'восемнадцат', 19: 'девятнадцат',
  20: 'двадцат', 30: 'тридцат', 40: 'сороков', 50: 'пятидесят', 60: 'шестидесят', 70: 'семидесят', 80: 'восьмидесят', 90: 'девяност',
  100: 'сот', 200: 'двухсот', 300: 'трёхсот', 400: 'четырёхсот', 500: 'пятисот', 600: 'шестисот', 700: 'семисот', 800: 'восьмисот', 900: 'девятисот',
};

function ordinalWord(value: number, grammaticalCase: GrammaticalCase): string {
  const genitive = grammaticalCase === 'genitive';
  if (value === 3) return genitive ? 'третьего' : 'третье';
  return `${ORDINAL_STEMS[value] as string}${genitive ? 'ого' : 'ое'}`;
}

/**
 * A neuter ordinal (the day of a date: первое, двадцать первого) or, in the genitive, the masculine one years
 * take (две тысячи двадцать шестого года): only the last word is an ordinal. Whole thousands fuse
 * (двухтысячного): enough for the years of a calendar, 1 to 9999.
 */
export function ordinalRu(n: number, grammaticalCase: GrammaticalCase): string {
  const ending = grammaticalCase === 'genitive' ? 'ого' : 'ое';
  if (n % 1000 === 0) {
    const thousands = n / 1000;
    const multiplier = thousands === 1 ? '' : cardinalRu(thousands, { grammaticalCase: 'genitive' }).replace(/ /g, '');
    return `${multiplier}тысячн${ending}`;
  }
  const lastTwo = n % 100;
  let last: number;
  if (lastTwo === 0) last = n % 1000;
  else if (lastTwo < 20 || lastTwo % 10 === 0) last = lastTwo;
  else last = lastTwo % 10;
  const head = n - last;
  const word = ordinalWord(last, grammaticalCase);
  return head ? `${cardinalRu(head, { bareThousand: true })} ${word}` : word;
}

/** Months in the genitive, as a date says them: первое декабря. */
export const MONTHS_GENITIVE_RU = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
