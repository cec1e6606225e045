/**
 * The narrow interface between the notification outbox and whatever carries a
 * message to a person: an SMTP relay, an SMSC over SMPP, an HTTP SMS gateway,
 * or files on disk. An operator's own adapter implements the same interface.
 */
import type { Language } from '../../domain/languages.ts';
import type { MessagePart } from '../../domain/sms-parts.ts';
import type { Medium } from '../ports.ts';

export interface DeliveryMessage {
  /**
   * The notification's key, unique per message. Adapters hand it to the
   * provider where the protocol has room (SMTP Message-ID, HTTP
   * Idempotency-Key, file name), so a resend after a crash is recognisable.
   */
  readonly key: string;
  readonly medium: Medium;
  /** An e-mail address, or an E.164 number for SMS. */
  readonly to: string;
  readonly language: Language;
  /** E-mail only. */
  readonly subject: string;
  /** The plain-text body; for SMS, the whole message. */
  readonly text: string;
  /** E-mail only. */
  readonly html?: string;
  /** E-mail only: files to attach (the termination certificate). */
  readonly attachments?: readonly { readonly filename: string; readonly content: Buffer; readonly contentType: string }[];
}

export interface Deliverer {
  /** Resolves once the provider has accepted the message, with the provider's id for it; throws otherwise. */
  send(message: DeliveryMessage): Promise<{ providerId: string }>;
  /** For a deliverer that also receives (SMPP): binds now, or checks the session is still bound, so messages can arrive. */
  listen?(): Promise<void>;
  /** Ends connections and sessions; the deliverer is not used after. */
  close?(): Promise<void>;
}

/** The deliverer for each medium. */
export interface Deliverers {
  readonly email: Deliverer;
  readonly sms: Deliverer;
  close(): Promise<void>;
}

/** A delivery receipt as the provider reports it (SMPP deliver_sm, for now). */
export interface DeliveryReceipt {
  readonly providerId: string;
  readonly medium: Medium;
  /** `delivered`, or the provider's word for the failure (`undeliverable`, `expired`, `rejected`, …). */
  readonly status: string;
  readonly error: string | null;
  readonly at: string;
}

export type ReceiptSink = (receipt: DeliveryReceipt) => Promise<void>;

/** An SMS someone sent to us (mobile-originated), as the provider hands it over. */
export interface InboundMessage {
  /** The provider's id for the message, the same when it delivers the message again. */
  readonly smscId: string;
  readonly from: string;
  readonly to: string;
  /** The text, or a part's text (as UTF-16 code units, see src/domain/sms-parts.ts) when `part` is set. */
  readonly text: string;
  /** Which part of a long SMS this is; absent for a message that came whole. */
  readonly part?: Omit<MessagePart, 'text'>;
}

/** Stores an inbound message; resolving means it is safe to acknowledge it to the provider. */
export type InboundSink = (message: InboundMessage) => Promise<void>;

/**
 * The provider refused this message for a reason a retry cannot change (an
 * address that does not exist, a malformed number): the outbox marks it failed
 * at once instead of retrying.
 */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

// RFC 5322 dot-atom-text, minus `=` which escapes the rest.
const ATEXT = /[^A-Za-z0-9!#$%&'*+\-/?^_`{|}~.]/g;

/**
 * The RFC 5322 Message-ID for a notification key: the same key always gives
 * the same id, so a message sent again after a crash carries the id of the
 * first copy and mail systems (and people) can tell it is the same message.
 */
export function messageIdFor(key: string, domain: string): string {
  let local = key.replace(ATEXT, (c) => [...Buffer.from(c, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) local = local.replace(/\./g, '=2E');
  return `<${local}@${domain}>`;
}

/** A key as a file name: readable, and the same key always names the same file. */
export function fileNameFor(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, (c) => `%${[...Buffer.from(c, 'utf8')].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('%')}`);
}

/** Rejects with `message` if `work` takes longer than `ms`; the work itself may still finish later. */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
