/** One mapping function per table: rows never leave the store. */
import type { Actor, Authority, Channel } from '../domain/channels.ts';
import type { Language } from '../domain/languages.ts';
import type { EsimState, LineState, NumberState, SimState, SimType } from '../domain/inventory.ts';
import type { Account, Customer, EsimProfile, IdentityDocument, LedgerEntry, LedgerKind, Line, PhoneNumber, PhysicalSim } from '../domain/model.ts';
import type { EffectiveMode } from '../domain/policy.ts';
import { referenceSequence } from '../domain/reference.ts';
import type { Termination, TerminationState } from '../domain/termination.ts';
import type {
  AccountsTable,
  CustomersTable,
  EsimProfilesTable,
  LedgerEntriesTable,
  LinesTable,
  NumbersTable,
  SimsTable,
  TerminationsTable,
} from './schema.ts';

export function toCustomer(r: CustomersTable): Customer {
  const document: IdentityDocument | null =
    r.doc_type && r.doc_hash
      ? {
          type: r.doc_type as IdentityDocument['type'],
          country: r.doc_country ?? '',
          numberHash: r.doc_hash,
          last4: r.doc_last4 ?? '',
        }
      : null;
  return {
    id: r.id,
    name: r.name,
    language: r.language as Language,
    email: r.email,
    birthDate: r.birth_date,
    document,
    foreigner: Boolean(Number(r.foreigner)),
    identityVerifiedAt: r.identity_verified_at,
    createdAt: r.created_at,
  };
}

export function fromCustomer(c: Customer, passwordHash: string | null): CustomersTable {
  return {
    id: c.id,
    name: c.name,
    language: c.language,
    email: c.email,
    birth_date: c.birthDate,
    doc_type: c.document?.type ?? null,
    doc_country: c.document?.country ?? null,
    doc_hash: c.document?.numberHash ?? null,
    doc_last4: c.document?.last4 ?? null,
    foreigner: c.foreigner ? 1 : 0,
    identity_verified_at: c.identityVerifiedAt,
    password_hash: passwordHash,
    oidc_subject: null,
    created_at: c.createdAt,
  };
}

export const toAccount = (r: AccountsTable): Account => ({
  id: r.id,
  customerId: r.customer_id,
  currency: r.currency,
  balance: Number(r.balance),
});

export const toLedgerEntry = (r: LedgerEntriesTable): LedgerEntry => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind as LedgerKind,
  amount: Number(r.amount),
  description: r.description,
  reference: r.reference,
  at: r.at,
});

export const toLine = (r: LinesTable): Line => ({
  id: r.id,
  accountId: r.account_id,
  customerId: r.customer_id,
  msisdn: r.msisdn,
  simType: r.sim_type as SimType,
  iccid: r.iccid,
  planName: r.plan_name,
  monthlyFee: Number(r.monthly_fee),
  state: r.state as LineState,
  contract: {
    startedAt: r.contract_started_at,
    minimumTermEndsAt: r.minimum_term_ends_at,
    instalmentsLeft: Number(r.instalments_left),
  },
  dataLeftMb: Number(r.data_left_mb),
  periodStart: r.period_start,
  periodEnd: r.period_end,
  portOutRequestedAt: r.port_out_requested_at,
  legalHoldAt: r.legal_hold_at,
  lastPaidActivityAt: r.last_paid_activity_at,
  activatedAt: r.activated_at,
  terminatedAt: r.terminated_at,
});

export const fromLine = (l: Line): LinesTable => ({
  id: l.id,
  account_id: l.accountId,
  customer_id: l.customerId,
  msisdn: l.msisdn,
  sim_type: l.simType,
  iccid: l.iccid,
  plan_name: l.planName,
  monthly_fee: l.monthlyFee,
  state: l.state,
  contract_started_at: l.contract.startedAt,
  minimum_term_ends_at: l.contract.minimumTermEndsAt,
  instalments_left: l.contract.instalmentsLeft,
  data_left_mb: l.dataLeftMb,
  period_start: l.periodStart,
  period_end: l.periodEnd,
  port_out_requested_at: l.portOutRequestedAt,
  legal_hold_at: l.legalHoldAt,
  last_paid_activity_at: l.lastPaidActivityAt,
  activated_at: l.activatedAt,
  terminated_at: l.terminatedAt,
});

export const toNumber = (r: NumbersTable): PhoneNumber => ({
  msisdn: r.msisdn,
  state: r.state as NumberState,
  quarantineUntil: r.quarantine_until,
});

export const toSim = (r: SimsTable): PhysicalSim => ({ iccid: r.iccid, imsi: r.imsi, state: r.state as SimState });

export const toEsim = (r: EsimProfilesTable): EsimProfile => ({
  iccid: r.iccid,
  eid: r.eid,
  smdpAddress: r.smdp_address,
  matchingId: r.matching_id,
  state: r.state as EsimState,
});

export function toTermination(r: TerminationsTable): Termination {
  return {
    id: r.id,
    reference: r.reference,
    lineId: r.line_id,
    customerId: r.customer_id,
    accountId: r.account_id,
    msisdn: r.msisdn,
    simType: r.sim_type as SimType,
    channel: r.channel as Channel,
    authority: r.authority as Authority,
    requestedBy: {
      kind: r.requested_by_kind as Actor['kind'],
      id: r.requested_by_id,
      channel: r.channel as Channel,
    },
    reason: r.reason,
    state: r.state as TerminationState,
    effectiveMode: r.effective_mode as EffectiveMode,
    effectiveAt: r.effective_at,
    requestedAt: r.requested_at,
    confirmBy: r.confirm_by,
    confirmedAt: r.confirmed_at,
    completedAt: r.completed_at,
    blockers: JSON.parse(r.blockers),
    warnings: JSON.parse(r.warnings),
    quote: JSON.parse(r.quote),
    feeAcceptedAt: r.fee_accepted_at,
    instalmentsAcceptedAt: r.instalments_accepted_at,
    amountSettled: r.amount_settled === null ? null : Number(r.amount_settled),
    amountRefunded: r.amount_refunded === null ? null : Number(r.amount_refunded),
    quarantineUntil: r.quarantine_until,
    simCollected: Boolean(Number(r.sim_collected)),
    lineStateBefore: r.line_state_before as LineState,
    steps: JSON.parse(r.steps),
    lastError: r.last_error,
    disownedAt: r.disowned_at ?? null,
    updatedAt: r.updated_at,
  };
}

/** The key orders and certificates are stored under: the sequence number their (always canonical) reference decodes to. */
export function referenceKey(reference: string): number {
  const seq = referenceSequence(reference);
  if (seq === undefined) throw new Error(`not a reference: ${reference}`);
  return seq;
}

export function fromTermination(t: Termination, bulkKey: string | null = null): TerminationsTable {
  return {
    id: t.id,
    reference: t.reference,
    seq: referenceKey(t.reference),
    line_id: t.lineId,
    customer_id: t.customerId,
    account_id: t.accountId,
    msisdn: t.msisdn,
    sim_type: t.simType,
    channel: t.channel,
    authority: t.authority,
    requested_by_kind: t.requestedBy.kind,
    requested_by_id: t.requestedBy.id,
    reason: t.reason,
    state: t.state,
    effective_mode: t.effectiveMode,
    effective_at: t.effectiveAt,
    requested_at: t.requestedAt,
    confirm_by: t.confirmBy,
    confirmed_at: t.confirmedAt,
    completed_at: t.completedAt,
    blockers: JSON.stringify(t.blockers),
    warnings: JSON.stringify(t.warnings),
    quote: JSON.stringify(t.quote),
    fee_accepted_at: t.feeAcceptedAt,
    instalments_accepted_at: t.instalmentsAcceptedAt,
    amount_settled: t.amountSettled,
    amount_refunded: t.amountRefunded,
    quarantine_until: t.quarantineUntil,
    sim_collected: t.simCollected ? 1 : 0,
    line_state_before: t.lineStateBefore,
    steps: JSON.stringify(t.steps),
    last_error: t.lastError,
    bulk_key: bulkKey,
    disowned_at: t.disownedAt,
    updated_at: t.updatedAt,
  };
}
