import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPolicy } from '../config/load-config.ts';
import type { Account, Customer, Line } from './model.ts';
import { preview } from './preview.ts';

const now = '2026-06-10T09:00:00.000Z';
const policy = loadPolicy(undefined, { fallback: 'http://localhost:8080' });
const line: Line = {
  id: 'ln_1',
  accountId: 'acc_1',
  customerId: 'cus_1',
  msisdn: '+79990000003',
  simType: 'sim',
  iccid: '8970100000000000003',
  planName: 'Plan',
  monthlyFee: 60_000,
  state: 'active',
  contract: { startedAt: '2026-03-01T00:00:00.000Z', minimumTermEndsAt: '2027-03-01T00:00:00.000Z', instalmentsLeft: 0 },
  dataLeftMb: 0,
  periodStart: '2026-06-01T00:00:00.000Z',
  periodEnd: '2026-07-01T00:00:00.000Z',
  portOutRequestedAt: null,
  legalHoldAt: null,
  lastPaidActivityAt: null,
  activatedAt: '2026-03-01T00:00:00.000Z',
  terminatedAt: null,
};
const account: Account = { id: 'acc_1', customerId: 'cus_1', currency: 'RUB', balance: 0 };
const customer: Customer = { id: 'cus_1', name: 'Ann Lee', language: 'en', email: null, birthDate: null, document: null, foreigner: false, identityVerifiedAt: now, createdAt: now };
const input = { line, account, customer, esimState: null, policy, channel: 'web' as const, authority: 'subscriber' as const, effective: { mode: 'now' as const }, feeAccepted: false, instalmentsAccepted: false, otherLiveLines: 0, now };

test('the preview shows the early-termination fee on its own row, apart from the services up to the end date', () => {
  const p = preview(input);
  assert.ok(p.quote.earlyTerminationFee > 0, 'the policy charges a fee under a minimum term');
  const services = p.charges.find((c) => c.code === 'SERVICES_TO_END_DATE');
  const fee = p.charges.find((c) => c.code === 'EARLY_TERMINATION_FEE');
  assert.equal(services?.amount, p.quote.finalUsage, 'the services row holds the services only');
  assert.deepEqual(fee, { code: 'EARLY_TERMINATION_FEE', amount: p.quote.earlyTerminationFee, until: '2027-03-01T00:00:00.000Z' });
  assert.equal(p.charges.reduce((sum, c) => sum + c.amount, 0), p.quote.finalInvoice, 'the rows add up to the final invoice');
});

test('no fee row without a minimum term; instalments are a row of their own', () => {
  const p = preview({ ...input, line: { ...line, contract: { ...line.contract, minimumTermEndsAt: null, instalmentsLeft: 12_000 } } });
  assert.deepEqual(p.charges.map((c) => c.code), ['SERVICES_TO_END_DATE', 'DEVICE_INSTALMENTS']);
  assert.equal(p.charges.reduce((sum, c) => sum + c.amount, 0), p.quote.finalInvoice);
});
