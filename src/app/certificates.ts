import { createHash, timingSafeEqual } from 'node:crypto';
import { renderCertificateOffThread } from '../certificates/render-pool.ts';
import { type CertificateFacts, factsBytes } from '../certificates/facts.ts';
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { referenceSequence } from '../domain/reference.ts';
import { takeSend } from './lockout.ts';
import { certificateByReference, keepCertificateFile, keptCertificateFile, signCertificate } from '../store/certificates.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import { terminationByReference } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { terminationFor } from './self-service.ts';

export interface IssuedCertificate {
  readonly facts: CertificateFacts;
  readonly signature: string;
  readonly keyId: string;
}

function keysOf(ctx: AppContext) {
  if (!ctx.keys) throw new AppError('CONFIG_INVALID', { reason: 'no certificate key is configured (SIMEXIT_CERT_KEY)' });
  return ctx.keys;
}

/** The certificate of a completed termination; signed now if it was issued before a key was configured. */
export async function certificateOf(ctx: AppContext, reference: string): Promise<IssuedCertificate> {
  const seq = referenceSequence(reference);
  const row = seq === undefined ? undefined : await certificateByReference(ctx.store.db, seq, reference);
  if (!row) throw new AppError('TERMINATION_NOT_FOUND', { input: reference });
  const facts = JSON.parse(row.facts) as CertificateFacts;
  if (row.signature && row.keyId) return { facts, signature: row.signature, keyId: row.keyId };
  const keys = keysOf(ctx);
  const signature = keys.sign(factsBytes(facts));
  await signCertificate(ctx.store.db, row.seq, signature, keys.keyId);
  return { facts, signature, keyId: keys.keyId };
}

/** Typed-number checks on /verify allowed per address in a quarter of an hour. */
export const HOLDER_CHECKS_PER_ADDRESS = 10;

/**
 * Whether `typed` is the number the certificate ended: what its holder types
 * on /verify to see it confirmed. Counted per address (a wrong number and an
 * unknown reference count the same), so numbers cannot be tried in bulk.
 */
export async function holderNumberMatches(ctx: AppContext, reference: string, typed: string, address: string): Promise<boolean> {
  await takeSend(ctx.store.db, [[`verify-addr:${address}`, HOLDER_CHECKS_PER_ADDRESS]], ctx.clock(), 15, 'AUTH_LOCKED');
  let msisdn: string;
  try {
    msisdn = normalizeMsisdn(typed, ctx.policy.operator.country);
  } catch {
    return false;
  }
  const issued = await certificateOf(ctx, reference).catch(() => undefined);
  if (!issued) return false;
  const [a, b] = [createHash('sha256').update(issued.facts.msisdn).digest(), createHash('sha256').update(msisdn).digest()];
  return timingSafeEqual(a, b);
}

/** Whether the stored facts still match their signature: what /verify/REFERENCE shows. */
export async function checkCertificate(ctx: AppContext, reference: string): Promise<IssuedCertificate & { valid: boolean }> {
  const issued = await certificateOf(ctx, reference);
  const keys = keysOf(ctx);
  return { ...issued, valid: issued.keyId === keys.keyId && keys.verify(factsBytes(issued.facts), issued.signature) };
}

/**
 * The certificate's PDF in `language` (default the customer's): made when
 * first asked for (in a worker thread, off the event loop) and kept, so the
 * next download, command or e-mail reads it back. A file signed with a key no
 * longer in use is made again.
 */
export async function certificatePdf(ctx: AppContext, reference: string, language?: Language): Promise<Buffer> {
  const { facts } = await certificateOf(ctx, reference);
  const keys = keysOf(ctx);
  const seq = referenceSequence(reference) as number;
  const inLanguage = language ?? (await customerLanguage(ctx, reference)) ?? ctx.policy.defaultLanguage;
  const kept = await keptCertificateFile(ctx.store.db, seq, inLanguage, keys.keyId);
  if (kept) return kept;
  const pdf = await renderCertificateOffThread(facts, {
    language: inLanguage,
    operatorName: ctx.policy.operator.name,
    siteUrl: ctx.policy.operator.siteUrl,
    timeZone: ctx.policy.operator.timezone,
    keys,
  });
  await keepCertificateFile(ctx.store.db, { seq, language: inLanguage, reference, keyId: keys.keyId, pdf, at: ctx.clock() });
  return pdf;
}

async function customerLanguage(ctx: AppContext, reference: string): Promise<Language | undefined> {
  const t = await terminationByReference(ctx.store.db, reference);
  return t && (await customersById(ctx.store.db, [t.customerId])).get(t.customerId)?.language;
}

/** The PDF for the holder (or staff); someone else's reference is "not found". */
export async function certificatePdfFor(ctx: AppContext, principal: Principal, reference: string): Promise<Buffer> {
  const t = await terminationFor(ctx, principal, reference);
  if (t.state !== 'completed') throw new AppError('TERMINATION_NOT_FOUND', { input: reference });
  return certificatePdf(ctx, t.reference);
}
