/** Orders as an integrator or the back office reads them, any customer's (the caller's right to read every order is checked by the channel's sign-in). */
import { AppError } from '../domain/errors.ts';
import { normalizeReference } from '../domain/reference.ts';
import type { Termination, TerminationState } from '../domain/termination.ts';
import { terminationByReference, terminationsPage } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';

/** The order with this reference, as typed (case and dashes forgiven); TERMINATION_NOT_FOUND otherwise. */
export async function orderByReference(ctx: AppContext, text: string): Promise<Termination> {
  const reference = normalizeReference(text);
  const t = reference ? await terminationByReference(ctx.store.db, reference) : undefined;
  if (!t) throw new AppError('TERMINATION_NOT_FOUND', { input: text });
  return t;
}

/** One page of orders, newest first, in the given states (every state when absent), and how many match in all. */
export async function ordersPage(ctx: AppContext, query: { states?: readonly TerminationState[] | undefined; offset: number; limit: number }): Promise<{ total: number; terminations: Termination[] }> {
  return terminationsPage(ctx.store.db, { ...(query.states === undefined ? {} : { states: query.states }), offset: query.offset, limit: Math.min(1000, query.limit) });
}
