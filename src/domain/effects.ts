/**
 * What a decision asks the application to do, as plain data: the jobs to
 * enqueue or cancel, the lines to move, the messages to send and the codes to
 * issue. The application saves them in its transaction; the domain never does.
 */
import type { Actor } from './channels.ts';
import { AppError } from './errors.ts';
import type { Language } from './languages.ts';
import type { LineState } from './inventory.ts';
import type { Customer, Line } from './model.ts';
import type { SmsPreviewFacts } from './sms-commands.ts';
import type { CodePurpose } from './termination.ts';
import type { Instant } from './time.ts';

/** A durable job to add; a second one with the same key is not added. */
export interface JobIntent {
  readonly kind: 'termination.execute' | 'termination.expire';
  readonly key: string;
  readonly subject: string;
  readonly runAt: Instant;
}

/** A line to move through its table (the application records the event it returns). */
export interface LineChange {
  readonly line: Line;
  readonly to: LineState;
  readonly actor: Actor;
  readonly reason: string | null;
}

/** One message to one address; one per key, so re-sending after a crash is a no-op. */
export interface Notice {
  readonly key: string;
  readonly customerId: string;
  readonly subjectRef: string | null;
  readonly template: string;
  readonly medium: 'email' | 'sms';
  readonly address: string;
  readonly language: Language;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A confirmation code to send by SMS to the line (the application picks the holder's language). */
export interface CodeIntent {
  readonly customerId: string;
  readonly purpose: CodePurpose;
  /** For `sms_cancel`: the preview the code's SMS states. */
  readonly preview?: Omit<SmsPreviewFacts, 'code'>;
  readonly subject: string;
  readonly msisdn: string;
}

/** A request the domain refuses, with the stable code of the catalogue. */
export interface Refused {
  readonly kind: 'refused';
  readonly error: AppError;
}

/** Runs a decision and turns the domain's refusals (AppError) into a `refused` outcome; anything else still throws. */
export function refusing<T>(decide: () => T): T | Refused {
  try {
    return decide();
  } catch (e) {
    if (e instanceof AppError) return { kind: 'refused', error: e };
    throw e;
  }
}

/** Every contact channel the customer has: the line itself by SMS, and e-mail where known. */
export function toAllContacts(
  customer: Customer,
  line: Pick<Line, 'msisdn'>,
  template: string,
  subjectRef: string,
  payload: Readonly<Record<string, unknown>>,
  /** What makes the message unique; a time-ordered id keeps the outbox's key index append-only. */
  keyBase: string = subjectRef,
): Notice[] {
  const base = { customerId: customer.id, subjectRef, template, language: customer.language, payload };
  const messages: Notice[] = [{ ...base, key: `${keyBase}:${template}:sms`, medium: 'sms', address: line.msisdn }];
  if (customer.email) messages.push({ ...base, key: `${keyBase}:${template}:email`, medium: 'email', address: customer.email });
  return messages;
}
