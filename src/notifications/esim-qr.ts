/** The eSIM activation code as a QR code: a PNG for e-mail, an SVG for the site. */
import QRCode from 'qrcode';

// Level M and a 4-module quiet zone: what phone cameras read reliably off a screen or a print-out (SGP.22 §4.1 leaves it open).
const options = { errorCorrectionLevel: 'M', margin: 4 } as const;

export const activationQrPng = (code: string): Promise<Buffer> => QRCode.toBuffer(code, { ...options, type: 'png', width: 360 });

export const activationQrSvg = (code: string): Promise<string> => QRCode.toString(code, { ...options, type: 'svg' });
