/**
 * Long SMS (issue 14, text-to-cancel): a text longer than one SMS (70 UCS2 or 160 GSM characters) reaches us as
 * parts, each naming its message by a reference, the number of parts and its own place (3GPP TS 23.040
 * §9.2.3.24.1 and .8: the UDH concatenation element, IE 0x00 with an 8-bit or IE 0x08 with a 16-bit reference;
 * or the SMPP 3.4 sar_* TLVs). This file reads those headers and decides, from the parts stored so far, whether a
 * new part is a repeat, whether the message is whole and what it says. No clock, no store.
 *
 * A part's text is kept as UTF-16 code units, which is what decoding a part yields: a UCS2 part may end in the
 * first half of a surrogate pair (phones split 70 code units, not 70 characters), and its code unit stays a
 * lone half until the next part's is joined to it, so joining code units in order is decoding the message's
 * concatenated bytes. GSM 7-bit parts reach SMPP unpacked, a septet per octet, so there are no fill bits to
 * skip after the UDH (those exist only in the packed air-interface form); an escape (0x1B) whose extension
 * character opens the next part is joined here.
 */
import { addSeconds, type Instant } from './time.ts';

/** Which part of which long message: `ref` as the sender's phone numbered it, `seq` from 1 to `total`. */
export interface PartHeader {
  readonly ref: number;
  readonly total: number;
  readonly seq: number;
}

/** A part with its text as decoded (UTF-16 code units, see above); `gsm` when it came in the GSM alphabet. */
export interface MessagePart extends PartHeader {
  readonly text: string;
  readonly gsm: boolean;
}

/**
 * How long the first part of a message waits for the others. SMSCs deliver the parts of one message within
 * seconds; ten minutes covers an SMSC that retries a part after a lost acknowledgement.
 */
export const PARTS_TIMEOUT_SECONDS = 10 * 60;

/**
 * How long a part's header stays "seen": a part of a message already joined (or given up on) arriving within
 * this hour is a repeat or too late, never a new message. A phone counts its references over every long SMS
 * it sends, to anyone; it would take 256 of them (8-bit) within an hour to reuse one towards us.
 */
export const PART_REPEAT_SECONDS = 60 * 60;

const validHeader = (ref: number, total: number, seq: number): PartHeader | undefined =>
  // TS 23.040: a total or a sequence number of 0, or a sequence number above the total, voids the element.
  Number.isInteger(ref) && ref >= 0 && total >= 1 && seq >= 1 && seq <= total ? { ref, total, seq } : undefined;

/**
 * The concatenation header of a User Data Header (`udh` begins with its length octet, UDHL), or undefined when
 * it has none, a void one, or one of a single part (a message of one part is an ordinary message). Of two
 * concatenation elements the last counts (TS 23.040: a repeated element, the last occurrence is used).
 */
export function partHeaderOfUdh(udh: Uint8Array): PartHeader | undefined {
  const end = Math.min(udh.length, 1 + (udh[0] ?? 0));
  let found: PartHeader | undefined;
  for (let at = 1; at + 2 <= end; ) {
    const iei = udh[at] as number;
    const length = udh[at + 1] as number;
    const data = udh.subarray(at + 2, at + 2 + length);
    if (data.length < length) break; // truncated: what follows cannot be read
    if (iei === 0x00 && length === 3) {
      found = validHeader(data[0] as number, data[1] as number, data[2] as number);
    } else if (iei === 0x08 && length === 4) {
      found = validHeader(((data[0] as number) << 8) | (data[1] as number), data[2] as number, data[3] as number);
    }
    at += 2 + length;
  }
  return found && found.total > 1 ? found : undefined;
}

/** A TLV's value as a whole number (webhooks send numbers as text), else NaN. */
const wholeNumber = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^[0-9]{1,5}$/.test(v) ? Number(v) : Number.NaN);

/** The same from the SMPP sar_msg_ref_num, sar_total_segments and sar_segment_seqnum TLVs (all three, or none). */
export function partHeaderOfSar(sar: { ref: unknown; total: unknown; seq: unknown }): PartHeader | undefined {
  const [ref, total, seq] = [sar.ref, sar.total, sar.seq].map(wholeNumber) as [number, number, number];
  const header = ref <= 0xffff && total <= 255 ? validHeader(ref, total, seq) : undefined;
  return header && header.total > 1 ? header : undefined;
}

/** A part already stored with the same sender, recipient, reference and total. */
export interface SeenPart {
  readonly seq: number;
  readonly receivedAt: Instant;
  /** Its message was joined and handed on, or given up on. */
  readonly closed: boolean;
}

/**
 * What to do with a part that arrived `now`, given the parts of the same header seen before: `duplicate` when
 * that place was filled within the repeat window (an SMSC repeat under a new id), `late` when its message was
 * joined or given up on already (kept, but never handled), else `store`.
 */
export function partArrival(seen: readonly SeenPart[], seq: number, now: Instant): 'store' | 'duplicate' | 'late' {
  const recent = seen.filter((p) => p.receivedAt >= partsSeenSince(now));
  if (recent.some((p) => p.seq === seq)) return 'duplicate';
  return recent.some((p) => p.closed) ? 'late' : 'store';
}

/** From when on a stored part counts for `partArrival`. */
export const partsSeenSince = (now: Instant): Instant => addSeconds(now, -PART_REPEAT_SECONDS);

/** When a message whose first part arrived at `firstAt` is given up on. */
export const partsGiveUpAt = (firstAt: Instant): Instant => addSeconds(firstAt, PARTS_TIMEOUT_SECONDS);

/** A stored part of a message still open. */
export interface OpenPart extends MessagePart {
  readonly receivedAt: Instant;
}

/**
 * What the open parts of one message come to at `now`:
 * - `whole`: every place from 1 to the total is filled; the text is theirs joined in order, and the message
 *   counts as received when its last part was.
 * - `wait`: parts are missing and the first arrived less than PARTS_TIMEOUT_SECONDS ago.
 * - `given_up`: parts are still missing after that. The parts that came are not handled as a message: a
 *   fragment can ask for what the whole did not (a keyword must stand alone and a code must come alone, so
 *   "ОТКЛЮЧИТЬ" cut from "ОТКЛЮЧИТЬ ИНТЕРНЕТ", or a code cut from "123456 нет, передумал", would ask for or
 *   confirm the end of a contract the customer did not ask to end). Dropping it costs the customer a retry
 *   (no answer comes, and they text again); acting on half a sentence could cost them their line. The parts
 *   stay stored, marked, for whoever looks into it.
 */
export type PartsDecision =
  | { readonly kind: 'whole'; readonly text: string; readonly receivedAt: Instant }
  | { readonly kind: 'wait'; readonly until: Instant }
  | { readonly kind: 'given_up'; readonly missing: readonly number[] };

export function decideParts(parts: readonly OpenPart[], now: Instant): PartsDecision {
  const total = parts[0]?.total ?? 0;
  const bySeq = new Map<number, OpenPart>();
  for (const p of parts) if (p.total === total && !bySeq.has(p.seq)) bySeq.set(p.seq, p);
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((seq) => !bySeq.has(seq));
  if (total > 0 && missing.length === 0) {
    const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    const receivedAt = ordered.map((p) => p.receivedAt).reduce((a, b) => (a >= b ? a : b));
    return { kind: 'whole', text: joinParts(ordered), receivedAt };
  }
  const firstAt = parts.map((p) => p.receivedAt).reduce((a, b) => (a <= b ? a : b), now);
  const until = partsGiveUpAt(firstAt);
  return now >= until ? { kind: 'given_up', missing } : { kind: 'wait', until };
}

/** GSM 03.38: the extension table, by the default-table character that follows the escape. */
const GSM_EXTENSION: Readonly<Record<string, string>> = { '\n': '\f', Λ: '^', '(': '{', ')': '}', '/': '\\', '<': '[', '=': '~', '>': ']', '¡': '|', e: '€' };

/**
 * The parts' text joined in the order given: code units first, so a surrogate pair split between two UCS2
 * parts is whole again; then a GSM escape left at the end of a part is read with the character that opens the
 * next. Half a pair that stays alone (a malformed part) becomes U+FFFD, as any decoder would show it.
 */
export function joinParts(ordered: readonly MessagePart[]): string {
  let text = '';
  for (const part of ordered) {
    if (part.gsm && text.endsWith('\x1b') && part.text.length > 0) {
      const extension = GSM_EXTENSION[part.text[0] as string];
      text = extension === undefined ? text + part.text : text.slice(0, -1) + extension + part.text.slice(1);
    } else text += part.text;
  }
  return text.toWellFormed();
}
