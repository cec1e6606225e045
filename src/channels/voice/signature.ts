import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The voice platform's request signature (`X-Twilio-Signature`, also sent by SignalWire and Telnyx TeXML):
 * HMAC-SHA1, keyed with the account's auth token, of the full URL the platform called (scheme, host, path and
 * query exactly as configured) followed by every POST parameter sorted by name, each as name then value, in
 * base64. A parameter given twice is signed value by value in the order sent.
 */
export function voiceSignature(authToken: string, url: string, params: Readonly<Record<string, string | readonly string[]>>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    for (const v of Array.isArray(value) ? value : [value]) data += name + String(v);
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Whether `signature` is the platform's for this request; compared in constant time. */
export function validVoiceSignature(authToken: string, signature: string | undefined, url: string, params: Readonly<Record<string, string | readonly string[]>>): boolean {
  if (!signature) return false;
  const expected = Buffer.from(voiceSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
