/**
 * When a job that failed runs again: the one retry rule of the queue engine,
 * for every kind of job (execution steps, message delivery, and the kinds
 * that come next). Pure; the jitter is a parameter so tests can fix it.
 */

/** Capped exponential backoff with a little jitter, so failed jobs do not come back in lock-step. Seconds. */
export function backoffSeconds(attempt: number, base: number, max: number, jitter: number = Math.random()): number {
  const raw = base * 2 ** Math.max(0, attempt - 1);
  return Math.min(max, raw) * (0.9 + jitter * 0.2);
}

export interface RetryPolicy {
  readonly backoffBaseSeconds: number;
  readonly backoffMaxSeconds: number;
}

/** What happens to a job whose attempt failed: again after a wait, or dead (kept, listed, retried only by hand). */
export type AfterFailure = { readonly kind: 'retry'; readonly inSeconds: number } | { readonly kind: 'dead' };

/**
 * A failure that retrying cannot help (`permanent`) or that used the last
 * attempt makes the job dead; any other waits its backoff.
 */
export function afterFailure(attempts: number, maxAttempts: number, permanent: boolean, policy: RetryPolicy, jitter?: number): AfterFailure {
  if (permanent || attempts >= maxAttempts) return { kind: 'dead' };
  return { kind: 'retry', inSeconds: backoffSeconds(attempts, policy.backoffBaseSeconds, policy.backoffMaxSeconds, jitter) };
}
