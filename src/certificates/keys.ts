import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The operator's Ed25519 key for certificates. `keyId` names it in every signature so keys can rotate. */
export interface CertificateKeys {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject | null;
  publicPem(): string;
  sign(data: Uint8Array): string;
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
 * The key pair from SIMEXIT_CERT_KEY (a PEM private key file); without it, in
 * demo mode, one generated on first start and kept under ./data/keys.
 */
export function loadCertificateKeys(options: { keyFile?: string; demoFolder?: string } = {}): CertificateKeys {
  const keyFile = options.keyFile ?? process.env.SIMEXIT_CERT_KEY;
  if (keyFile) {
    const privateKey = createPrivateKey(readFileSync(keyFile));
    return keysFrom(privateKey, createPublicKey(privateKey));
  }
  const folder = options.demoFolder ?? join(process.env.SIMEXIT_DATA ?? './data', 'keys');
  const file = join(folder, 'certificate-ed25519.pem');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(file));
  return keysFrom(privateKey, createPublicKey(privateKey));
}

export function publicKeyFromPem(pem: string): CertificateKeys {
  return keysFrom(null, createPublicKey(pem));
}

export function ephemeralKeys(): CertificateKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return keysFrom(privateKey, publicKey);
}
