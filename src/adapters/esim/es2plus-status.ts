/**
 * What an ES2+ answer means for a step (GSMA SGP.22 §6.5.1.4 / §5.3.1). Pure: the client hands it the HTTP
 * status and the parsed body, and acts on the verdict.
 *
 * ES2+ reports a function's failure in the body (`header.functionExecutionStatus`) of an HTTP 200, so the
 * status decides, not the HTTP code; an HTTP error (or a body that is not ES2+) means the SM-DP+ did not run the
 * function at all, which a repeat with the same `functionCallIdentifier` can fix.
 */
import { AppError, type ErrorCode } from '../../domain/errors.ts';

export type Es2Status = 'Executed-Success' | 'Executed-WithWarning' | 'Failed' | 'Expired';

export interface Es2StatusCode {
  readonly subjectCode: string;
  readonly reasonCode: string;
  readonly subjectIdentifier?: string;
  readonly message?: string;
}

export type Es2Verdict =
  | { readonly ok: true; readonly warning: Es2StatusCode | null }
  | { readonly ok: false; readonly code: ErrorCode; readonly retryable: boolean; readonly error: string };

/**
 * Reason codes (SGP.22 §5.3.1 Table "Reason codes") after which a repeat of the same request cannot succeed:
 * the request or the profile is wrong, not the moment. Everything else (4.2 execution error, 5.x, an unknown
 * code) may pass on a later try, so it is retried with backoff and handed to a person after the last attempt.
 */
const FINAL_REASONS: ReadonlyMap<string, ErrorCode> = new Map([
  ['1.2', 'ESIM_ORDER_REFUSED'], // not allowed (authorisation): our requester id is not entitled to this profile
  ['2.1', 'ESIM_ORDER_REFUSED'], // invalid
  ['2.2', 'ESIM_ORDER_REFUSED'], // mandatory element missing
  ['3.1', 'ESIM_ORDER_REFUSED'], // conditional element missing
  ['3.3', 'ESIM_ORDER_REFUSED'], // already in use
  ['3.5', 'ESIM_ORDER_REFUSED'], // not in the state the function needs (e.g. already downloaded)
  ['3.8', 'ESIM_ORDER_REFUSED'], // refused
  ['3.9', 'ESIM_PROFILE_NOT_FOUND'], // unknown (with 8.2.1: no profile with this ICCID)
  ['3.10', 'ESIM_ORDER_REFUSED'], // invalid association (ICCID and EID or matching id do not belong together)
]);

const describe = (c: Es2StatusCode) => `${c.subjectCode}/${c.reasonCode}${c.message ? ` ${c.message.slice(0, 120)}` : ''}`;

const asObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** The `statusCodeData` of a body, when it carries one with both codes as text. */
export function statusCodeOf(data: unknown): Es2StatusCode | null {
  const d = asObject(data);
  if (!d || typeof d.subjectCode !== 'string' || typeof d.reasonCode !== 'string') return null;
  return {
    subjectCode: d.subjectCode,
    reasonCode: d.reasonCode,
    ...(typeof d.subjectIdentifier === 'string' ? { subjectIdentifier: d.subjectIdentifier } : {}),
    ...(typeof d.message === 'string' ? { message: d.message } : {}),
  };
}

/** The verdict on one ES2+ answer for the profile `iccid`: its HTTP status and its body (parsed JSON or undefined). */
export function es2Verdict(iccid: string, httpStatus: number, body: unknown): Es2Verdict {
  const unavailable = (reason: string): Es2Verdict => ({ ok: false, code: 'ESIM_SMDP_UNAVAILABLE', retryable: true, error: `ESIM_SMDP_UNAVAILABLE: ${new AppError('ESIM_SMDP_UNAVAILABLE', { reason }).message}` });
  // 204 is not an ES2+ answer to a function call; any other non-200 is the transport's, never the function's.
  if (httpStatus !== 200) return unavailable(`HTTP ${httpStatus}`);
  const status = asObject(asObject(asObject(body)?.header)?.functionExecutionStatus);
  if (!status || typeof status.status !== 'string') return unavailable('the answer has no header.functionExecutionStatus');
  const code = statusCodeOf(status.statusCodeData);
  const details = { iccid, subjectCode: code?.subjectCode ?? '-', reasonCode: code?.reasonCode ?? '-' };
  const failed = (errorCode: ErrorCode, retryable: boolean): Es2Verdict => ({
    ok: false,
    code: errorCode,
    retryable,
    error: `${errorCode}: ${new AppError(errorCode, details).message}${code ? ` [${describe(code)}]` : ''}`,
  });
  switch (status.status as Es2Status) {
    case 'Executed-Success':
      return { ok: true, warning: null };
    case 'Executed-WithWarning':
      // Done; the warning (e.g. a field ignored) is for the log, not a reason to repeat.
      return { ok: true, warning: code };
    case 'Expired':
      // The SM-DP+ did not get to it within the function's validity period: nothing happened, try again.
      return failed('ESIM_FUNCTION_EXPIRED', true);
    case 'Failed': {
      const final = code ? FINAL_REASONS.get(code.reasonCode) : undefined;
      return final ? failed(final, false) : failed('ESIM_SMDP_FAILED', true);
    }
    default:
      return unavailable(`an unknown functionExecutionStatus ${JSON.stringify(status.status).slice(0, 40)}`);
  }
}
