import type { Payloads, TemplateName } from '../../../src/notifications/templates.ts';

/** A realistic payload for every template, as the code that enqueues it writes it. */
export const samplePayloads: { readonly [T in TemplateName]: Payloads[T] } = {
  'termination.requested': {
    reference: 'TRM-7KQ2-9XW4',
    msisdn: '+79991234567',
    state: 'scheduled',
    effectiveAt: '2026-11-22T21:00:00.000Z',
    withdrawUntil: '2026-11-22T21:00:00.000Z',
    confirmBy: null,
  },
  'termination.scheduled': {
    reference: 'TRM-7KQ2-9XW4',
    msisdn: '+79991234567',
    effectiveAt: '2026-11-22T21:00:00.000Z',
    withdrawUntil: '2026-11-22T21:00:00.000Z',
  },
  'termination.completed': {
    reference: 'TRM-7KQ2-9XW4',
    msisdn: '+79991234567',
    simType: 'esim',
    channel: 'web',
    requestedAt: '2026-11-21T10:00:00.000Z',
    effectiveAt: '2026-11-22T21:00:00.000Z',
    completedAt: '2026-11-22T21:00:05.000Z',
    amountSettled: 123450,
    amountRefunded: 5000,
    currency: 'RUB',
    quarantineUntil: '2027-05-21T21:00:00.000Z',
  },
  'termination.failed': { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', failedAt: '2026-11-22T21:05:00.000Z' },
  'termination.withdrawn': { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', withdrawnAt: '2026-11-21T10:15:00.000Z', notMe: 'yes' },
  'termination.rejected': { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', rejectedAt: '2026-11-21T10:15:00.000Z' },
  'termination.expired': { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', expiredAt: '2026-11-21T10:35:00.000Z', stateBefore: 'awaiting_confirmation' },
  'otp.confirm_termination': { code: '482913', msisdn: '+7******4567', subject: 'TRM-7KQ2-9XW4', expiresAt: '2026-11-21T10:05:00.000Z' },
  'otp.password_reset': { code: '482913', msisdn: '+7******4567', subject: '+79991234567', expiresAt: '2026-11-21T10:05:00.000Z' },
  'otp.cancel_without_signin': { code: '482913', msisdn: '+7******4567', subject: 'TRM-7KQ2-9XW4', expiresAt: '2026-11-21T10:05:00.000Z' },
  'otp.hotline_sign_in': { code: '482913', msisdn: '+7******4567', subject: 'call_01jd000000000000', expiresAt: '2026-11-21T10:05:00.000Z' },
  'termination.payment_link': { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', amount: 45000, currency: 'RUB' },
  'quarantine.ending_soon': { msisdn: '+79991234567', quarantineUntil: '2027-05-21T21:00:00.000Z' },
  'reclaim.completed': { msisdn: '+79991234567', simType: 'sim', reclaimedAt: '2027-01-10T09:15:00.000Z' },
  'dormancy.notice': { msisdn: '+79991234567', lastActivityAt: '2026-05-01T12:00:00.000Z', terminationAt: '2026-12-01T00:00:00.000Z' },
};
