/**
 * SMS through an SMSC over SMPP 3.4, configured by one URL:
 * `smpp://system_id:password@host:2775` (`ssmpp://` for TLS). Options as
 * query parameters:
 *   - `system_type`: sent at bind;
 *   - `source_ton`, `source_npi`: for the sender (default: alphanumeric
 *     when the sender has letters, else unknown/ISDN);
 *   - `long`: how a text over one SMS goes: `payload` (default) whole in the
 *     message_payload TLV, the SMSC splits it; `udh` as concatenated parts
 *     (153 GSM characters or 67 UCS2 characters each, with a user data
 *     header), for SMSCs that do not take message_payload. The parts share a
 *     reference made from the notification key, so a resend after a crash
 *     reassembles like the first; the first part's message id is the one
 *     recorded, so its receipt stands for the message;
 *   - `key_tlv`: a vendor-specific TLV tag (0x1400–0x3FFF) that carries the
 *     notification key with each submit_sm, for SMSCs that de-duplicate on it.
 *     Off by default: an SMSC may refuse a TLV it does not know
 *     (ESME_ROPTPARNOTALLWD).
 *
 * One transceiver session stays bound, kept alive by enquire_link, so
 * delivery receipts (deliver_sm) arrive on it; each is handed to the receipt
 * sink before it is acknowledged, so an SMSC resends a receipt we failed to record.
 * SMS sent to us arrive on the same session (deliver_sm without the receipt flag):
 * smpp-inbound.ts reads them and the inbound sink stores them before the
 * acknowledgement; `listen` binds without waiting for a message to send.
 * GSM-7 text goes with data_coding 0; anything else (Cyrillic, Chinese) as
 * UCS2 (data_coding 8).
 */
import { createHash } from 'node:crypto';
import smpp, { type PDU, type Session } from 'smpp';
import { type Deliverer, type DeliveryMessage, type InboundSink, PermanentDeliveryError, type ReceiptSink, withTimeout } from './deliverer.ts';
import { inboundFrom } from './smpp-inbound.ts';

export interface SmppOptions {
  readonly sender: string;
  readonly onReceipt: ReceiptSink;
  /** Where SMS sent to us go (deliver_sm that is no receipt, see smpp-inbound.ts); without it they are acknowledged and dropped. */
  readonly onInbound?: InboundSink;
  /** How long a bind or a submit may take; keep it below the outbox lease. */
  readonly timeoutMs?: number;
  readonly enquireLinkMs?: number;
  /** Receives errors the session reports between sends (a receipt that could not be recorded, a dropped link). */
  readonly onError?: (error: Error) => void;
}

const STATES: Readonly<Record<number, string>> = {
  0: 'scheduled',
  1: 'enroute',
  2: 'delivered',
  3: 'expired',
  4: 'deleted',
  5: 'undeliverable',
  6: 'accepted',
  7: 'unknown',
  8: 'rejected',
  9: 'skipped',
};
const STAT_WORDS: Readonly<Record<string, string>> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'deleted',
  UNDELIV: 'undeliverable',
  ACCEPTD: 'accepted',
  UNKNOWN: 'unknown',
  REJECTD: 'rejected',
  ENROUTE: 'enroute',
};

/** Refusals a retry cannot change. */
const PERMANENT_STATUS = new Set([0x0b /* ESME_RINVDSTADR */]);
const ESME_RX_T_APPN = 0x64;

const textOf = (field: unknown): string =>
  typeof field === 'string' ? field : field && typeof field === 'object' && 'message' in field ? String((field as { message: unknown }).message) : '';

/** The receipt a deliver_sm carries, or undefined when it is an ordinary mobile-originated message. */
export function receiptFrom(pdu: PDU): { providerId: string; status: string; error: string | null } | undefined {
  if ((Number(pdu.esm_class) & 0x3c) !== smpp.ESM_CLASS.MC_DELIVERY_RECEIPT) return undefined;
  const body = textOf(pdu.short_message) || textOf(pdu.message_payload);
  const id = typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : /\bid:(\S+)/i.exec(body)?.[1];
  if (!id) return undefined;
  const stat = /\bstat:(\w+)/i.exec(body)?.[1]?.toUpperCase();
  const status = typeof pdu.message_state === 'number' ? (STATES[pdu.message_state] ?? 'unknown') : stat ? (STAT_WORDS[stat] ?? stat.toLowerCase()) : 'unknown';
  const err = /\berr:(\w+)/i.exec(body)?.[1];
  return { providerId: id, status, error: status === 'delivered' || !err || /^0+$/.test(err) ? null : `err:${err}` };
}

/** The 16-bit user_message_reference for a key: not unique, but it lets a resend be matched to the first copy. */
export const userMessageReference = (key: string) => createHash('sha256').update(key).digest().readUInt16BE(0);

const SINGLE = { gsm: 160, ucs2: 70 } as const;
const PART = { gsm: 153, ucs2: 67 } as const;

/**
 * The parts of a text as concatenated SMS: one part when it fits one SMS,
 * else parts of at most 153 GSM septets (an escaped character such as € takes
 * two and is never split) or 67 UTF-16 units (a surrogate pair is never split).
 */
export function smsParts(text: string, gsm: boolean): string[] {
  const size = (ch: string) => (gsm ? smpp.encodings.ASCII.encode(ch).length : ch.length);
  const chars = [...text];
  const total = chars.reduce((n, ch) => n + size(ch), 0);
  if (total <= (gsm ? SINGLE.gsm : SINGLE.ucs2)) return [text];
  const limit = gsm ? PART.gsm : PART.ucs2;
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of chars) {
    const n = size(ch);
    if (used + n > limit) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += n;
  }
  if (current) parts.push(current);
  return parts;
}

/** Whether a text goes as GSM-7 (data_coding 0); anything else goes as UCS2. */
export const isGsm7 = (text: string): boolean => smpp.encodings.ASCII.match(text);

/** How many SMS a text takes as submitted here: 160/153 GSM-7 septets or 70/67 UCS2 units a part. */
export const smsSegments = (text: string): number => smsParts(text, isGsm7(text)).length;

let keyTlvTag: number | undefined;
function registerKeyTlv(tag: number): void {
  if (keyTlvTag === tag) return;
  if (keyTlvTag !== undefined) throw new Error(`smpp key_tlv is already 0x${keyTlvTag.toString(16)} in this process`);
  smpp.addTLV('simexit_key', { id: tag, type: smpp.types.tlv.cstring });
  keyTlvTag = tag;
}

export function smppDeliverer(url: string, options: SmppOptions): Deliverer {
  const target = new URL(url);
  const query = target.searchParams;
  const timeout = options.timeoutMs ?? 30_000;
  const keyTlv = query.get('key_tlv') ? Number(query.get('key_tlv')) : undefined;
  if (keyTlv !== undefined) {
    if (!(keyTlv >= 0x1400 && keyTlv <= 0x3fff)) throw new Error('smpp key_tlv must be a vendor-specific tag, 0x1400 to 0x3FFF');
    registerKeyTlv(keyTlv);
  }
  const longAs = query.get('long') ?? 'payload';
  if (longAs !== 'payload' && longAs !== 'udh') throw new Error('smpp long must be payload or udh');
  const alphanumeric = /[^0-9+]/.test(options.sender);
  const sourceTon = Number(query.get('source_ton') ?? (alphanumeric ? smpp.TON.ALPHANUMERIC : smpp.TON.UNKNOWN));
  const sourceNpi = Number(query.get('source_npi') ?? (alphanumeric ? smpp.NPI.UNKNOWN : smpp.NPI.ISDN));

  let bound: Promise<Session> | undefined;
  let closing = false;
  const pending = new Set<(e: Error) => void>();
  const report = (e: Error) => options.onError?.(e);

  function dropped(which: Promise<Session> | undefined, reason: Error): void {
    if (bound === which) bound = undefined;
    for (const reject of pending) reject(reason);
    pending.clear();
  }

  async function onDeliver(session: Session, pdu: PDU): Promise<void> {
    const receipt = receiptFrom(pdu);
    try {
      if (receipt) await options.onReceipt({ ...receipt, medium: 'sms', at: new Date().toISOString() });
      else {
        const inbound = options.onInbound ? inboundFrom(pdu, new Date()) : undefined;
        if (inbound) await options.onInbound?.(inbound);
      }
      session.send(pdu.response());
    } catch (e) {
      // Not acknowledged: the SMSC sends the receipt (or the message) again later.
      session.send(pdu.response({ command_status: ESME_RX_T_APPN }));
      report(e as Error);
    }
  }

  function connect(): Promise<Session> {
    if (bound) return bound;
    const link: { session?: Session; bound?: Promise<Session> } = {};
    const attempt = new Promise<Session>((resolve, reject) => {
      const session = smpp.connect(
        { host: target.hostname, port: Number(target.port || (target.protocol === 'ssmpp:' ? 3550 : 2775)), tls: target.protocol === 'ssmpp:', auto_enquire_link_period: options.enquireLinkMs ?? 30_000 },
        () => {
          session.bind_transceiver(
            { system_id: decodeURIComponent(target.username), password: decodeURIComponent(target.password), system_type: query.get('system_type') ?? '' },
            (pdu) => {
              if (pdu.command_status === 0) return resolve(session);
              reject(new Error(`SMPP bind refused with status 0x${pdu.command_status.toString(16)}`));
              session.destroy();
            },
          );
        },
      );
      link.session = session;
      session.on('deliver_sm', (pdu: PDU) => void onDeliver(session, pdu));
      session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: PDU) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('error', (e: Error) => {
        reject(e);
        if (!closing) report(e);
        dropped(link.bound, e);
      });
      session.on('close', () => {
        reject(new Error('SMPP connection closed'));
        dropped(link.bound, new Error('SMPP connection closed'));
      });
    });
    const mine = withTimeout(attempt, timeout, 'SMPP bind timed out');
    link.bound = mine;
    mine.catch(() => {
      if (bound === mine) bound = undefined;
      link.session?.destroy();
    });
    bound = mine;
    return mine;
  }

  function submitOne(session: Session, pdu: Record<string, unknown>): Promise<PDU> {
    const answer = new Promise<PDU>((resolve, reject) => {
      pending.add(reject);
      const sent = session.submit_sm(pdu, (response) => {
        pending.delete(reject);
        resolve(response);
      });
      if (!sent) {
        pending.delete(reject);
        reject(new Error('SMPP connection is not writable'));
      }
    });
    return withTimeout(answer, timeout, 'SMPP submit_sm timed out').then((response) => {
      if (response.command_status !== 0) {
        const error = `SMSC refused submit_sm with status 0x${response.command_status.toString(16)}`;
        throw PERMANENT_STATUS.has(response.command_status) ? new PermanentDeliveryError(error) : new Error(error);
      }
      return response;
    });
  }

  async function submit(session: Session, message: DeliveryMessage): Promise<string> {
    const gsm = isGsm7(message.text);
    const base: Record<string, unknown> = {
      source_addr_ton: sourceTon,
      source_addr_npi: sourceNpi,
      source_addr: options.sender,
      dest_addr_ton: smpp.TON.INTERNATIONAL,
      dest_addr_npi: smpp.NPI.ISDN,
      destination_addr: message.to.replace(/^\+/, ''),
      registered_delivery: smpp.REGISTERED_DELIVERY.FINAL,
      data_coding: gsm ? smpp.ENCODING.SMSC_DEFAULT : smpp.ENCODING.UCS2,
      user_message_reference: userMessageReference(message.key),
      ...(keyTlv !== undefined ? { simexit_key: message.key } : {}),
    };
    const parts = smsParts(message.text, gsm);
    if (parts.length === 1) return String((await submitOne(session, { ...base, short_message: message.text })).message_id);
    if (longAs === 'payload') return String((await submitOne(session, { ...base, message_payload: message.text })).message_id);
    // 8-bit concatenation header: IEI 0, length 3, reference, count, sequence number.
    const reference = userMessageReference(message.key) & 0xff;
    const ids: string[] = [];
    for (const [i, part] of parts.entries()) {
      const udh = Buffer.from([0x05, 0x00, 0x03, reference, parts.length, i + 1]);
      // Each part its own key: an SMSC that de-duplicates on the key TLV would drop parts 2…n as repeats of part 1.
      const keyed = keyTlv !== undefined ? { simexit_key: `${message.key}#${i + 1}/${parts.length}` } : {};
      ids.push(String((await submitOne(session, { ...base, ...keyed, esm_class: 0, short_message: { udh, message: part } })).message_id));
    }
    return ids[0] as string;
  }

  return {
    async send(message) {
      return { providerId: await submit(await connect(), message) };
    },
    async listen() {
      if (!closing) await connect();
    },
    async close() {
      closing = true;
      const current = bound;
      bound = undefined;
      const session = await current?.catch(() => undefined);
      if (!session) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => session.destroy(() => resolve()), 2000);
        const unbound = session.unbind({}, () => {
          clearTimeout(timer);
          session.close(() => resolve());
        });
        if (!unbound) {
          clearTimeout(timer);
          resolve();
        }
      });
    },
  };
}
