import type { SendMailOptions } from 'nodemailer';
import { type DeliveryMessage, messageIdFor } from './deliverer.ts';

export interface EmailIdentity {
  /** The From header, e.g. `"Operator" <no-reply@operator.example>`. */
  readonly from: string;
  /** The right-hand side of Message-IDs. */
  readonly domain: string;
}

/**
 * One e-mail as every e-mail adapter sends it. The Message-ID comes from the
 * notification key, and the key travels in `X-Simexit-Key` too, so a copy
 * sent again after a crash is recognisable as the same message.
 */
export function composeEmail(message: DeliveryMessage, identity: EmailIdentity): SendMailOptions {
  return {
    from: identity.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) } : {}),
    messageId: messageIdFor(message.key, identity.domain),
    headers: {
      'Content-Language': message.language,
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-Simexit-Key': message.key,
    },
  };
}
