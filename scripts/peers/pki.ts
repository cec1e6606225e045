// A throw-away PKI made with the openssl CLI for one test file (or the integrations demo): a CA, and certificates
// it signs for servers (valid for 127.0.0.1 and localhost) and for clients.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** Whether the openssl CLI can be run here (the PKI needs it). */
export function hasOpenssl(): boolean {
  try {
    openssl(['version']);
    return true;
  } catch {
    return false;
  }
}

/** `folder`: where the keys and certificates go (made if missing); by default a new temporary folder. */
export function testPki(folder?: string) {
  const dir = folder ?? mkdtempSync(join(tmpdir(), 'simexit-es2-pki-'));
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const read = (certFile: string, keyFile: string): Pem => ({ cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile });
  const newKey = (file: string) => openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file]);

  function ca(name: string): Pem & { issue(cn: string, usage: 'server' | 'client'): Pem } {
    const id = n++;
    const keyFile = join(dir, `ca${id}.key`);
    const certFile = join(dir, `ca${id}.pem`);
    newKey(keyFile);
    openssl(['req', '-x509', '-new', '-key', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    return {
      ...read(certFile, keyFile),
      issue(cn, usage) {
        const k = n++;
        const key = join(dir, `c${k}.key`);
        const csr = join(dir, `c${k}.csr`);
        const cert = join(dir, `c${k}.pem`);
        const ext = join(dir, `c${k}.ext`);
        newKey(key);
        openssl(['req', '-new', '-key', key, '-out', csr, '-subj', `/CN=${cn}`]);
        writeFileSync(ext, usage === 'server' ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n');
        openssl(['x509', '-req', '-in', csr, '-CA', certFile, '-CAkey', keyFile, '-CAcreateserial', '-out', cert, '-days', '30', '-extfile', ext]);
        return read(cert, key);
      },
    };
  }
  return { ca, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
