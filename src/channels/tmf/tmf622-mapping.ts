/** Our termination states as TMF622 v4 ProductOrder states (ProductOrderStateType). */
import type { Termination, TerminationState } from '../../domain/termination.ts';
import type { CancelProductOrder, ProductOrder } from './tmf622-schemas.ts';

export const TMF_STATE: Readonly<Record<TerminationState, ProductOrder['productOrderItem'][number]['state']>> = {
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

export function productOrder(t: Termination, baseUrl: string, itemId = '1'): ProductOrder {
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
    channel: [{ id: t.channel, name: t.channel, '@type': 'ChannelRef' as const }],
    ...(t.blockers.length ? { note: t.blockers.map((b) => ({ text: `blocked: ${b.code}`, '@type': 'Note' as const })) } : {}),
    productOrderItem: [
      {
        id: itemId,
        action: 'delete' as const,
        state,
        product: { id: t.lineId, name: t.msisdn, '@type': 'ProductRef', '@referredType': 'Product' },
        '@type': 'ProductOrderItem',
      },
    ],
    '@type': 'ProductOrder',
  };
}

/** The CancelProductOrder that tells an integrator its order was withdrawn. */
export function cancelProductOrder(t: Termination, baseUrl: string, reason: string): CancelProductOrder {
  return {
    id: `CAN-${t.reference}`,
    href: `${baseUrl}${BASE_PATH}/cancelProductOrder/CAN-${t.reference}`,
    state: 'done',
    effectiveCancellationDate: t.updatedAt,
    cancellationReason: reason,
    productOrder: { id: t.reference, href: `${baseUrl}${BASE_PATH}/productOrder/${t.reference}`, '@referredType': 'ProductOrder' },
    '@type': 'CancelProductOrder',
  };
}
