import type { OutgoingMessage } from '../adapters/ports.ts';
import type { Customer, Line } from '../domain/model.ts';

/** Every contact channel the customer has: the line itself by SMS, and e-mail where known. */
export function toAllContacts(
  customer: Customer,
  line: Line,
  template: string,
  subjectRef: string,
  payload: Readonly<Record<string, unknown>>,
): OutgoingMessage[] {
  const base = { customerId: customer.id, subjectRef, template, language: customer.language, payload };
  const messages: OutgoingMessage[] = [{ ...base, key: `${template}:${subjectRef}:sms`, medium: 'sms', address: line.msisdn }];
  if (customer.email) messages.push({ ...base, key: `${template}:${subjectRef}:email`, medium: 'email', address: customer.email });
  return messages;
}
