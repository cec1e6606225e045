/**
 * The audit chain's anchor outside the database. The hash chain shows any
 * entry changed or removed in the middle, but someone who deletes the last
 * entries and rewrites `audit_head` leaves a shorter chain that is still
 * whole. So the head is signed with the certificate key (periodically by the
 * worker, and on demand) and appended to a file the database does not hold;
 * `simexit audit verify --anchor FILE` checks that every signed head is still
 * in the log with the same hash.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CertificateKeys } from '../certificates/keys.ts';
import { AppError } from '../domain/errors.ts';
import { auditHeadAndHashes } from '../store/audit.repository.ts';
import type { Db } from '../store/database.ts';

export interface SignedHead {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly keyId: string;
  readonly signature: string;
}

const signedBytes = (h: Pick<SignedHead, 'seq' | 'hash' | 'at'>) => Buffer.from(`simexit audit head\n${h.seq}\n${h.hash}\n${h.at}`);

export function readAnchors(file: string): SignedHead[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as SignedHead);
}

/** Signs the current head and appends it to `file`, unless the last signed head is the same. */
export async function anchorAuditHead(db: Db, keys: CertificateKeys | undefined, file: string, now: string): Promise<SignedHead | undefined> {
  if (!keys) throw new AppError('CONFIG_INVALID', { reason: 'no certificate key is configured (SIMEXIT_CERT_KEY): the audit head cannot be signed' });
  const { head } = await auditHeadAndHashes(db, []);
  const last = readAnchors(file).at(-1);
  if (last && last.seq === head.seq && last.hash === head.hash) return undefined;
  const facts = { seq: head.seq, hash: head.hash, at: now };
  const signed: SignedHead = { ...facts, keyId: keys.keyId, signature: keys.sign(signedBytes(facts)) };
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(signed)}\n`, { mode: 0o600 });
  return signed;
}

export type AnchorVerdict = { ok: true; anchors: number } | { ok: false; anchors: number; problem: string; truncated: boolean };

/** Checks every signed head in `file` against the log: signature, and the entry still there with the same hash. */
export async function verifyAnchors(db: Db, keys: CertificateKeys | undefined, file: string): Promise<AnchorVerdict> {
  if (!existsSync(file)) return { ok: false, anchors: 0, problem: `no anchor file at ${file}`, truncated: false };
  const anchors = readAnchors(file);
  const { head, hashes } = await auditHeadAndHashes(db, anchors.map((a) => a.seq));
  for (const a of anchors) {
    if (!keys || a.keyId !== keys.keyId || !keys.verify(signedBytes(a), a.signature)) return { ok: false, anchors: anchors.length, problem: `the head signed at ${a.at} (entry ${a.seq}) has no valid signature by this installation's key`, truncated: false };
    if (a.seq > head.seq) return { ok: false, anchors: anchors.length, problem: `the log was TRUNCATED: it ends at entry ${head.seq}, but entry ${a.seq} was signed at ${a.at}`, truncated: true };
    const stored = a.seq === 0 ? a.hash : hashes.get(a.seq);
    if (stored === undefined) return { ok: false, anchors: anchors.length, problem: `entry ${a.seq}, signed at ${a.at}, is missing`, truncated: true };
    if (stored !== a.hash) return { ok: false, anchors: anchors.length, problem: `entry ${a.seq} differs from the one signed at ${a.at}`, truncated: false };
  }
  return { ok: true, anchors: anchors.length };
}

/** How often a running server or worker signs the head (SIMEXIT_AUDIT_ANCHOR_MINUTES, default 15). */
export function anchorEveryMinutes(env: Readonly<Record<string, string | undefined>>): number {
  const n = Number(env.SIMEXIT_AUDIT_ANCHOR_MINUTES ?? 15);
  return Number.isFinite(n) && n > 0 ? n : 15;
}

/** Signs the head now and then every `minutes` until the returned function is called. */
export function keepAnchoring(db: Db, keys: CertificateKeys | undefined, file: string, clock: () => string, minutes: number, onError: (e: unknown) => void): () => void {
  if (!keys?.privateKey) return () => {};
  const tick = () => void anchorAuditHead(db, keys, file, clock()).catch(onError);
  tick();
  const timer = setInterval(tick, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
