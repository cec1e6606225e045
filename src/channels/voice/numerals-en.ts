/** English numerals for the voice menu, British style: "one hundred and five", hyphens in 21–99. */

export const DIGITS_EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function belowHundred(n: number): string {
  if (n < 10) return DIGITS_EN[n] as string;
  if (n < 20) return TEENS[n - 10] as string;
  const tens = TENS[Math.floor(n / 10)] as string;
  return n % 10 ? `${tens}-${DIGITS_EN[n % 10] as string}` : tens;
}

function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (!hundreds) return belowHundred(rest);
  const head = `${DIGITS_EN[hundreds] as string} hundred`;
  return rest ? `${head} and ${belowHundred(rest)}` : head;
}

/** A whole number in words: 1001 "one thousand and one", 1234 "one thousand two hundred and thirty-four". */
export function cardinalEn(n: number): string {
  if (n < 0) return `minus ${cardinalEn(-n)}`;
  if (n === 0) return 'zero';
  const words: string[] = [];
  let rest = n;
  for (const [size, name] of [
    [1e9, 'billion'],
    [1e6, 'million'],
    [1e3, 'thousand'],
  ] as const) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (count) words.push(`${belowThousand(count)} ${name}`);
  }
  // The British "and" also joins a last part under a hundred to the larger ones: "one million and five".
  if (rest) words.push(words.length && rest < 100 ? `and ${belowHundred(rest)}` : belowThousand(rest));
  return words.join(' ');
}

const ORDINAL_UNITS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const ORDINAL_TEENS = ['tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];

/** Ordinals of 1–99 (the days of a month): "first", "twenty-first", "thirtieth". */
export function ordinalEn(n: number): string {
  if (n < 10) return ORDINAL_UNITS[n] as string;
  if (n < 20) return ORDINAL_TEENS[n - 10] as string;
  const tens = TENS[Math.floor(n / 10)] as string;
  return n % 10 ? `${tens}-${ORDINAL_UNITS[n % 10] as string}` : `${tens.slice(0, -1)}ieth`;
}

/** A year as said in Britain: "twenty twenty-six", "two thousand and five", "nineteen oh five", "nineteen hundred". */
export function yearEn(year: number): string {
  const century = Math.floor(year / 100);
  const rest = year % 100;
  if (year < 1000 || year % 1000 < 10) return cardinalEn(year);
  if (rest === 0) return `${belowHundred(century)} hundred`;
  return `${belowHundred(century)} ${rest < 10 ? `oh ${DIGITS_EN[rest] as string}` : belowHundred(rest)}`;
}

export const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
