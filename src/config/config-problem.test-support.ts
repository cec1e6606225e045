import assert from 'node:assert/strict';
import { AppError } from '../domain/errors.ts';

/** The reason of the CONFIG_INVALID that `f` throws (failing the test when it throws anything else, or nothing). */
export function configReasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'CONFIG_INVALID', String(e));
    return String(e.details.reason);
  }
  assert.fail('expected CONFIG_INVALID');
}
