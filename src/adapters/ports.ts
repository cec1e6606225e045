/**
 * The narrow interfaces the execution steps call: an operator's HLR, SM-DP+
 * or billing system implements them. They are called outside any database
 * transaction (the step runner records the answer afterwards, see
 * `jobs/step-runner.ts`), so they take no transaction and know nothing of the
 * store. Each request carries a key unique per (order, step), `ORDER-ID:step`:
 * a call repeated after a crash carries the same key, and an adapter that
 * sees a key twice must act once and answer as the first time.
 */
import type { EsimState } from '../domain/inventory.ts';
import type { Language } from '../domain/languages.ts';

/**
 * One request's answer. A failure is retried with backoff unless `permanent` (retrying cannot help: the outside
 * system refused the request itself), which hands the order to a person at once.
 */
export type ItemResult<T = object> = ({ ok: true } & T) | { ok: false; error: string; permanent?: boolean };

export interface BarRequest {
  readonly key: string;
  readonly msisdn: string;
  readonly iccid: string;
}

/** HLR/HSS: bar the subscription so the line can no longer be used. */
/**
 * How long an adapter's calls may take at worst: `lanes` calls at once, each taking at most `worstMs` (its own
 * repeats included). The worker claims no more jobs than it can carry out in half its lease at this pace (a claim
 * that outlasts the lease is claimed and called again by another worker). Absent: the adapter answers from our
 * own store, at once.
 */
export interface CallPace {
  readonly lanes: number;
  readonly worstMs: number;
}

export interface NetworkAdapter {
  bar(requests: readonly BarRequest[], at: string): Promise<ItemResult[]>;
  readonly pace?: CallPace;
}

export interface EsimReleaseRequest {
  readonly key: string;
  readonly iccid: string;
  readonly state: EsimState;
  /** The eUICC the profile was bound to, once known (ES2+ CancelOrder sends it when there is one). */
  readonly eid: string | null;
  /** The activation code's matching id the order was made with. */
  readonly matchingId: string;
}

/**
 * SM-DP+ (SGP.22 ES2+). A profile not yet downloaded is cancelled
 * (`finalState`); one on a device cannot be deleted remotely, so the answer is
 * `awaitDeviceDeletion` and the device's delete notification closes it later.
 */
export interface EsimAdapter {
  /** One ES2+ call's pace (a prepare makes two). */
  readonly pace?: CallPace;
  release(requests: readonly EsimReleaseRequest[], at: string): Promise<ItemResult<EsimReleaseAnswer>[]>;
  /**
   * A new line's profile made ready to download (ES2+ DownloadOrder, then ConfirmOrder with `releaseFlag: true`):
   * the matching id and SM-DP+ address the activation code `LPA:1$<address>$<matching id>` is made of.
   */
  prepareDownload(requests: readonly EsimPrepareRequest[], at: string): Promise<ItemResult<EsimPrepareAnswer>[]>;
}

export interface EsimPrepareRequest {
  readonly key: string;
  readonly iccid: string;
  /** The eUICC to bind to, when the subscriber gave one; without it the first device to use the code gets it. */
  readonly eid: string | null;
  readonly msisdn: string;
  /**
   * The matching id to release the profile under (ConfirmOrder's `matchingId`): made by simexit from an installation
   * secret and `key`, so every try of one order gives the same one and no one else can make it.
   */
  readonly matchingId: string;
}

export interface EsimPrepareAnswer {
  readonly matchingId: string;
  readonly smdpAddress: string;
}

export interface EsimReleaseAnswer {
  readonly finalState: EsimState | null;
  readonly awaitDeviceDeletion: boolean;
}

export interface SettleRequest {
  readonly key: string;
  readonly reference: string;
  readonly accountId: string;
  /** What the final invoice takes (usage, fee, instalments), in minor units. */
  readonly invoice: number;
  /** What is paid back after the invoice, in minor units. */
  readonly refund: number;
  readonly refundMethod: string;
}

/** Billing: the final prorated invoice and the refund of a positive balance. */
export interface BillingAdapter {
  settle(requests: readonly SettleRequest[], at: string): Promise<ItemResult<SettleAnswer>[]>;
}

export interface SettleAnswer {
  readonly invoiced: number;
  readonly refunded: number;
}

export type Medium = 'email' | 'sms';

export interface OutgoingMessage {
  /** One message per key: re-sending after a crash is a no-op. */
  readonly key: string;
  readonly customerId: string;
  readonly subjectRef: string | null;
  readonly template: string;
  readonly medium: Medium;
  readonly address: string;
  readonly language: Language;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** The systems the execution steps call; `Adapters` (adapters.ts) adds the store-side outbox. */
export interface Ports {
  readonly network: NetworkAdapter;
  readonly esim: EsimAdapter;
  readonly billing: BillingAdapter;
}

/** What simexit asks a payment provider to take: an amount in minor units, for an account. */
export interface PaymentStart {
  /** simexit's own payment id: the provider's idempotency key, so a retried start creates one payment. */
  readonly paymentId: string;
  readonly accountId: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
  /** Where the provider sends the subscriber back after its page. */
  readonly returnUrl: string;
  /** Where the provider posts its signed callbacks. */
  readonly callbackUrl: string;
}

export type PaymentState = 'pending' | 'succeeded' | 'failed';

export interface StartedPayment {
  /** The provider's id of this payment; callbacks name it. */
  readonly providerPaymentId: string;
  /** The provider's page the subscriber is sent to; null when the payment is already decided (the sandbox). */
  readonly redirectUrl: string | null;
  readonly state: PaymentState;
}

/** What a verified callback says happened to one payment. */
export interface PaymentEvent {
  /** The callback's own id (Standard Webhooks `webhook-id`). */
  readonly eventId: string;
  readonly providerPaymentId: string;
  /** simexit's payment id as given at start, when the provider echoes it. */
  readonly paymentId: string | null;
  readonly state: PaymentState;
  readonly amount: number;
  readonly currency: string;
}

/** An incoming callback as it arrived: the raw body (signatures cover its bytes) and the headers. */
export interface PaymentCallback {
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A payment provider (acquirer, PSP): start a payment the subscriber completes
 * on the provider's page, verify the provider's signed callback, ask a
 * payment's state. Called outside any database transaction: simexit records
 * the payment before and after the call. The account is credited only from a
 * verified callback that says `succeeded`.
 */
export interface PaymentProvider {
  /** The name recorded with each payment (`sandbox`, `http`). */
  readonly name: string;
  start(request: PaymentStart): Promise<StartedPayment>;
  /** Checks the signature, timestamp and shape; throws `PAYMENT_CALLBACK_INVALID` when any is wrong. */
  verifyCallback(callback: PaymentCallback): PaymentEvent;
  status(providerPaymentId: string): Promise<{ state: PaymentState; amount?: number; currency?: string }>;
}
