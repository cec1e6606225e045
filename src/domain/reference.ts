/**
 * Human-readable order references such as `TRM-7KQ2-9XW4`. An order's
 * sequence number goes through a Feistel permutation of the 40-bit space keyed
 * by the installation's secret `referenceKey` (AES as the round function), so
 * references are unique without a lookup, differ between installations, and
 * cannot be computed from the source or guessed from one another.
 *
 * The store keys orders by `referenceSequence(reference)`: a public bijection
 * of the reference's 40 bits (the unkeyed scramble the first references were
 * made with), so references issued before the key still resolve to the same
 * rows and the store needs no key. Crockford's alphabet avoids I, L, O and U.
 */
import { createCipheriv, createHash } from 'node:crypto';

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
 * The key orders and certificates are stored under, or undefined when the
 * text is not a reference in canonical form: a public bijection of the
 * reference's 40 bits. For references made before installations had a key it
 * is their sequence number (it grew with time); for keyed ones it is the
 * keyed permutation of it, which does not (see docs/performance.md).
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

const SPACE = 2 ** 40;
const KEYED_ROUNDS = 6;

/** The installation's keyed permutation of [0, 2^40): AES-128 of (round, half) gives each round's 20 bits. */
export function keyedPermutation(key: string): { forward(n: number): number; inverse(n: number): number } {
  if (key.length < 16) throw new RangeError('the reference key is too short');
  const aes = createCipheriv('aes-128-ecb', createHash('sha256').update('simexit reference key\0').update(key).digest().subarray(0, 16), null);
  aes.setAutoPadding(false);
  const block = Buffer.alloc(16);
  const f = (roundNo: number, half: number): number => {
    block.fill(0);
    block.writeUInt32BE(roundNo, 0);
    block.writeUInt32BE(half, 4);
    // ECB encrypts each block on its own, so one cipher serves every call.
    return aes.update(block).readUInt32BE(0) & HALF_MASK;
  };
  const check = (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0 || n >= SPACE) throw new RangeError(`reference sequence out of range: ${n}`);
  };
  return {
    forward(n) {
      check(n);
      let left = Math.floor(n / 2 ** HALF_BITS);
      let right = n & HALF_MASK;
      for (let r = 0; r < KEYED_ROUNDS; r++) [left, right] = [right, left ^ f(r, right)];
      return left * 2 ** HALF_BITS + right;
    },
    inverse(n) {
      check(n);
      let left = Math.floor(n / 2 ** HALF_BITS);
      let right = n & HALF_MASK;
      for (let r = KEYED_ROUNDS - 1; r >= 0; r--) [left, right] = [right ^ f(r, left), left];
      return left * 2 ** HALF_BITS + right;
    },
  };
}

/**
 * An installation's references: `issue` makes the reference of an order's
 * sequence number with the installation's key. What the store keys it by is
 * `referenceSequence(reference)`, as for any reference.
 */
export function referenceIssuer(key: string): { issue(prefix: string, sequence: number): string } {
  const permutation = keyedPermutation(key);
  return { issue: (prefix, sequence) => formatReference(prefix, unscramble(permutation.forward(sequence))) };
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
