/**
 * Receiving over SMPP: a deliver_sm that is not a delivery receipt is an SMS someone sent to us. This module
 * reads it (text, numbers, the SMSC's id); the SMPP adapter's session hands it over and acknowledges it once
 * stored (deliver_sm_resp), so an SMSC that got no acknowledgement delivers it again and we store it once.
 */
import { createHash } from 'node:crypto';
import smpp, { type PDU } from 'smpp';
import { type PartHeader, partHeaderOfSar, partHeaderOfUdh } from '../../domain/sms-parts.ts';
import type { InboundMessage } from './deliverer.ts';

const UCS2 = 0x08;
/** esm_class: the short message begins with a User Data Header. */
const UDHI = 0x40;

/**
 * The text of a short_message or message_payload. The smpp library decodes by data_coding (0 and 1: GSM-7 one
 * septet per octet, 3: Latin-1, 8: UCS2) and hands back `{ message, udh? }`, the UDH split off when esm_class
 * has UDHI (0x40); a coding it does not know stays a Buffer, read here as UCS2 when data_coding says so and
 * Latin-1 otherwise (never lost, at worst odd letters). Its UCS2 decoder keeps half a surrogate pair at the end
 * of a part as one lone code unit, which is what joining parts needs (src/domain/sms-parts.ts).
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
  const field = inboundText(pdu.short_message, dataCoding) ? pdu.short_message : pdu.message_payload;
  const text = inboundText(field, dataCoding);
  const from = numberOf(pdu.source_addr, pdu.source_addr_ton);
  const to = numberOf(pdu.destination_addr, pdu.dest_addr_ton);
  const header = partHeaderOf(pdu, field);
  // GSM-7 (data_coding 0 or 1, what the library reads as GSM) matters for joining: see joinParts.
  const part = header ? { ...header, gsm: (dataCoding & 0x0f) <= 1 } : undefined;
  const message = { from, to, text, ...(part ? { part } : {}) };
  const given = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id.trim() : '';
  if (given) return { smscId: `smpp:${given}`, ...message };
  const when = typeof pdu.schedule_delivery_time === 'string' && pdu.schedule_delivery_time ? pdu.schedule_delivery_time : String(Math.floor(receivedAt.getTime() / SAME_MESSAGE_MS));
  // A part is named by its place too: two parts may say the same (a run of spaces, a repeated word).
  const digest = createHash('sha256').update(JSON.stringify(header ? [from, to, text, when, header.ref, header.total, header.seq] : [from, to, text, when])).digest('hex').slice(0, 32);
  return { smscId: `smpp-hash:${digest}`, ...message };
}

/**
 * Which part of a long SMS a deliver_sm carries: the UDH's concatenation element when esm_class has UDHI (the
 * library has split the header into its elements: put back behind their length octet), else the sar_* TLVs.
 */
function partHeaderOf(pdu: PDU, field: unknown): PartHeader | undefined {
  const elements = field && typeof field === 'object' && 'udh' in field ? (field as { udh: unknown }).udh : undefined;
  if ((Number(pdu.esm_class) & UDHI) !== 0 && Array.isArray(elements) && elements.every((e) => Buffer.isBuffer(e))) {
    const body = Buffer.concat(elements);
    const header = partHeaderOfUdh(Buffer.concat([Buffer.from([body.length & 0xff]), body]));
    if (header) return header;
  }
  return partHeaderOfSar({ ref: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, seq: pdu.sar_segment_seqnum });
}
