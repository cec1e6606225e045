/**
 * Human-readable order references such as `TRM-7KQ2-9XW4`: a 40-bit sequence
 * number scrambled by a keyed Feistel permutation, so references are unique
 * without a lookup, yet neighbours do not look alike and cannot be guessed
 * from one another. Crockford's alphabet avoids I, L, O and U.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HALF_BITS = 20;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUND_KEYS = [0x5bd1e, 0x3c6ef, 0x1b873, 0x7f4a7];

function round(half: number, key: number): number {
  let x = Math.imul(half ^ key, 0x45d9f3b);
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b);
  x ^= x >>> 13;
  return x & HALF_MASK;
}

export function scramble(sequence: number): number {
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence >= 2 ** 40) {
    throw new RangeError(`reference sequence out of range: ${sequence}`);
  }
  let left = Math.floor(sequence / 2 ** HALF_BITS);
  let right = sequence & HALF_MASK;
  for (const key of ROUND_KEYS) [left, right] = [right, left ^ round(right, key)];
  return left * 2 ** HALF_BITS + right;
}

/** The inverse of `scramble`: the rounds run backwards. */
export function unscramble(scrambled: number): number {
  let left = Math.floor(scrambled / 2 ** HALF_BITS);
  let right = scrambled & HALF_MASK;
  for (let k = ROUND_KEYS.length - 1; k >= 0; k--) [left, right] = [right ^ round(left, ROUND_KEYS[k] as number), left];
  return left * 2 ** HALF_BITS + right;
}

/**
 * The sequence number a reference was made from, or undefined when the text is
 * not a reference in canonical form. Orders and certificates are indexed by
 * it: it grows with time, so a million orders add to the end of one index
 * instead of landing at random places in it.
 */
export function referenceSequence(reference: string): number | undefined {
  if (!REFERENCE.test(reference)) return undefined;
  let n = 0;
  for (const c of reference.slice(4, 8) + reference.slice(9, 13)) n = n * 32 + ALPHABET.indexOf(c);
  return unscramble(n);
}

export function formatReference(prefix: string, sequence: number): string {
  let n = scramble(sequence);
  let text = '';
  for (let i = 0; i < 8; i++) {
    text = ALPHABET[n % 32] + text;
    n = Math.floor(n / 32);
  }
  return `${prefix}-${text.slice(0, 4)}-${text.slice(4)}`;
}

const REFERENCE = /^[A-Z]{3}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** Accepts what people type: lower case, spaces, O for 0 and I/L for 1. */
export function normalizeReference(text: string): string | undefined {
  if (REFERENCE.test(text)) return text;
  const cleaned = text
    .trim()
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/^([A-Z]{3})-?(.{4})-?(.{4})$/, '$1-$2-$3');
  const fixed = cleaned.slice(0, 4) + cleaned.slice(4).replace(/O/g, '0').replace(/[IL]/g, '1');
  return REFERENCE.test(fixed) ? fixed : undefined;
}
