import { channelName } from '../domain/channel-names.ts';
import { type RequestFactLabels, requestFacts, undoOf } from './request-facts.ts';
import { smsCancelCopy, smsReplyCopy } from './sms-replies.ts';
import type { Formatter } from './format.ts';
import type { Block, LanguagePack, Payloads } from './templates.ts';

const SIM = { sim: 'SIM card', esim: 'eSIM' } as const;
const simName = (t: string) => SIM[t as keyof typeof SIM] ?? t;

const factLabels: RequestFactLabels = { reference: 'Reference', line: 'Line', takesEffect: 'Takes effect', lapsesAt: 'Lapses unless confirmed by', withdrawUntil: 'Can be withdrawn until' };

const neverAsks = (op: string) =>
  `${op} never asks for this code: not by phone, not in a messenger, not by e-mail. Do not tell it to anyone, even someone who says they work for us.`;

const otp =
  (subject: string, action: (line: string, about: string) => string): LanguagePack['templates']['otp.password_reset'] =>
  (p, f) => ({
  subject,
  blocks: [
    { kind: 'code', label: 'Your code', code: p.code },
    { kind: 'p', text: `This code is ${action(f.masked(p.msisdn), p.subject)}. It is valid until ${f.time(p.expiresAt)}.` },
    { kind: 'important', text: neverAsks(f.operatorName) },
    { kind: 'p', text: 'If you did not ask for this code, ignore this message: nothing happens without it.' },
  ],
  sms: `Code ${p.code} ${action(f.masked(p.msisdn), p.subject)}. Valid until ${f.time(p.expiresAt)}. ${f.operatorName} never asks for this code by phone or messenger. Do not tell anyone.`,
});

/** Where the certificate is: attached, on the order's page (a bulk order, by policy), or, without one, the page. */
const certificateBlocks = (p: Payloads['termination.completed'], f: Formatter): Block[] => {
  const verify = f.link(`/verify/${p.reference}`);
  if (p.certificate === 'attached') return [{ kind: 'p', text: `The signed certificate is attached: ${p.reference}.pdf. Anyone you show it to can check it at ${verify}.` }];
  if (p.certificate === 'link')
    return [{ kind: 'p', text: `Your signed certificate (PDF) is on the page of your order: sign in at ${f.siteUrl} and open the link below to download it. Anyone you show it to can check it at ${verify}.` }];
  return [{ kind: 'p', text: 'The certificate is on the page linked below.' }];
};

export const en: LanguagePack = {
  footer: (f) => `${f.operatorName} · ${f.siteUrl} · This message was sent automatically; replies are not read.`,
  templates: {
    'termination.requested': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const state =
        p.state === 'awaiting_confirmation'
          ? 'It takes effect only once it is confirmed.'
          : p.state === 'scheduled'
            ? `It is confirmed and takes effect on ${f.dateTime(p.effectiveAt)}.`
            : p.state === 'blocked'
              ? 'Something must be settled before it can go ahead; the link below shows what.'
              : 'We are checking it now.';
      const undo = undoOf(p);
      const notYou =
        undo.way === 'withdraw'
          ? `Did not ask for this? Withdraw it with the link below before ${f.dateTime(undo.until)} and your line stays as it is.`
          : undo.way === 'lapse'
            ? `Did not ask for this? Do not give anyone the code we send to this line: without it the request lapses at ${f.dateTime(undo.at)} and your line stays as it is.`
            : 'Did not ask for this? It cannot go ahead without you. Tell us in one of our shops or by phone and we will refuse it.';
      const notYouSms =
        undo.way === 'withdraw'
          ? `Not you? Withdraw before ${f.dateTime(undo.until)}`
          : undo.way === 'lapse'
            ? `Not you? Do not share the code: without it the request lapses at ${f.dateTime(undo.at)}`
            : 'Not you? It cannot go ahead without you; tell us and we will refuse it';
      return {
        subject: `Request to end line ${f.phone(p.msisdn)} received (${p.reference})`,
        blocks: [
          { kind: 'p', text: `We have received a request to end the contract for line ${f.phone(p.msisdn)}. ${state}` },
          requestFacts(p, f, factLabels),
          { kind: 'important', text: notYou },
          { kind: 'link', label: undo.way === 'withdraw' ? 'View or withdraw this request' : 'View this request', href: link },
        ],
        sms: `${f.operatorName}: request ${p.reference} to end line ${f.phone(p.msisdn)} received, effective ${f.dateTime(p.effectiveAt)}. ${notYouSms}: ${link}`,
      };
    },
    'termination.scheduled': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Line ${f.phone(p.msisdn)} will be ended on ${f.day(p.effectiveAt)} (${p.reference})`,
        blocks: [
          { kind: 'p', text: `Your request to end line ${f.phone(p.msisdn)} is confirmed. The line will be ended on ${f.dateTime(p.effectiveAt)}.` },
          requestFacts(p, f, factLabels),
          { kind: 'important', text: `Changed your mind, or was it not you? Withdraw the request before ${f.dateTime(p.withdrawUntil)} with the link below.` },
          { kind: 'link', label: 'View or withdraw this request', href: link },
        ],
        sms: `${f.operatorName}: line ${f.phone(p.msisdn)} will be ended on ${f.dateTime(p.effectiveAt)} (${p.reference}). Withdraw before then: ${link}`,
      };
    },
    'termination.completed': (p, f, policy) => {
      const link = f.link(`/terminations/${p.reference}`);
      const rows: [string, string][] = [
        ['Reference', p.reference],
        ['Line', f.phone(p.msisdn)],
        ['SIM', simName(p.simType)],
        ['Requested through', channelName('en', p.channel)],
        ['Requested', f.dateTime(p.requestedAt)],
        ['Took effect', f.dateTime(p.effectiveAt)],
        ['Completed', f.dateTime(p.completedAt)],
        ['Final invoice', f.money(p.amountSettled, p.currency)],
        ['Refunded to you', f.money(p.amountRefunded, p.currency)],
      ];
      if (p.quarantineUntil) rows.push(['Number held for you until', f.day(p.quarantineUntil)]);
      const reclaim = p.quarantineUntil && policy.quarantine.reclaimAllowed;
      return {
        subject: `Line ${f.phone(p.msisdn)} has been ended (${p.reference})`,
        blocks: [
          { kind: 'p', text: `The contract for line ${f.phone(p.msisdn)} has ended. Keep this message as proof.` },
          ...certificateBlocks(p, f),
          { kind: 'facts', rows },
          {
            kind: 'p',
            text:
              p.simType === 'esim'
                ? 'The eSIM no longer works. Delete its profile on your device: Settings, then Mobile or Cellular, then the eSIM, then Delete.'
                : 'The SIM card no longer works; you may cut it up.',
          },
          { kind: 'p', text: 'Banks, messengers and other services that send codes to this number should be moved to your new number.' },
          ...(reclaim && p.quarantineUntil ? [{ kind: 'p' as const, text: `Changed your mind? You can take the number back until ${f.day(p.quarantineUntil)}.` }] : []),
          { kind: 'link', label: p.certificate === 'link' ? 'Details and certificate (PDF download)' : 'Details and certificate', href: link },
          ...(p.certificate === 'link' ? [{ kind: 'link' as const, label: 'Check the certificate (anyone can)', href: f.link(`/verify/${p.reference}`) }] : []),
        ],
        sms: `${f.operatorName}: line ${f.phone(p.msisdn)} has been ended (${p.reference}). Final invoice ${f.money(p.amountSettled, p.currency)}, refund ${f.money(p.amountRefunded, p.currency)}. Details: ${link}`,
      };
    },
    'termination.failed': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Ending line ${f.phone(p.msisdn)} needs your attention (${p.reference})`,
        blocks: [
          { kind: 'p', text: `We could not finish ending line ${f.phone(p.msisdn)} (request ${p.reference}) on ${f.dateTime(p.failedAt)}.` },
          { kind: 'important', text: 'Nothing more happens by itself. Open the request to see what is needed, or contact us and give the reference.' },
          { kind: 'link', label: 'Open the request', href: link },
        ],
        sms: `${f.operatorName}: ending line ${f.phone(p.msisdn)} (${p.reference}) could not be finished and needs you. See ${link}`,
      };
    },
    'termination.withdrawn': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const why = p.notMe === 'yes' ? 'You told us you did not ask for it; we have recorded that and our staff will look into it.' : 'It was withdrawn as asked.';
      return {
        subject: `Request ${p.reference} to end line ${f.phone(p.msisdn)} withdrawn`,
        blocks: [
          { kind: 'p', text: `On ${f.dateTime(p.withdrawnAt)} the request to end line ${f.phone(p.msisdn)} was withdrawn. ${why} Your line stays as it is.` },
          { kind: 'link', label: 'View this request', href: link },
        ],
        sms: `${f.operatorName}: request ${p.reference} to end line ${f.phone(p.msisdn)} withdrawn; the line stays as it is. ${link}`,
      };
    },
    'termination.rejected': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Request ${p.reference} to end line ${f.phone(p.msisdn)} refused`,
        blocks: [
          { kind: 'p', text: `On ${f.dateTime(p.rejectedAt)} we refused the request to end line ${f.phone(p.msisdn)}. Your line stays as it is.` },
          { kind: 'p', text: 'If you still want to end it, make a new request, or contact us and give the reference.' },
          { kind: 'link', label: 'View this request', href: link },
        ],
        sms: `${f.operatorName}: request ${p.reference} to end line ${f.phone(p.msisdn)} was refused; the line stays as it is. ${link}`,
      };
    },
    'termination.expired': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const why = p.stateBefore === 'blocked' ? 'What had to be settled first was not settled in time.' : 'It was not confirmed in time.';
      return {
        subject: `Request ${p.reference} to end line ${f.phone(p.msisdn)} has lapsed`,
        blocks: [
          { kind: 'p', text: `On ${f.dateTime(p.expiredAt)} the request to end line ${f.phone(p.msisdn)} lapsed. ${why} Your line stays as it is.` },
          { kind: 'p', text: 'If you still want to end it, make a new request.' },
          { kind: 'link', label: 'View this request', href: link },
        ],
        sms: `${f.operatorName}: request ${p.reference} to end line ${f.phone(p.msisdn)} lapsed; the line stays as it is. ${link}`,
      };
    },
    'otp.confirm_termination': otp('Your code to confirm ending your line', (line, reference) => `to confirm ending line ${line} (request ${reference})`),
    'otp.password_reset': otp('Your code to reset your password', (line) => `to reset the password for line ${line}`),
    'otp.cancel_without_signin': otp('Your code to cancel your line', (line, reference) => `to cancel line ${line} without signing in (request ${reference})`),
    'otp.sms_cancel': (p, f) => smsCancelCopy(p, f, { subject: 'Your code to end your contract by text', label: 'Your code' }),
    'sms.reply': (p, f) => smsReplyCopy(p, f, 'Reply from our short number'),
    'otp.hotline_sign_in': (p, f) => ({
      subject: 'Your code for our phone hotline',
      blocks: [
        { kind: 'code', label: 'Your code', code: p.code },
        { kind: 'p', text: `This code signs you in to our phone hotline for line ${f.masked(p.msisdn)}. It is valid until ${f.time(p.expiresAt)}.` },
        { kind: 'important', text: `Key it in only during a call you made yourself to ${f.operatorName}. No one from ${f.operatorName} will ask you to read it out.` },
      ],
      sms: `Code ${p.code} to sign in to the ${f.operatorName} hotline for line ${f.masked(p.msisdn)}. Valid until ${f.time(p.expiresAt)}. Key it in only on a call you made yourself; never read it out to anyone.`,
    }),
    'termination.payment_link': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Pay ${f.money(p.amount, p.currency)} to end line ${f.phone(p.msisdn)} (${p.reference})`,
        blocks: [
          { kind: 'p', text: `Your request ${p.reference} to end line ${f.phone(p.msisdn)} goes ahead once the account's debt of ${f.money(p.amount, p.currency)} is paid.` },
          { kind: 'link', label: 'Pay and see the request', href: link },
        ],
        sms: `${f.operatorName}: to end line ${f.phone(p.msisdn)} (${p.reference}), pay ${f.money(p.amount, p.currency)}: ${link}`,
      };
    },
    'quarantine.ending_soon': (p, f) => {
      const link = f.link('/reclaim');
      return {
        subject: `Last days to take number ${f.phone(p.msisdn)} back`,
        blocks: [
          { kind: 'p', text: `Number ${f.phone(p.msisdn)}, whose contract has ended, is held for you until ${f.day(p.quarantineUntil)}. After that it may be given to someone else.` },
          { kind: 'p', text: 'To keep it, take it back before then; bring an identity document or confirm your identity online.' },
          { kind: 'link', label: 'Take the number back', href: link },
        ],
        sms: `${f.operatorName}: number ${f.phone(p.msisdn)} is held for you until ${f.day(p.quarantineUntil)}, then it may go to someone else. Take it back: ${link}`,
      };
    },
    'reclaim.completed': (p, f) => ({
      subject: `Number ${f.phone(p.msisdn)} is yours again`,
      blocks: [
        { kind: 'p', text: `On ${f.dateTime(p.reclaimedAt)} number ${f.phone(p.msisdn)} was connected to your account again, on a new ${simName(p.simType)}.` },
        { kind: 'important', text: 'If you did not do this, contact us at once.' },
        { kind: 'link', label: 'Your account', href: f.link('/') },
      ],
      sms: `${f.operatorName}: number ${f.phone(p.msisdn)} is yours again on a new ${simName(p.simType)}. Not you? Contact us at once.`,
    }),
    'esim.slot_free': (p, f) => ({
      subject: `The eSIM of ${f.phone(p.msisdn)} is off your device`,
      blocks: [
        { kind: 'p', text: `On ${f.dateTime(p.removedAt)} your device removed the eSIM of the ended number ${f.phone(p.msisdn)}. Its place on the device is free for another eSIM.` },
        { kind: 'link', label: 'Your account', href: f.link('/') },
      ],
      sms: `${f.operatorName}: the eSIM of the ended number ${f.phone(p.msisdn)} is off your device; its place is free for another eSIM.`,
    }),
    'esim.activation': (p, f) => ({
      subject: `Install the eSIM of ${f.phone(p.msisdn)}`,
      blocks: [
        { kind: 'p', text: `The new eSIM of number ${f.phone(p.msisdn)} is ready. On your phone open the settings for mobile data or SIM, choose to add an eSIM and scan the QR code attached to this e-mail, or enter the activation code below by hand.` },
        { kind: 'code', label: 'Activation code', code: p.activationCode },
        { kind: 'important', text: 'The code installs the eSIM once, on one device. Do not share it.' },
        { kind: 'link', label: 'Your account', href: f.link('/') },
      ],
      sms: `${f.operatorName}: the eSIM of ${f.phone(p.msisdn)} is ready; the QR code to install it is in your e-mail and your account.`,
    }),
    'shop.turn_near': (p, f) => ({
      subject: `Your ticket ${p.number} at ${p.shopName}: ${p.ahead} ahead of you`,
      blocks: [
        { kind: 'p', text: `${p.ahead} people are ahead of ticket ${p.number} at ${p.shopName}. Please come now and check in at the kiosk.` },
      ],
      sms: `${f.operatorName}: ${p.ahead} ahead of your ticket ${p.number} at ${p.shopName}. Please come now and check in at the kiosk.`,
    }),
    'shop.ticket_taken': (p, f) => ({
      subject: `Your ticket ${p.number} at ${p.shopName}`,
      blocks: [{ kind: 'p', text: `Your ticket is ${p.number} at ${p.shopName}; ${p.ahead} ahead of you now. We text you when 3 are ahead: then come and check in at the kiosk with this number.` }],
      sms: `${f.operatorName}: your ticket ${p.number} at ${p.shopName}, ${p.ahead} ahead now. We text you when 3 are ahead: then come and check in at the kiosk with ${p.number}.`,
    }),
    'shop.ticket_shops': (p, f) => ({
      subject: 'Which shop?',
      blocks: [{ kind: 'p', text: `To take a ticket, text TICKET and the shop's number:\n${p.shops}` }],
      sms: `${f.operatorName}: to take a ticket, text TICKET and the shop's number, e.g. TICKET 1.\n${p.shops}`,
    }),
    'shop.ticket_lapsed': (p, f) => ({
      subject: `Your ticket ${p.number} at ${p.shopName} has lapsed`,
      blocks: [{ kind: 'p', text: `${p.shopName} has closed for the day before ticket ${p.number} was served, so the ticket has lapsed. Please take a new one when the shop is open.` }],
      sms: `${f.operatorName}: ${p.shopName} has closed, your ticket ${p.number} has lapsed. Please take a new one when the shop is open.`,
    }),
    'dormancy.notice': (p, f) => ({
      subject: `Line ${f.phone(p.msisdn)} will be ended for non-use on ${f.day(p.terminationAt)}`,
      blocks: [
        { kind: 'p', text: `We have seen no paid use of line ${f.phone(p.msisdn)} since ${f.day(p.lastActivityAt)}. Unless it is used, the line will be ended on ${f.day(p.terminationAt)}.` },
        { kind: 'p', text: 'To keep it, make a call, send an SMS, use mobile data or top up before then.' },
        { kind: 'link', label: 'Your account', href: f.link('/') },
      ],
      sms: `${f.operatorName}: line ${f.phone(p.msisdn)} has not been used since ${f.day(p.lastActivityAt)} and will be ended on ${f.day(p.terminationAt)}. Use it or top up to keep it.`,
    }),
  },
};
