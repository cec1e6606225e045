/**
 * Chinese numerals for the voice menu: groups of four digits (万, 亿, 万亿), one 零 for each run of missing
 * places (一千零五, 一万零二十, 一亿零五), and 十 without 一 only at the very start (十五, but 一百一十五).
 */

export const DIGITS_ZH = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const PLACES = ['', '十', '百', '千'];
const GROUPS = ['', '万', '亿', '万亿'];

/**
 * Digits read one by one (phone numbers, codes, references): 1 is 幺 (yāo), as operators, call centres and
 * the police say it (幺零零八六) so that it cannot be heard as 七; 0 is 零.
 */
export const SPOKEN_DIGITS_ZH = ['零', '幺', '二', '三', '四', '五', '六', '七', '八', '九'];

/** A four-digit group; `leadingZero` when a larger group came before and this one is short of 千. */
function group(n: number, leadingZero: boolean): string {
  let text = '';
  let pendingZero = leadingZero;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(n / 10 ** place) % 10;
    if (!digit) {
      if (text) pendingZero = true;
      continue;
    }
    if (pendingZero) text += '零';
    pendingZero = false;
    text += `${DIGITS_ZH[digit] as string}${PLACES[place] as string}`;
  }
  return text;
}

export interface CardinalZhOptions {
  /**
   * A count before a measure word says 两, not 二: 两分钟, 两个小时, 两千. Off for plain numbers and money, where
   * the hotline keeps the 二 a bank reads out (二元, 二百元), one form for every amount.
   */
  liang?: boolean;
}

/** A whole number in words: 十五, 一百一十五, 一千零五, 一万零二十, 十万, 一亿零五. */
export function cardinalZh(n: number, options: CardinalZhOptions = {}): string {
  if (n < 0) return `负${cardinalZh(-n, options)}`;
  if (n === 0) return '零';
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10000)) groups.push(rest % 10000);
  let text = '';
  let zeroBefore = false;
  for (let index = groups.length - 1; index >= 0; index--) {
    const value = groups[index] as number;
    if (!value) {
      if (text) zeroBefore = true;
      continue;
    }
    text += group(value, Boolean(text) && (zeroBefore || value < 1000)) + (GROUPS[index] as string);
    zeroBefore = false;
  }
  if (text.startsWith('一十')) text = text.slice(1);
  if (options.liang && (text === '二' || /^二[百千万亿]/.test(text))) text = `两${text.slice(1)}`;
  return text;
}

/** A year digit by digit, written with 〇 as calendars do: 二〇二六. */
export function yearZh(year: number): string {
  return [...String(year)].map((d) => (d === '0' ? '〇' : DIGITS_ZH[Number(d)])).join('');
}
