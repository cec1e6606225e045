import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificatePdf } from '../../app/certificates.ts';
import { verifyCertificateFile } from '../../certificates/certificate-pdf.ts';
import { certificateKeysOf, publicKeyFromPem } from '../../certificates/keys.ts';
import { processEnvironment } from '../../config/env.ts';
import { AppError } from '../../domain/errors.ts';
import { isLanguage, type Language } from '../../domain/languages.ts';
import { normalizeReference } from '../../domain/reference.ts';
import { fail, openApp, output } from '../runtime.ts';
import { synopsis } from '../command-table.ts';

/** This installation's certificate key, as the server would load it (SIMEXIT_CERT_KEY, or the demo key in SIMEXIT_DATA). */
function installationKeys() {
  const env = processEnvironment();
  // Verifying may read a demo store's kept key without SIMEXIT_DEMO; it never generates one outside demo mode.
  return certificateKeysOf({ ...env, demo: env.demo || existsSync(join(env.keysDir, 'certificate-ed25519.pem')) });
}

export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const [action, target] = positionals;
  if (action === 'export') {
    if (!target) fail(synopsis('certificate'));
    const reference = normalizeReference(target as string);
    if (!reference) throw new AppError('TERMINATION_NOT_FOUND', { input: target as string });
    if (typeof values.out !== 'string') fail('--out FILE.pdf is required');
    const language = values.language as Language | undefined;
    if (language !== undefined && !isLanguage(language)) fail('--language must be ru, en or zh');
    const app = await openApp();
    try {
      const pdf = await certificatePdf(app, reference, language);
      writeFileSync(values.out as string, pdf);
      output(Boolean(values.json)).result({ reference, file: values.out, bytes: pdf.length }, () => `${reference}: certificate written to ${values.out as string} (${pdf.length} bytes)`);
      return 0;
    } finally {
      await app.close();
    }
  }
  if (action === 'verify') {
    if (!target) fail(synopsis('certificate'));
    let file: Buffer;
    try {
      file = readFileSync(target as string);
    } catch (e) {
      return fail(`cannot read ${target}: ${(e as Error).message}`);
    }
    const keys = typeof values['public-key'] === 'string' ? publicKeyFromPem(readFileSync(values['public-key'] as string, 'utf8')) : installationKeys();
    const check = verifyCertificateFile(file, keys);
    output(Boolean(values.json)).result(check, () =>
      check.ok ? `valid: ${check.facts.reference}, line ${check.facts.msisdn}, completed ${check.facts.completedAt} (key ${check.keyId})` : `NOT VALID: ${check.reason}`,
    );
    return check.ok ? 0 : 1;
  }
  return fail(synopsis('certificate'));
}
