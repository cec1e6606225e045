import type { OutgoingMessage } from '../adapters/ports.ts';
import type { Customer, Line } from '../domain/model.ts';

/** Every contact channel the customer has: the line itself by SMS, and e-mail where known. */
export function toAllContacts(
  customer: Customer,
  line: Line,
  template: string,
  subjectRef: string,
  payload: Readonly<Record<string, unknown>>,
  /** What makes the message unique; a time-ordered id keeps the outbox's key index append-only. */
  keyBase: string = subjectRef,
): OutgoingMessage[] {
  const base = { customerId: customer.id, subjectRef, template, language: customer.language, payload };
  const messages: OutgoingMessage[] = [{ ...base, key: `${keyBase}:${template}:sms`, medium: 'sms', address: line.msisdn }];
  if (customer.email) messages.push({ ...base, key: `${keyBase}:${template}:email`, medium: 'email', address: customer.email });
  return messages;
}
