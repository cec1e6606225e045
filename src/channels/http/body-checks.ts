import { AppError } from '../../domain/errors.ts';

/** No request body simexit takes is nested this deep; deeper is refused with JSON_TOO_DEEP. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed body holds U+0000 in a key or a string. Walked with a stack,
 * not recursion, so no depth can overflow it; past MAX_JSON_DEPTH it stops with JSON_TOO_DEEP.
 */
export function hasNul(body: unknown): boolean {
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value !== null && typeof value === 'object') {
      if (depth > MAX_JSON_DEPTH) throw new AppError('JSON_TOO_DEEP', { max: MAX_JSON_DEPTH });
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) return true;
        stack.push([v, depth + 1]);
      }
    }
  }
  return false;
}
