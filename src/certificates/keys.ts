import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Environment } from '../config/env.ts';
import { AppError } from '../domain/errors.ts';

/** The operator's Ed25519 key for certificates. `keyId` names it in every signature so keys can rotate. */
export interface CertificateKeys {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject | null;
  publicPem(): string;
  sign(data: Uint8Array): string;
  /**
   * Signs many at once on libuv's thread pool (node:crypto's callback form), so the event loop spends a few
   * microseconds per signature instead of the whole Ed25519 computation: a bulk run signs while it writes.
   */
  signAll(data: readonly Uint8Array[]): Promise<string[]>;
  verify(data: Uint8Array, signature: string): boolean;
}

function keysFrom(privateKey: KeyObject | null, publicKey: KeyObject): CertificateKeys {
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyId = Buffer.from(publicKey.export({ type: 'spki', format: 'der' })).toString('base64url').slice(-12);
  return {
    keyId,
    publicKey,
    privateKey,
    publicPem: () => publicPem,
    sign(data) {
      if (!privateKey) throw new Error('this key can only verify');
      return sign(null, data, privateKey).toString('base64');
    },
    signAll(data) {
      const key = privateKey;
      if (!key) return Promise.reject(new Error('this key can only verify'));
      return Promise.all(data.map((d) => new Promise<string>((resolve, reject) => sign(null, d, key, (e, signature) => (e ? reject(e) : resolve(signature.toString('base64')))))));
    },
    verify(data, signature) {
      try {
        return verify(null, data, publicKey, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

/**
 * The key pair from `keyFile` (SIMEXIT_CERT_KEY, a PEM private key file);
 * without it, in demo mode only, one generated on first start and kept in
 * `demoFolder`. Outside demo mode a missing key stops start-up.
 */
export function loadCertificateKeys(options: { keyFile: string | undefined; demoFolder: string; demo: boolean }): CertificateKeys {
  const keyFile = options.keyFile;
  if (keyFile) {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(readFileSync(keyFile));
    } catch (e) {
      throw new AppError('CONFIG_INVALID', { reason: `SIMEXIT_CERT_KEY: cannot read an Ed25519 private key from ${keyFile}: ${(e as Error).message}` });
    }
    return keysFrom(privateKey, createPublicKey(privateKey));
  }
  if (!options.demo) throw new AppError('CONFIG_INVALID', { reason: 'SIMEXIT_CERT_KEY is not set: outside demo mode it names the Ed25519 private key (PEM) that signs certificates' });
  const folder = options.demoFolder;
  const file = join(folder, 'certificate-ed25519.pem');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(file));
  return keysFrom(privateKey, createPublicKey(privateKey));
}

/** The installation's key as `env` names it: SIMEXIT_CERT_KEY, or in demo mode the one kept in `<data>/keys`. */
export const certificateKeysOf = (env: Environment): CertificateKeys => loadCertificateKeys({ keyFile: env.certKeyFile, demoFolder: env.keysDir, demo: env.demo });

export function publicKeyFromPem(pem: string): CertificateKeys {
  return keysFrom(null, createPublicKey(pem));
}

export function ephemeralKeys(): CertificateKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return keysFrom(privateKey, publicKey);
}

/** The key pair of a private key handed over whole (to a worker thread that signs certificates). */
export function keysOfPrivateKey(privateKey: KeyObject): CertificateKeys {
  return keysFrom(privateKey, createPublicKey(privateKey));
}
