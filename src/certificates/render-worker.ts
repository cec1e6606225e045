/**
 * A worker thread that makes certificate PDFs (layout, font subset, Ed25519
 * signature) so the process's event loop keeps answering while they are made.
 * See render-pool.ts for the other side.
 */
import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { Language } from '../domain/languages.ts';
import { renderCertificate, useCertificateFont } from './certificate-pdf.ts';
import type { CertificateFacts } from './facts.ts';
import { type CertificateKeys, keysOfPrivateKey } from './keys.ts';

const cpuMilliseconds = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1000;

export interface RenderRequest {
  readonly id: number;
  readonly facts: CertificateFacts;
  readonly language: Language;
  readonly operatorName: string;
  readonly siteUrl: string;
  readonly timeZone: string;
  readonly privateKey: KeyObject;
  readonly font: { readonly path: string; readonly family?: string | undefined } | undefined;
}

export type RenderReply = { readonly id: number; readonly pdf: Uint8Array; readonly milliseconds: number } | { readonly id: number; readonly error: string };

// The last key and font seen: they change only when the process configures other ones (tests do).
let keys: { key: KeyObject; keys: CertificateKeys } | undefined;
let font: string | undefined;

parentPort?.on('message', (request: RenderRequest) => {
  void (async () => {
    try {
      if (!keys || !keys.key.equals(request.privateKey)) keys = { key: request.privateKey, keys: keysOfPrivateKey(request.privateKey) };
      const fontKey = JSON.stringify(request.font ?? null);
      if (request.font && fontKey !== font) useCertificateFont({ path: request.font.path, family: request.font.family });
      font = fontKey;
      // CPU time of this thread: on a shared machine the wall clock counts the time others had the core.
      const started = process.threadCpuUsage();
      const { facts, language, operatorName, siteUrl, timeZone } = request;
      const pdf = await renderCertificate(facts, { language, operatorName, siteUrl, timeZone, keys: keys.keys });
      const copy = new Uint8Array(pdf.byteLength);
      copy.set(pdf);
      parentPort?.postMessage({ id: request.id, pdf: copy, milliseconds: cpuMilliseconds(process.threadCpuUsage(started)) } satisfies RenderReply, [copy.buffer]);
    } catch (e) {
      parentPort?.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) } satisfies RenderReply);
    }
  })();
});
