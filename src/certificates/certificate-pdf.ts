import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { channelName } from '../domain/channel-names.ts';
import { LANGUAGES, type Language, LOCALE_OF } from '../domain/languages.ts';
import { minorDigits } from '../domain/money.ts';
import { maskMsisdn } from '../domain/msisdn.ts';
import { certificateFont, primeSubset } from './certificate-font.ts';
import { type CertificateFacts, factsBytes } from './facts.ts';
import type { CertificateKeys } from './keys.ts';
import { CERTIFICATE_TEXTS } from './texts.ts';

const FACTS_MARK = '%SIMEXIT-FACTS ';
const SIGNATURE_MARK = '%SIMEXIT-SIGNATURE ';

export { useCertificateFont } from './certificate-font.ts';

// Formatters kept per language and zone: making one costs more than the rest of a table row.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f as F;
}

const when = (language: Language, iso: string, timeZone: string) =>
  formatter(`d ${language} ${timeZone}`, () => new Intl.DateTimeFormat(LOCALE_OF[language], { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' })).format(new Date(iso));

/** With the currency's code (RUB, not ₽): the embedded font has no glyph for every currency sign. */
function money(minor: number, currency: string, language: Language): string {
  const digits = minorDigits(currency);
  return formatter(`m ${language} ${currency}`, () => new Intl.NumberFormat(LOCALE_OF[language], { style: 'currency', currency, currencyDisplay: 'code' })).format(minor / 10 ** digits);
}

/**
 * The certificate's facts as labelled lines in one language. The PDF the
 * holder keeps shows the full number (`fullNumber`); the public verification
 * page shows it masked, so a reference alone reveals no one's number.
 */
export function certificateRows(facts: CertificateFacts, language: Language, timeZone: string, options: { fullNumber?: boolean } = {}): [string, string][] {
  const t = CERTIFICATE_TEXTS[language];
  return [
    [t.reference, facts.reference],
    [t.number, options.fullNumber ? facts.msisdn : maskMsisdn(facts.msisdn)],
    [t.card, facts.simType === 'esim' ? t.esim : t.sim],
    [t.requested, when(language, facts.requestedAt, timeZone)],
    [t.effective, when(language, facts.effectiveAt, timeZone)],
    [t.completed, when(language, facts.completedAt, timeZone)],
    [t.settled, money(facts.amountSettled, facts.currency, language)],
    [t.refunded, money(facts.amountRefunded, facts.currency, language)],
    ...(facts.quarantineUntil ? ([[t.quarantine, when(language, facts.quarantineUntil, timeZone)]] as [string, string][]) : []),
    [t.channel, channelName(language, facts.channel)],
  ];
}

/**
 * The QR code as filled squares, one quiet module around it: sharper than a
 * picture at any zoom, and no PNG to encode and decode per certificate.
 */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number): void {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const module = width / (size + 2);
  doc.save().rect(x, y, width, width).fill('#ffffff');
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; ) {
      if (!data[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[row * size + col]) col++;
      doc.rect(x + (start + 1) * module, y + (row + 1) * module, (col - start) * module, module);
    }
  }
  doc.fill('#000000').restore();
}

/**
 * The certificate as a signed PDF: the customer's language first, the other
 * two below, a QR code to the public verification page. After the PDF's end
 * come two comment lines PDF readers ignore: the facts, and an Ed25519
 * signature over every byte before it — change one byte and it fails.
 */
export async function renderCertificate(
  facts: CertificateFacts,
  options: { language: Language; operatorName: string; siteUrl: string; timeZone: string; keys: CertificateKeys },
): Promise<Buffer> {
  const verifyUrl = `${options.siteUrl.replace(/\/$/, '')}/verify/${facts.reference}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `${CERTIFICATE_TEXTS.en.title} ${facts.reference}`, Author: options.operatorName, Subject: facts.reference, CreationDate: new Date(facts.completedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const f = certificateFont();
  // pdfkit takes an already parsed fontkit font where its types only list files and buffers.
  if (f) doc.registerFont('body', f.font as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font(f ? 'body' : 'Helvetica');
  if (f) primeSubset(doc, f.primer);

  const order: Language[] = [options.language, ...LANGUAGES.filter((l) => l !== options.language)];
  const [first, ...others] = order as [Language, ...Language[]];
  const t = CERTIFICATE_TEXTS[first];
  doc.fillColor('#0b5cad').fontSize(11).text(options.operatorName);
  doc.moveDown(0.5).fillColor('#1b1f24').fontSize(22).text(t.title, { width: 350 });
  doc.moveDown(0.3).fontSize(11).fillColor('#4a5360').text(t.intro, { width: 330 });
  drawQr(doc, verifyUrl, 420, 48, 120);
  doc.fontSize(8).fillColor('#4a5360').text(t.verify, 420, 172, { width: 130, align: 'center' });
  doc.fontSize(7).text(verifyUrl, 400, 184, { width: 150, align: 'center' });
  doc.x = 48;
  doc.y = 220;
  const table = (language: Language, size: number) => {
    for (const [label, value] of certificateRows(facts, language, options.timeZone, { fullNumber: true })) {
      const y = doc.y;
      doc.fontSize(size).fillColor('#4a5360').text(label, 48, y, { width: 220 });
      const labelBottom = doc.y;
      doc.fontSize(size).fillColor('#1b1f24').text(value, 280, y, { width: 270 });
      doc.y = Math.max(doc.y, labelBottom) + size * 0.2;
    }
  };
  table(first, 11);
  for (const language of others) {
    const other = CERTIFICATE_TEXTS[language];
    doc.moveDown(0.6).moveTo(48, doc.y).lineTo(547, doc.y).strokeColor('#d5dbe3').stroke();
    doc.moveDown(0.4).fontSize(11).fillColor('#1b1f24').text(other.title, 48);
    doc.fontSize(7.5).fillColor('#4a5360').text(other.intro, 48);
    doc.moveDown(0.3);
    table(language, 7.5);
  }
  doc.moveDown(1).fontSize(8).fillColor('#4a5360').text(`${t.signed} ${options.keys.keyId}`, 48);
  doc.end();
  await done;
  const pdf = Buffer.concat(chunks);
  const signed = Buffer.concat([pdf, Buffer.from(`${FACTS_MARK}${factsBytes(facts).toString('base64')}\n`)]);
  return Buffer.concat([signed, Buffer.from(`${SIGNATURE_MARK}${options.keys.keyId} ${options.keys.sign(signed)}\n`)]);
}

export type CertificateCheck =
  | { readonly ok: true; readonly facts: CertificateFacts; readonly keyId: string }
  | { readonly ok: false; readonly reason: string };

/** Checks a certificate file offline against the operator's public key. */
export function verifyCertificateFile(file: Buffer, keys: CertificateKeys): CertificateCheck {
  const text = file.toString('latin1');
  const at = text.lastIndexOf(SIGNATURE_MARK);
  if (at < 0) return { ok: false, reason: 'no simexit signature in this file' };
  const [keyId, signature] = text.slice(at + SIGNATURE_MARK.length).trim().split(' ');
  if (!keyId || !signature) return { ok: false, reason: 'the signature line is damaged' };
  if (keyId !== keys.keyId) return { ok: false, reason: `signed with key ${keyId}, not with ${keys.keyId}` };
  const signed = file.subarray(0, at);
  if (!keys.verify(signed, signature)) return { ok: false, reason: 'the file was changed after it was signed' };
  const factsAt = text.lastIndexOf(FACTS_MARK, at);
  const facts = JSON.parse(Buffer.from(text.slice(factsAt + FACTS_MARK.length, at).trim(), 'base64').toString('utf8')) as CertificateFacts;
  return { ok: true, facts, keyId };
}
