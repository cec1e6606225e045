/**
 * Picks the delivery adapters from the environment:
 *
 * | variable               | effect                                                        |
 * |------------------------|---------------------------------------------------------------|
 * | `SIMEXIT_SMTP_URL`     | e-mail through this SMTP relay (`smtp://user:pass@host:587`)  |
 * | `SIMEXIT_SMPP_URL`     | SMS through this SMSC (`smpp://system_id:password@host:2775`) |
 * | `SIMEXIT_SMS_HTTP_URL` | SMS through this HTTP gateway (when no SMPP URL is set)       |
 * | `SIMEXIT_OUTBOX`       | folder for the files written when no provider is set (default `<SIMEXIT_DATA>/outbox`) |
 * | `SIMEXIT_MAIL_FROM`    | From of e-mails (default: the operator's name, `no-reply@` the site's host) |
 * | `SIMEXIT_SMS_FROM`     | SMS sender (default: the operator's short number)             |
 *
 * With none set, nothing leaves the machine: `.eml` and `.txt` files. That is
 * demo mode's default; outside demo mode a process that delivers refuses to
 * start unless each medium has a provider or `SIMEXIT_OUTBOX` is set on purpose
 * (files another system sends), see `deliveryProblems`.
 */
import { readEnv } from '../../config/env.ts';
import type { Policy } from '../../domain/policy.ts';
import type { Deliverer, Deliverers, InboundSink, ReceiptSink } from './deliverer.ts';
import type { EmailIdentity } from './email-message.ts';
import { fileEmailDeliverer, fileSmsDeliverer } from './file-outbox.ts';
import { httpSmsDeliverer } from './http-sms.ts';
import { smppDeliverer } from './smpp.ts';
import { smtpDeliverer } from './smtp.ts';

export interface DeliveryEnvironment {
  readonly SIMEXIT_SMTP_URL?: string;
  readonly SIMEXIT_SMPP_URL?: string;
  readonly SIMEXIT_SMS_HTTP_URL?: string;
  readonly SIMEXIT_OUTBOX?: string;
  /** The data folder: the outbox defaults to `<data>/outbox`. */
  readonly SIMEXIT_DATA?: string;
  readonly SIMEXIT_MAIL_FROM?: string;
  readonly SIMEXIT_SMS_FROM?: string;
}

export interface DeliveryOptions {
  readonly policy: Policy;
  /** Where SMPP delivery receipts go (see `recordReceipt`). */
  readonly onReceipt: ReceiptSink;
  /** Where SMS sent to us over SMPP go (see `receiveSms`). */
  readonly onInbound?: InboundSink;
  /** Per-send timeout; the outbox passes less than its lease. */
  readonly timeoutMs?: number;
  readonly onError?: (error: Error) => void;
}

/** `SIMEXIT_OUTBOX`, else the data folder's `outbox` (see `readEnv`), never a fixed ./data. */
const outboxOf = (env: DeliveryEnvironment): string => readEnv({ SIMEXIT_OUTBOX: env.SIMEXIT_OUTBOX, SIMEXIT_DATA: env.SIMEXIT_DATA }).outbox;

export function emailIdentity(env: DeliveryEnvironment, policy: Policy): EmailIdentity {
  const siteHost = new URL(policy.operator.siteUrl).hostname;
  const from = env.SIMEXIT_MAIL_FROM || `"${policy.operator.name.replace(/["\\]/g, '')}" <no-reply@${siteHost}>`;
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? siteHost;
  return { from, domain };
}

/**
 * What is missing for messages to reach people outside demo mode, one line per
 * medium naming the variables to set; empty when every medium has somewhere to go.
 */
export function deliveryProblems(env: DeliveryEnvironment): string[] {
  if (env.SIMEXIT_OUTBOX) return [];
  const problems: string[] = [];
  if (!env.SIMEXIT_SMTP_URL) problems.push('no e-mail delivery is configured: set SIMEXIT_SMTP_URL (smtp://user:pass@host:587), or SIMEXIT_OUTBOX to a folder another system sends from');
  if (!env.SIMEXIT_SMPP_URL && !env.SIMEXIT_SMS_HTTP_URL) problems.push('no SMS delivery is configured: set SIMEXIT_SMPP_URL (smpp://system_id:password@host:2775) or SIMEXIT_SMS_HTTP_URL, or SIMEXIT_OUTBOX to a folder another system sends from');
  return problems;
}

/** Describes the choice without secrets, for a start-up log line. */
export function describeDelivery(env: DeliveryEnvironment): { email: string; sms: string } {
  const safe = (url: string) => {
    const u = new URL(url);
    u.username = u.username ? '***' : '';
    u.password = '';
    return u.toString();
  };
  const outbox = outboxOf(env);
  return {
    email: env.SIMEXIT_SMTP_URL ? safe(env.SIMEXIT_SMTP_URL) : `files in ${outbox}`,
    sms: env.SIMEXIT_SMPP_URL ? safe(env.SIMEXIT_SMPP_URL) : env.SIMEXIT_SMS_HTTP_URL ? safe(env.SIMEXIT_SMS_HTTP_URL) : `files in ${outbox}`,
  };
}

export function deliverersFromEnv(env: DeliveryEnvironment, options: DeliveryOptions): Deliverers {
  const identity = emailIdentity(env, options.policy);
  const sender = env.SIMEXIT_SMS_FROM || options.policy.operator.shortNumber;
  const outbox = outboxOf(env);
  const timeoutMs = options.timeoutMs;
  const email: Deliverer = env.SIMEXIT_SMTP_URL
    ? smtpDeliverer(env.SIMEXIT_SMTP_URL, { ...identity, ...(timeoutMs ? { timeoutMs } : {}) })
    : fileEmailDeliverer(outbox, identity);
  const sms: Deliverer = env.SIMEXIT_SMPP_URL
    ? smppDeliverer(env.SIMEXIT_SMPP_URL, { sender, onReceipt: options.onReceipt, ...(options.onInbound ? { onInbound: options.onInbound } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(options.onError ? { onError: options.onError } : {}) })
    : env.SIMEXIT_SMS_HTTP_URL
      ? httpSmsDeliverer(env.SIMEXIT_SMS_HTTP_URL, { sender, ...(timeoutMs ? { timeoutMs } : {}) })
      : fileSmsDeliverer(outbox, sender);
  return {
    email,
    sms,
    async close() {
      await Promise.all([email.close?.(), sms.close?.()]);
    },
  };
}
