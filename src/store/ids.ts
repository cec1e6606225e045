import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastMs = 0;
let counter = 0;
const processTag = Array.from(randomBytes(4), (b) => ALPHABET[b % 32]).join('');

/**
 * Time-ordered ids (`ln_01jd…`): new rows land at the end of the primary-key
 * index instead of at random places, which keeps batch inserts fast. A
 * per-process tag keeps ids from two workers apart.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    counter = 0;
  }
  counter++;
  let time = '';
  let t = now;
  for (let i = 0; i < 9; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let seq = '';
  let c = counter;
  for (let i = 0; i < 4; i++) {
    seq = ALPHABET[c % 32] + seq;
    c = Math.floor(c / 32);
  }
  return `${prefix}_${time}${seq}${processTag}`;
}
