/**
 * Text-to-cancel's replies as templates: the words are the domain's (`smsReplyText`), written with the
 * message's formatter, so the outbox renders them in the customer's language like any other message and
 * scrubs the code from the preview's payload once it is sent.
 */
import { type SmsReply, smsReplyText } from '../domain/sms-commands.ts';
import type { Formatter } from './format.ts';
import type { Copy, Payloads } from './templates.ts';

/** The preview with its code (template `otp.sms_cancel`); `label` names the code in an e-mail copy. */
export function smsCancelCopy(p: Payloads['otp.sms_cancel'], f: Formatter, words: { subject: string; label: string }): Copy {
  const { code, effectiveAt, currency, owed, refund, dataLeftMb } = p;
  const sms = smsReplyText({ kind: 'preview', facts: { code, effectiveAt, currency, owed, refund, dataLeftMb } }, f);
  return { subject: words.subject, blocks: [{ kind: 'code', label: words.label, code }, { kind: 'p', text: sms }], sms };
}


/** Every reply but the preview (template `sms.reply`); a kind it does not know is a payload that cannot be sent. */
export function smsReplyCopy(p: Payloads['sms.reply'], f: Formatter, subject: string): Copy {
  const sms = smsReplyText(replyOf(p), f);
  return { subject, blocks: [{ kind: 'p', text: sms }], sms };
}

function replyOf(p: Payloads['sms.reply']): SmsReply {
  switch (p.kind) {
    case 'confirmed':
      if (!p.reference || !p.effectiveAt) throw new Error('sms.reply confirmed: reference and effectiveAt are required');
      return { kind: 'confirmed', reference: p.reference, effectiveAt: p.effectiveAt };
    case 'wrong_code':
      return { kind: 'wrong_code', attemptsLeft: p.attemptsLeft };
    case 'rate_limited':
      return { kind: 'rate_limited', retryAfterSeconds: p.retryAfterSeconds };
    case 'help':
    case 'stopped':
      return { kind: p.kind };
    default:
      throw new Error(`sms.reply: unknown kind ${p.kind}`);
  }
}

/** The payload of an `sms.reply` message. */
export function smsReplyPayload(reply: Exclude<SmsReply, { kind: 'preview' }>): Payloads['sms.reply'] {
  return {
    kind: reply.kind,
    reference: reply.kind === 'confirmed' ? reply.reference : null,
    effectiveAt: reply.kind === 'confirmed' ? reply.effectiveAt : null,
    attemptsLeft: reply.kind === 'wrong_code' ? reply.attemptsLeft : 0,
    retryAfterSeconds: reply.kind === 'rate_limited' ? reply.retryAfterSeconds : 0,
  };
}
