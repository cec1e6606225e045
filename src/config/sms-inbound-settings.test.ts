import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AppError } from '../domain/errors.ts';
import { readEnv } from './env.ts';
import { demoSmsInboundSecretFile, smsInboundSettingsOf } from './sms-inbound-settings.ts';

const folder = mkdtempSync(join(tmpdir(), 'simexit-sms-in-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('outside demo mode: the secret from SIMEXIT_SMS_INBOUND_SECRET or none; a short one stops start-up', () => {
  assert.equal(smsInboundSettingsOf(readEnv({})), undefined);
  assert.deepEqual(smsInboundSettingsOf(readEnv({ SIMEXIT_SMS_INBOUND_SECRET: 'k'.repeat(32) })), { secret: 'k'.repeat(32) });
  assert.throws(() => smsInboundSettingsOf(readEnv({ SIMEXIT_SMS_INBOUND_SECRET: 'short' })), (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID');
});

test('demo mode generates a secret once, keeps it private in the keys folder, and reads it back', () => {
  const env = readEnv({ SIMEXIT_DATA: folder }, { demo: true });
  const first = smsInboundSettingsOf(env);
  assert.ok(first && first.secret.length >= 16);
  assert.equal(smsInboundSettingsOf(env)?.secret, first.secret);
  assert.equal(readFileSync(demoSmsInboundSecretFile(env), 'utf8').trim(), first.secret);
  assert.equal(statSync(demoSmsInboundSecretFile(env)).mode & 0o777, 0o600);
  const other = smsInboundSettingsOf(readEnv({ SIMEXIT_DATA: mkdtempSync(join(folder, 'other-')) }, { demo: true }));
  assert.notEqual(other?.secret, first.secret, 'never a constant');
});
