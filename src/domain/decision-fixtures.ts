/**
 * Plain facts for the decision tests (src/domain/*.test.ts and the lifecycle
 * property test): one customer, one account, one active SIM line. Not used by
 * the application.
 */
import type { Actor } from './channels.ts';
import type { Account, Customer, Line } from './model.ts';
import type { RequestFacts, RequestIntent } from './request-decision.ts';

export const NOW = '2026-03-10T09:00:00.000Z';

export const holderActor: Actor = { kind: 'customer', id: 'cus-1', channel: 'web' };
export const agentActor: Actor = { kind: 'staff', id: 'agent-1', channel: 'phone_agent' };

export function sampleCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'cus-1',
    name: 'Anna',
    language: 'en',
    email: null,
    birthDate: null,
    document: null,
    foreigner: false,
    identityVerifiedAt: '2025-01-01T00:00:00.000Z',
    createdAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function sampleAccount(balance: number, currency = 'RUB'): Account {
  return { id: 'acc-1', customerId: 'cus-1', currency, balance };
}

export function sampleLine(overrides: Partial<Line> = {}): Line {
  return {
    id: 'ln-1',
    accountId: 'acc-1',
    customerId: 'cus-1',
    msisdn: '79001234567',
    simType: 'sim',
    iccid: '8970100000000000001',
    planName: 'Plan',
    monthlyFee: 30_000,
    state: 'active',
    contract: { startedAt: '2025-01-01T00:00:00.000Z', minimumTermEndsAt: null, instalmentsLeft: 0 },
    dataLeftMb: 0,
    periodStart: '2026-03-01T00:00:00.000Z',
    periodEnd: '2026-03-31T00:00:00.000Z',
    portOutRequestedAt: null,
    legalHoldAt: null,
    lastPaidActivityAt: null,
    activatedAt: '2025-01-01T00:00:00.000Z',
    terminatedAt: null,
    ...overrides,
  };
}

export function sampleRequestFacts(overrides: Partial<RequestFacts> = {}, request: Partial<RequestIntent> = {}): RequestFacts {
  return {
    request: { channel: 'web', authority: 'subscriber', actor: holderActor, effective: { mode: 'now' }, ...request },
    line: sampleLine(),
    account: sampleAccount(0),
    customer: sampleCustomer(),
    esimState: null,
    otherLiveLines: 0,
    openReference: null,
    id: 'trm-1',
    reference: 'TRM-0000-0001',
    ...overrides,
  };
}
