/** Our termination states as TMF622 v4 ProductOrder states (ProductOrderStateType). */
import type { Termination, TerminationState } from '../../domain/termination.ts';

export const TMF_STATE: Readonly<Record<TerminationState, string>> = {
  requested: 'acknowledged',
  blocked: 'held',
  awaiting_confirmation: 'pending',
  scheduled: 'acknowledged',
  executing: 'inProgress',
  needs_attention: 'held',
  completed: 'completed',
  expired: 'cancelled',
  withdrawn: 'cancelled',
  rejected: 'rejected',
};

export const BASE_PATH = '/tmf-api/productOrderingManagement/v4';

export function productOrder(t: Termination, baseUrl: string, itemId = '1'): Record<string, unknown> {
  const state = TMF_STATE[t.state];
  return {
    id: t.reference,
    href: `${baseUrl}${BASE_PATH}/productOrder/${t.reference}`,
    orderDate: t.requestedAt,
    requestedCompletionDate: t.effectiveAt,
    expectedCompletionDate: t.effectiveAt,
    ...(t.completedAt ? { completionDate: t.completedAt } : {}),
    ...(t.state === 'withdrawn' || t.state === 'expired' ? { cancellationDate: t.updatedAt, cancellationReason: t.state } : {}),
    state,
    channel: [{ id: t.channel, name: t.channel, '@type': 'ChannelRef' }],
    ...(t.blockers.length ? { note: t.blockers.map((b) => ({ text: `blocked: ${b.code}`, '@type': 'Note' })) } : {}),
    productOrderItem: [
      {
        id: itemId,
        action: 'delete',
        state,
        product: { id: t.lineId, name: t.msisdn, '@type': 'ProductRef', '@referredType': 'Product' },
        '@type': 'ProductOrderItem',
      },
    ],
    '@type': 'ProductOrder',
  };
}
