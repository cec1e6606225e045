import assert from 'node:assert/strict';
import { test } from 'node:test';
import { es2Verdict } from './es2plus-status.ts';

const ICCID = '8970199000000000001';
const answer = (status: string, subjectCode?: string, reasonCode?: string) => ({
  header: { functionExecutionStatus: { status, ...(subjectCode ? { statusCodeData: { subjectCode, reasonCode } } : {}) } },
});
const verdict = (body: unknown, http = 200) => {
  const v = es2Verdict(ICCID, http, body);
  return v.ok ? { ok: true } : { code: v.code, retryable: v.retryable };
};

test('success and success with a warning are done; the warning travels with it', () => {
  assert.deepEqual(verdict(answer('Executed-Success')), { ok: true });
  assert.deepEqual(es2Verdict(ICCID, 200, answer('Executed-WithWarning', '8.1.1', '3.8')), { ok: true, warning: { subjectCode: '8.1.1', reasonCode: '3.8' } });
});

test('a Failed status in an HTTP 200 is a failure: refusals of the request itself are final, the rest may pass later', () => {
  assert.deepEqual(verdict(answer('Failed', '8.2.1', '3.9')), { code: 'ESIM_PROFILE_NOT_FOUND', retryable: false });
  assert.deepEqual(verdict(answer('Failed', '8.2.1', '3.5')), { code: 'ESIM_ORDER_REFUSED', retryable: false });
  assert.deepEqual(verdict(answer('Failed', '1.2', '1.2')), { code: 'ESIM_ORDER_REFUSED', retryable: false });
  assert.deepEqual(verdict(answer('Failed', '8.1', '4.2')), { code: 'ESIM_SMDP_FAILED', retryable: true });
  assert.deepEqual(verdict(answer('Failed')), { code: 'ESIM_SMDP_FAILED', retryable: true }, 'no status code: not known to be final');
  assert.deepEqual(verdict(answer('Expired')), { code: 'ESIM_FUNCTION_EXPIRED', retryable: true });
});

test('an answer that is not an ES2+ function status means the function did not run: retried', () => {
  assert.deepEqual(verdict(answer('Executed-Success'), 500), { code: 'ESIM_SMDP_UNAVAILABLE', retryable: true }, 'the HTTP error wins over a body');
  assert.deepEqual(verdict(undefined), { code: 'ESIM_SMDP_UNAVAILABLE', retryable: true });
  assert.deepEqual(verdict({ header: {} }), { code: 'ESIM_SMDP_UNAVAILABLE', retryable: true });
  assert.deepEqual(verdict(answer('Done')), { code: 'ESIM_SMDP_UNAVAILABLE', retryable: true });
});

test('the error kept on the step names the code, the profile and what the SM-DP+ said', () => {
  const v = es2Verdict(ICCID, 200, { header: { functionExecutionStatus: { status: 'Failed', statusCodeData: { subjectCode: '8.2.1', reasonCode: '3.9', message: 'ICCID unknown' } } } });
  assert.ok(!v.ok);
  assert.match(v.error, new RegExp(`^ESIM_PROFILE_NOT_FOUND: .*${ICCID}.*\\[8\\.2\\.1/3\\.9 ICCID unknown\\]$`));
});
