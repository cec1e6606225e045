import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AppError } from '../domain/errors.ts';
import { readEnv } from './env.ts';
import { demoVoiceTokenFile, voiceSettingsOf } from './voice-settings.ts';

const folder = mkdtempSync(join(tmpdir(), 'simexit-voice-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('outside demo mode: both settings or none; one alone stops start-up', () => {
  assert.equal(voiceSettingsOf(readEnv({})), undefined);
  assert.deepEqual(voiceSettingsOf(readEnv({ SIMEXIT_VOICE_BASE_URL: 'https://v.example.ru', SIMEXIT_VOICE_AUTH_TOKEN: 'x'.repeat(32) })), { authToken: 'x'.repeat(32), baseUrl: 'https://v.example.ru' });
  assert.throws(() => voiceSettingsOf(readEnv({ SIMEXIT_VOICE_AUTH_TOKEN: 'x'.repeat(32) })), (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID');
  assert.throws(() => voiceSettingsOf(readEnv({ SIMEXIT_VOICE_BASE_URL: 'https://v.example.ru', SIMEXIT_VOICE_AUTH_TOKEN: 'short' })), (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID');
});

test('demo mode generates a token once, keeps it private in the keys folder, and reads it back', () => {
  const env = readEnv({ SIMEXIT_DATA: folder }, { demo: true });
  const first = voiceSettingsOf(env);
  const again = voiceSettingsOf(env);
  assert.ok(first && first.authToken.length >= 16);
  assert.equal(again?.authToken, first.authToken);
  assert.equal(readFileSync(demoVoiceTokenFile(env), 'utf8').trim(), first.authToken);
  assert.equal(statSync(demoVoiceTokenFile(env)).mode & 0o777, 0o600);
  const other = voiceSettingsOf(readEnv({ SIMEXIT_DATA: mkdtempSync(join(folder, 'other-')) }, { demo: true }));
  assert.notEqual(other?.authToken, first.authToken, 'never a constant');
});
