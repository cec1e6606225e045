import type { AppError } from '../domain/errors.ts';
import type { AppContext } from './context.ts';
import { type RequestOutcome, type TerminationRequest, requestTerminations } from './request-terminations.ts';

/** One request's answer: the order made (or the one already open for the line); a refused request throws its error. */
export type RequestedTermination = Exclude<RequestOutcome, { readonly kind: 'error' }>;

/**
 * Asks for one termination — what every channel does for a single line (web,
 * app, shop, phone, TMF622, the CLI). Batches (bulk files, dormancy) call
 * `requestTerminations` and take an outcome per request instead.
 */
export async function requestTermination(ctx: AppContext, request: TerminationRequest): Promise<RequestedTermination> {
  const [outcome] = await requestTerminations(ctx, [request]);
  if (!outcome) throw new Error('requestTerminations gave no outcome for one request');
  if (outcome.kind === 'error') throw outcome.error as AppError;
  return outcome;
}

