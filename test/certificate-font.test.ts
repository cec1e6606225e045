// A configured certificate font that cannot be used stops the render with a message naming it,
// instead of printing Russian and Chinese in a font without their letters.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

const collection = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

test('a font collection without the configured face is refused by name', { skip: existsSync(collection) ? false : 'needs fonts-noto-cjk' }, () => {
  const script = `
    const { renderCertificate, useCertificateFont } = await import(${JSON.stringify(new URL('../src/certificates/certificate-pdf.ts', import.meta.url).href)});
    const { readEnv } = await import(${JSON.stringify(new URL('../src/config/env.ts', import.meta.url).href)});
    // As the composition root does at start-up.
    useCertificateFont(readEnv(process.env).certificateFont);
    const { ephemeralKeys } = await import(${JSON.stringify(new URL('../src/certificates/keys.ts', import.meta.url).href)});
    const facts = { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', simType: 'sim', channel: 'web', requestedAt: '2026-11-21T10:00:00.000Z', effectiveAt: '2026-11-22T10:00:00.000Z', completedAt: '2026-11-22T10:00:04.000Z', amountSettled: 100, amountRefunded: 0, currency: 'RUB', quarantineUntil: null };
    await renderCertificate(facts, { language: 'ru', operatorName: 'Demo', siteUrl: 'http://localhost', timeZone: 'UTC', keys: ephemeralKeys() });`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, SIMEXIT_CERT_FONT: collection, SIMEXIT_CERT_FONT_FAMILY: 'NoSuchFace' },
    encoding: 'utf8',
  });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /certificate font .*NotoSansCJK-Regular\.ttc has no face named NoSuchFace/);
});
