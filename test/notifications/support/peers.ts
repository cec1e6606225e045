/** Real protocol peers the delivery tests talk to: an SMTP server and an SMSC, both in this process. */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import smpp, { type PDU, type Session } from 'smpp';
import { SMTPServer } from 'smtp-server';
import { outboxNotifier } from '../../../src/adapters/builtin.ts';
import type { OutgoingMessage } from '../../../src/adapters/ports.ts';
import { inTransaction } from '../../../src/store/database.ts';
import type { TestApp } from '../../support/stores.ts';

export interface SmtpPeer {
  readonly url: string;
  readonly received: ParsedMail[];
  /** Decides the answer to each DATA: undefined accepts; a number rejects with that code. */
  answer: (mail: ParsedMail, index: number) => Promise<number | undefined> | number | undefined;
  /** Recipients refused at RCPT TO with 550. */
  readonly unknownRecipients: Set<string>;
  close(): Promise<void>;
}

export async function startSmtpPeer(credentials = { user: 'simexit', pass: 's3cret' }): Promise<SmtpPeer> {
  const peer = {
    received: [] as ParsedMail[],
    answer: (() => undefined) as SmtpPeer['answer'],
    unknownRecipients: new Set<string>(),
  };
  let queued = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (peer.unknownRecipients.has(address.address)) return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const index = peer.received.length;
          peer.received.push(mail);
          const code = await peer.answer(mail, index);
          if (code) return callback(Object.assign(new Error(`Rejected for the test (${code})`), { responseCode: code }));
          callback(null, `Ok: queued as Q${++queued}`);
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(peer, {
    url: `smtp://${credentials.user}:${credentials.pass}@127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export interface SubmittedSms {
  readonly pdu: PDU;
  /** The text as the SMSC decodes it from data_coding. */
  readonly text: string;
  readonly messageId: string;
}

export interface SmppPeer {
  readonly url: (query?: string) => string;
  readonly submitted: SubmittedSms[];
  /** Binds seen, with the credentials offered. */
  readonly binds: { systemId: string; password: string }[];
  /** What receipt to send back for a submit (`DELIVRD`, `UNDELIV`, …), or undefined for none. */
  receiptFor: (sms: SubmittedSms) => string | undefined;
  /** Statuses of the acknowledgements our side sent for the receipts. */
  readonly receiptAcks: number[];
  /**
   * Sends an SMS someone texted (a mobile-originated deliver_sm) on the bound session, as UCS2 (data_coding 8)
   * unless GSM-7 carries it; `id` goes in receipted_message_id. Resolves with our deliver_sm_resp status.
   */
  deliver(sms: { from: string; to: string; text: string; id?: string }): Promise<number>;
  /** Sends a deliver_sm with these fields as given (raw bytes, UDH, sar_* TLVs); resolves with our status. */
  deliverPdu(fields: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

const decode = (field: unknown): string => (field && typeof field === 'object' && 'message' in field ? String((field as { message: unknown }).message) : '');

export async function startSmppPeer(credentials = { systemId: 'simexit', password: 'pw123' }): Promise<SmppPeer> {
  const peer = {
    submitted: [] as SubmittedSms[],
    binds: [] as { systemId: string; password: string }[],
    receiptAcks: [] as number[],
    receiptFor: (() => 'DELIVRD') as SmppPeer['receiptFor'],
  };
  const sessions = new Set<Session>();
  let next = 1000;
  const server = smpp.createServer({}, (session: Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu: PDU) => {
      peer.binds.push({ systemId: String(pdu.system_id), password: String(pdu.password) });
      const ok = pdu.system_id === credentials.systemId && pdu.password === credentials.password;
      session.send(pdu.response(ok ? {} : { command_status: smpp.ESME_RBINDFAIL }));
    });
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => session.send(pdu.response()));
    session.on('deliver_sm_resp', (pdu: PDU) => peer.receiptAcks.push(pdu.command_status));
    session.on('submit_sm', (pdu: PDU) => {
      const messageId = `M${++next}`;
      const sms: SubmittedSms = { pdu, text: decode(pdu.message_payload) || decode(pdu.short_message), messageId };
      peer.submitted.push(sms);
      session.send(pdu.response({ message_id: messageId }));
      const stat = peer.receiptFor(sms);
      if (!stat) return;
      // Sent at once: a fast SMSC's receipt can overtake the sender recording the send.
      session.deliver_sm({
        source_addr: pdu.destination_addr,
        destination_addr: pdu.source_addr,
        esm_class: smpp.ESM_CLASS.MC_DELIVERY_RECEIPT,
        short_message: `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2611211000 done date:2611211001 stat:${stat} err:${stat === 'DELIVRD' ? '000' : '001'} text:`,
        receipted_message_id: messageId,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const deliverPdu: SmppPeer['deliverPdu'] = (fields) =>
    new Promise<number>((resolve, reject) => {
      const session = [...sessions].at(-1);
      if (!session) return reject(new Error('no bound session to deliver on'));
      session.deliver_sm(fields, (resp: PDU) => {
        resolve(resp.command_status);
      });
    });
  const deliver: SmppPeer['deliver'] = ({ from, to, text, id }) => {
    const gsm = smpp.encodings.ASCII.match(text);
    return deliverPdu({
      source_addr: from.replace(/^\+/, ''),
      source_addr_ton: smpp.TON.INTERNATIONAL,
      source_addr_npi: smpp.NPI.ISDN,
      destination_addr: to,
      data_coding: gsm ? smpp.ENCODING.SMSC_DEFAULT : smpp.ENCODING.UCS2,
      short_message: text,
      ...(id ? { receipted_message_id: id } : {}),
    });
  };
  return Object.assign(peer, {
    deliver,
    deliverPdu,
    url: (query = '') => `smpp://${credentials.systemId}:${credentials.password}@127.0.0.1:${port}${query}`,
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Puts messages in the outbox the way the application does: through the notifier, in a transaction. */
export async function enqueue(app: TestApp, messages: readonly OutgoingMessage[]): Promise<void> {
  await inTransaction(app.store, (tx) => outboxNotifier.enqueue(tx, messages, app.clock()));
}

let counter = 0;
export function message(template: string, medium: 'email' | 'sms', overrides: Partial<OutgoingMessage> & { payload: Readonly<Record<string, unknown>> }): OutgoingMessage {
  counter++;
  return {
    key: `trm_test${counter}:${template}:${medium}`,
    customerId: 'cus_test',
    subjectRef: 'TRM-7KQ2-9XW4',
    template,
    medium,
    address: medium === 'email' ? 'anna@example.test' : '+79991234567',
    language: 'ru',
    ...overrides,
  };
}

export async function notificationRow(app: TestApp, key: string) {
  return app.store.db.selectFrom('notifications').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
}

/** Waits until `check` holds (receipts arrive on their own time). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert(false, `timed out waiting for ${what}`);
}

function assert(ok: boolean, text: string): asserts ok {
  if (!ok) throw new Error(text);
}
