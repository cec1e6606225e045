/**
 * Text-to-cancel (issue 14): what the short number does with an SMS it received. Receiving (SMPP deliver_sm,
 * the HTTP webhook) only stores the message with its `sms.inbound` job (`receiveInboundSms`); the worker runs
 * `handleInboundSms` once per message. The keyword asks for the same order as any other channel (channel
 * `sms`, the subscriber's own authority), whose code goes out with the preview; the code texted back confirms.
 * Every reply is an outbox message, enqueued in the transaction that marks the message handled, so a repeated
 * job neither acts nor answers twice.
 */
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import type { Line } from '../domain/model.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { DEFAULT_SMS_TICKET_LETTER } from '../domain/policy.ts';
import type { EffectiveChoice } from '../domain/preview.ts';
import { shopNameIn } from '../domain/shop.ts';
import { peopleAhead } from '../domain/shop-queue.ts';
import { DEFAULT_SMS_RATE, MAX_TICKET_SHOPS, parseInboundSms, type SmsReply, smsRateDecision } from '../domain/sms-commands.ts';
import { addSeconds } from '../domain/time.ts';
import { SMS_CANCELLATION_REASON, smsPreviewOf, type Termination } from '../domain/termination.ts';
import { smsReplyPayload } from '../notifications/sms-replies.ts';
import type { Payloads } from '../notifications/templates.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { type InboundSms, inboundSmsById, inboundTimesBefore, markInboundHandled, type NewInboundSms, recordInboundSms } from '../store/inbound-sms.repository.ts';
import { liveLinesByMsisdn } from '../store/lines.repository.ts';
import { voidOpenCodesFor } from '../store/otp.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import { listShops, openTicketsOf, servicesOf } from '../store/shops.repository.ts';
import { openTerminationsByLine } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import { checkOtp, issueOtpsIn } from './otp.ts';
import { requestInTransaction } from './request-terminations.ts';
import { takeTicketIn } from './shop-kiosk.ts';
import { confirmTermination } from './termination-actions.ts';

/** Stores a received SMS once per SMSC id, with the job that handles it; `created` is false for a repeat. */
export async function receiveInboundSms(ctx: AppContext, sms: NewInboundSms): Promise<{ id: string; created: boolean }> {
  return inTransaction(ctx.store, (tx) => recordInboundSms(tx, sms, ctx.policy.worker.maxAttempts, ctx.clock()));
}

/** What handling a message did, as recorded in `inbound_sms.outcome`. */
export type InboundOutcome = 'not_ours' | 'rate_limited' | 'code_sent' | 'blocked' | 'refused' | 'confirmed' | 'wrong_code' | 'stopped' | 'help' | 'ticket_taken' | 'ticket_shops' | 'other';

interface Sender {
  readonly line: Line;
  readonly language: Language;
}

/** The line texting us, by the sender's number read in the operator's country; undefined for a number not ours. */
async function senderOf(ctx: AppContext, from: string): Promise<Sender | undefined> {
  let msisdn: string;
  try {
    msisdn = normalizeMsisdn(from, ctx.policy.operator.country);
  } catch {
    return undefined;
  }
  const line = (await liveLinesByMsisdn(ctx.store.db, [msisdn])).get(msisdn);
  if (!line) return undefined;
  const customer = (await customersById(ctx.store.db, [line.customerId])).get(line.customerId);
  return { line, language: customer?.language ?? ctx.policy.defaultLanguage };
}

/** What the short number answers a message with: its own reply, or a shop's (the list, the ticket taken). */
type Answer = { [T in 'sms.reply' | 'shop.ticket_shops' | 'shop.ticket_taken']: { readonly template: T; readonly payload: Payloads[T] } }['sms.reply' | 'shop.ticket_shops' | 'shop.ticket_taken'];

const reply = (r: Exclude<SmsReply, { kind: 'preview' }>): Answer => ({ template: 'sms.reply', payload: smsReplyPayload(r) });

/** Marks the message handled and enqueues its answer in `tx`; nothing when another run handled it first. */
async function finishIn(ctx: AppContext, tx: Tx, message: InboundSms, outcome: InboundOutcome, to: Sender | undefined, answer: Answer | null, reference: string | null = null): Promise<InboundOutcome> {
  const now = ctx.clock();
  if (!(await markInboundHandled(tx, message.id, outcome, now))) throw new AlreadyHandled();
  if (answer && to) {
    await ctx.adapters.notifier.enqueue(
      tx,
      [{ key: `sms.reply:${message.id}`, customerId: to.line.customerId, subjectRef: reference, template: answer.template, medium: 'sms', address: to.line.msisdn, language: to.language, payload: answer.payload }],
      now,
    );
  }
  return outcome;
}

class AlreadyHandled extends Error {}

const finish = (ctx: AppContext, ...args: Parameters<typeof finishIn> extends [AppContext, Tx, ...infer R] ? R : never) => inTransaction(ctx.store, (tx) => finishIn(ctx, tx, ...args));

/** An order asked for by SMS, still waiting for its code. */
const awaitingSmsCode = (t: Termination): boolean => t.state === 'awaiting_confirmation' && t.reason === SMS_CANCELLATION_REASON;

/**
 * Handles one stored message (the `sms.inbound` job's work). A number that is not ours gets no reply (see
 * SmsReply); a number over the rate limit only the first refusal's. Returns the outcome, or undefined when the
 * message was handled already.
 */
export async function handleInboundSms(ctx: AppContext, inboundId: string): Promise<InboundOutcome | undefined> {
  const message = await inboundSmsById(ctx.store.db, inboundId);
  if (!message || message.handledAt) return undefined;
  try {
    return await handle(ctx, message);
  } catch (e) {
    if (e instanceof AlreadyHandled) return undefined;
    throw e;
  }
}

async function handle(ctx: AppContext, message: InboundSms): Promise<InboundOutcome> {
  const sender = await senderOf(ctx, message.from);
  if (!sender) return finish(ctx, message, 'not_ours', undefined, null);
  const rate = smsRateDecision(await inboundTimesBefore(ctx.store.db, message, addSeconds(message.receivedAt, -DEFAULT_SMS_RATE.windowSeconds)), message.receivedAt, DEFAULT_SMS_RATE);
  if (rate.kind === 'refuse') return finish(ctx, message, 'rate_limited', sender, rate.tell ? reply({ kind: 'rate_limited', retryAfterSeconds: rate.retryAfterSeconds }) : null);
  const command = parseInboundSms(message.text, ctx.policy.otp.length);
  const open = (await openTerminationsByLine(ctx.store.db, [sender.line.id])).get(sender.line.id);
  switch (command.kind) {
    case 'cancel':
      return askToCancel(ctx, message, sender, open);
    case 'confirm':
      return confirmByCode(ctx, message, sender, open, command.code);
    case 'stop':
      return inTransaction(ctx.store, async (tx) => {
        if (open && awaitingSmsCode(open)) await voidOpenCodesFor(tx, 'sms_cancel', open.reference, ctx.clock());
        return finishIn(ctx, tx, message, 'stopped', sender, reply({ kind: 'stopped' }));
      });
    case 'help':
      return finish(ctx, message, 'help', sender, reply({ kind: 'help' }));
    case 'ticket':
      return ticketByText(ctx, message, { ...sender, language: command.language }, command.shop);
    case 'other':
      return finish(ctx, message, 'other', sender, reply({ kind: 'help' }));
  }
}

/** The end of the current period where the policy offers it: a text gives no date, and it keeps what was paid for. */
function effectiveByText(ctx: AppContext): EffectiveChoice {
  const allowed = ctx.policy.effectiveDates.allowed;
  return { mode: allowed.includes('end_of_period') ? 'end_of_period' : allowed.includes('now') ? 'now' : 'date' };
}

/**
 * The keyword: a new order (its code and preview go out with it), or a new code for the order the keyword
 * asked for before. An order open through another channel, or a refused request, gets the help text (the
 * refusal's reasons are for the site or a shop, not two SMS).
 */
async function askToCancel(ctx: AppContext, message: InboundSms, sender: Sender, open: Termination | undefined): Promise<InboundOutcome> {
  const { line, language } = sender;
  if (open && awaitingSmsCode(open)) {
    return inTransaction(ctx.store, async (tx) => {
      await issueOtpsIn(ctx, tx, [{ customerId: line.customerId, purpose: 'sms_cancel', subject: open.reference, msisdn: line.msisdn, language, preview: smsPreviewOf(open) }], { replace: true });
      return finishIn(ctx, tx, message, 'code_sent', sender, null, open.reference);
    });
  }
  if (open) return finish(ctx, message, 'refused', sender, reply({ kind: 'help' }), open.reference);
  return inTransaction(ctx.store, async (tx) => {
    const [outcome] = await requestInTransaction(ctx, tx, [
      {
        lineId: line.id,
        channel: 'sms',
        authority: 'subscriber',
        actor: { kind: 'customer', id: line.customerId, channel: 'sms' },
        effective: effectiveByText(ctx),
        reason: SMS_CANCELLATION_REASON,
      },
    ]);
    if (outcome?.kind !== 'created') return finishIn(ctx, tx, message, 'refused', sender, reply({ kind: 'help' }));
    // The code and its preview went out with the order (see confirmationCodeFor); a blocked order's receipt says why it waits.
    return finishIn(ctx, tx, message, outcome.termination.state === 'blocked' ? 'blocked' : 'code_sent', sender, null, outcome.termination.reference);
  });
}

/** The code texted back confirms the order the keyword asked for; wrong, expired or with nothing waiting: the wrong-code reply. */
async function confirmByCode(ctx: AppContext, message: InboundSms, sender: Sender, open: Termination | undefined, code: string): Promise<InboundOutcome> {
  // Confirmed already (a repeated job after the confirmation committed): say so again rather than "wrong code".
  if (open?.state === 'scheduled' && open.reason === SMS_CANCELLATION_REASON && open.confirmedAt) {
    return finish(ctx, message, 'confirmed', sender, reply({ kind: 'confirmed', reference: open.reference, effectiveAt: open.effectiveAt }), open.reference);
  }
  if (!open || !awaitingSmsCode(open)) return finish(ctx, message, 'wrong_code', sender, reply({ kind: 'wrong_code', attemptsLeft: 0 }));
  const actor = { kind: 'customer', id: open.customerId, channel: 'sms' } as const;
  try {
    const checked = await checkOtp(ctx, { purpose: 'sms_cancel', subject: open.reference, code, address: `sms:${sender.line.msisdn}` });
    const confirmed = await confirmTermination(ctx, open.reference, actor, { within: (tx) => checked.spend(tx) });
    return finish(ctx, message, 'confirmed', sender, reply({ kind: 'confirmed', reference: confirmed.reference, effectiveAt: confirmed.effectiveAt }), confirmed.reference);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.code === 'OTP_INVALID') {
      const left = Number(e.details.attemptsLeft ?? 0);
      return finish(ctx, message, 'wrong_code', sender, reply({ kind: 'wrong_code', attemptsLeft: Number.isFinite(left) ? left : 0 }), open.reference);
    }
    if (e.code === 'OTP_EXPIRED' || e.code === 'OTP_LOCKED') return finish(ctx, message, 'wrong_code', sender, reply({ kind: 'wrong_code', attemptsLeft: 0 }), open.reference);
    return finish(ctx, message, 'refused', sender, reply({ kind: 'help' }), open.reference);
  }
}

/**
 * TICKET alone lists the shops (numbered in a stable order, by id); TICKET and a number takes a remote ticket
 * at that shop for the line's own number, in the keyword's language, with the kiosk's limits per number, for the
 * service with the policy's letter (`shops.smsTicketLetter`, else the shop's first). The ticket, its limits and
 * the message marked handled commit together: a job run again after a crash finds the message handled and takes
 * no second ticket. The sender can be forged, but the ticket and every message about it go only to the line's
 * real number, nobody checks a forged ticket in, so it is never called, and the number asking again is given the
 * ticket it holds (takeTicketIn), so forged texts never use up the owner's limit.
 */
async function ticketByText(ctx: AppContext, message: InboundSms, sender: Sender, shopNumber: number | null): Promise<InboundOutcome> {
  const shops = (await listShops(ctx.store.db)).filter((s) => s.languages.includes(sender.language)).slice(0, MAX_TICKET_SHOPS);
  const shop = shopNumber === null ? undefined : shops[shopNumber - 1];
  if (!shop) {
    if (shops.length === 0) return finish(ctx, message, 'other', sender, reply({ kind: 'help' }));
    return finish(ctx, message, 'ticket_shops', sender, { template: 'shop.ticket_shops', payload: { shops: shops.map((s, i) => `${i + 1} ${shopNameIn(s, sender.language)}`).join('\n') } });
  }
  const letter = ctx.policy.shops?.smsTicketLetter ?? DEFAULT_SMS_TICKET_LETTER;
  const services = await servicesOf(ctx.store.db, shop.id);
  const service = services.find((s) => s.letter === letter) ?? services[0];
  if (!service) return finish(ctx, message, 'other', sender, reply({ kind: 'help' }));
  try {
    return await inTransaction(ctx.store, async (tx) => {
      const { ticket } = await takeTicketIn(ctx, tx, shop.id, { serviceId: service.id, language: sender.language, phone: sender.line.msisdn }, `sms:${sender.line.msisdn}`);
      const ahead = peopleAhead(ticket, await openTicketsOf(tx, shop.id));
      return finishIn(ctx, tx, message, 'ticket_taken', sender, { template: 'shop.ticket_taken', payload: { number: ticket.number, shopName: shopNameIn(shop, sender.language), ahead } });
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'TOO_MANY_TICKETS') {
      return finish(ctx, message, 'rate_limited', sender, reply({ kind: 'rate_limited', retryAfterSeconds: Number(e.details.retryAfterSeconds ?? 900) }));
    }
    throw e;
  }
}
