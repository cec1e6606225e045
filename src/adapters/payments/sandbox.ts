import { AppError } from '../../domain/errors.ts';
import type { PaymentProvider } from '../ports.ts';

/**
 * The demo's payment provider: every payment succeeds at once, with no page
 * and no callback. Reachable only in demo mode (`paymentProviderOf`).
 */
export const sandboxPayments: PaymentProvider = {
  name: 'sandbox',
  async start(request) {
    return { providerPaymentId: `sandbox-${request.paymentId}`, redirectUrl: null, state: 'succeeded' };
  },
  verifyCallback() {
    throw new AppError('PAYMENT_CALLBACK_INVALID', { reason: 'the sandbox sends no callbacks' });
  },
  async status() {
    return { state: 'succeeded' };
  },
};
