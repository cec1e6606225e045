/**
 * Receiving over SMPP: a deliver_sm that is not a delivery receipt is an SMS someone sent to us. This module
 * reads it (text, numbers, the SMSC's id); the SMPP adapter's session hands it over and acknowledges it once
 * stored (deliver_sm_resp), so an SMSC that got no acknowledgement delivers it again and we store it once.
 */
import { createHash } from 'node:crypto';
import smpp, { type PDU } from 'smpp';
import type { InboundMessage } from './deliverer.ts';

const UCS2 = 0x08;

/**
 * The text of a short_message or message_payload. The smpp library decodes by data_coding (0: GSM-7, 3:
 * Latin-1, 8: UCS2) and hands back `{ message, udh? }`; a coding it does not know stays a Buffer, read here as
 * UCS2 when data_coding says so and Latin-1 otherwise (never lost, at worst odd letters).
 */
export function inboundText(field: unknown, dataCoding: number): string {
  const value = field && typeof field === 'object' && 'message' in field ? (field as { message: unknown }).message : field;
  if (typeof value === 'string') return value;
  if (!Buffer.isBuffer(value)) return '';
  if ((dataCoding & 0x0f) === UCS2) return smpp.encodings.UCS2.decode(value);
  // Latin-1 (3) and any other coding but the SMSC default (0) are read as Latin-1: a byte each, nothing lost.
  if (dataCoding !== 0) return smpp.encodings.LATIN1.decode(value);
  return smpp.encodings.ASCII.decode(value);
}

/** A number as E.164 when the SMSC says it is international (TON 1) and gives digits; else as given. */
const numberOf = (addr: unknown, ton: unknown): string => {
  const text = typeof addr === 'string' ? addr.trim() : '';
  return Number(ton) === smpp.TON.INTERNATIONAL && /^[0-9]{6,15}$/.test(text) ? `+${text}` : text;
};

/** How long a repeat of a message without an SMSC id still counts as the same message (see `inboundFrom`). */
const SAME_MESSAGE_MS = 10 * 60 * 1000;

/**
 * An ordinary (mobile-originated) deliver_sm as a message to store, or undefined for a receipt. SMPP 3.4 gives
 * a mobile-originated message no id of its own; the SMSC's id is taken where an SMSC puts one (the
 * `receipted_message_id` TLV some SMSCs fill for MO too), else it is a hash of sender, recipient, text and the
 * SMSC's `schedule_delivery_time` or, without one, the ten minutes the message arrived in: a repeat after a
 * lost acknowledgement arrives within seconds, while the same word texted again later is a new message. A repeat
 * that crosses the ten-minute mark is stored twice, and answered twice at worst.
 */
export function inboundFrom(pdu: PDU, receivedAt: Date): InboundMessage | undefined {
  if ((Number(pdu.esm_class) & 0x3c) === smpp.ESM_CLASS.MC_DELIVERY_RECEIPT) return undefined;
  const dataCoding = Number(pdu.data_coding ?? 0);
  const text = inboundText(pdu.short_message, dataCoding) || inboundText(pdu.message_payload, dataCoding);
  const from = numberOf(pdu.source_addr, pdu.source_addr_ton);
  const to = numberOf(pdu.destination_addr, pdu.dest_addr_ton);
  const given = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id.trim() : '';
  if (given) return { smscId: `smpp:${given}`, from, to, text };
  const when = typeof pdu.schedule_delivery_time === 'string' && pdu.schedule_delivery_time ? pdu.schedule_delivery_time : String(Math.floor(receivedAt.getTime() / SAME_MESSAGE_MS));
  const digest = createHash('sha256').update(JSON.stringify([from, to, text, when])).digest('hex').slice(0, 32);
  return { smscId: `smpp-hash:${digest}`, from, to, text };
}
