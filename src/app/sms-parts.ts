/**
 * Long SMS (issue 14, text-to-cancel): an SMS that came in parts is handled once, when every part is in. Each
 * part is stored once (by its SMSC id, and by its place in the message whatever id a repeat brings) with two
 * `sms.parts` jobs: one at once, which joins the message if this part completed it, and one after the timeout,
 * which gives the message up if it is still not whole (see `decideParts` for why it is dropped, not handled
 * half). The joined message is stored like any other SMS, with its `sms.inbound` job, in the transaction that
 * closes its parts, so it is handed on exactly once however the jobs race.
 */
import { addSeconds } from '../domain/time.ts';
import { decideParts, type MessagePart, PARTS_TIMEOUT_SECONDS, partArrival, partsSeenSince } from '../domain/sms-parts.ts';
import { inTransaction } from '../store/database.ts';
import { closeParts, inboundPartById, openParts, partBySmscId, recordInboundPart, seenParts } from '../store/inbound-sms-parts.repository.ts';
import { type NewInboundSms, recordInboundSms } from '../store/inbound-sms.repository.ts';
import type { AppContext } from './context.ts';
import { receiveInboundSms } from './text-to-cancel.ts';

/** An SMS as a channel received it: a whole message, or one part of a long one (`text` is then the part's). */
export type ReceivedSms = NewInboundSms & { readonly part?: Omit<MessagePart, 'text'> | undefined };

/**
 * Stores what a channel received: a whole message with its job (`receiveInboundSms`), or a part (see above).
 * `created` is false for a repeat; `id` is the stored message's or part's.
 */
export async function receiveSms(ctx: AppContext, sms: ReceivedSms): Promise<{ id: string; created: boolean }> {
  const { part, ...message } = sms;
  if (!part) return receiveInboundSms(ctx, message);
  const now = ctx.clock();
  const stored = { ...message, ...part };
  return inTransaction(ctx.store, async (tx) => {
    const known = await partBySmscId(tx, sms.smscId);
    if (known) return { id: known.id, created: false };
    const seen = await seenParts(tx, stored, partsSeenSince(now));
    const arrival = partArrival(seen, part.seq, now);
    const same = seen.find((p) => p.seq === part.seq);
    if (arrival === 'duplicate' && same) return { id: same.id, created: false };
    const id = await recordInboundPart(tx, stored, { late: arrival === 'late', giveUpAt: addSeconds(now, PARTS_TIMEOUT_SECONDS), maxAttempts: ctx.policy.worker.maxAttempts, now });
    if (id) return { id, created: true };
    // A repeat stored by a transaction that committed while this one waited for it.
    const raced = (await partBySmscId(tx, sms.smscId)) ?? (await openParts(tx, stored)).find((p) => p.seq === part.seq);
    if (!raced) throw new Error(`the part ${sms.smscId} was neither stored nor found`);
    return { id: raced.id, created: false };
  });
}

/** What an `sms.parts` job found: nothing to do, a message still waiting, joined into `messageId`, or given up. */
export type PartsOutcome =
  | { readonly kind: 'closed' | 'waiting' }
  | { readonly kind: 'joined'; readonly messageId: string }
  | { readonly kind: 'given_up'; readonly missing: readonly number[]; readonly partIds: readonly string[] };

/** Another run closed some of these parts first: this one changes nothing. */
class ClosedMeanwhile extends Error {}

/** The `sms.parts` job: joins the message of `partId` when it is whole, gives it up when its time is out. */
export async function settleInboundParts(ctx: AppContext, partId: string): Promise<PartsOutcome> {
  const now = ctx.clock();
  try {
    return await inTransaction(ctx.store, async (tx): Promise<PartsOutcome> => {
      const part = await inboundPartById(tx, partId);
      if (!part || part.closedAt !== null) return { kind: 'closed' };
      const parts = await openParts(tx, part);
      // Closed by a run that committed after this one read the part.
      if (!parts.some((p) => p.id === part.id)) return { kind: 'closed' };
      const decision = decideParts(parts, now);
      const ids = parts.map((p) => p.id);
      if (decision.kind === 'wait') return { kind: 'waiting' };
      if (decision.kind === 'given_up') {
        if ((await closeParts(tx, ids, 'given_up', null, now)) !== ids.length) throw new ClosedMeanwhile();
        return { kind: 'given_up', missing: decision.missing, partIds: ids };
      }
      const first = parts[0] ?? part;
      // Named by its first part: that part belongs to this message only, so a second join finds it stored.
      const sms: NewInboundSms = { smscId: `parts:${first.smscId}`, from: first.from, to: first.to, text: decision.text, via: first.via };
      const message = await recordInboundSms(tx, sms, ctx.policy.worker.maxAttempts, decision.receivedAt);
      if ((await closeParts(tx, ids, 'joined', message.id, now)) !== ids.length) throw new ClosedMeanwhile();
      return { kind: 'joined', messageId: message.id };
    });
  } catch (e) {
    if (e instanceof ClosedMeanwhile) return { kind: 'closed' };
    throw e;
  }
}
