import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../domain/errors.ts';
import { readEnv } from './env.ts';

test('an empty environment gives the documented defaults', () => {
  const env = readEnv({});
  assert.equal(env.demo, false);
  assert.equal(env.db, 'sqlite:data/simexit.db');
  assert.equal(env.outbox, 'data/outbox');
  assert.equal(env.port, 8080);
  assert.equal(env.responseChecks, 'log');
  assert.equal(env.log, undefined);
  assert.equal(env.auditAnchorMinutes, 15);
  assert.equal(env.paymentWebhookToleranceSeconds, 300);
  assert.deepEqual(env.delivery, { SIMEXIT_SMTP_URL: undefined, SIMEXIT_SMPP_URL: undefined, SIMEXIT_SMS_HTTP_URL: undefined, SIMEXIT_OUTBOX: undefined, SIMEXIT_DATA: undefined, SIMEXIT_MAIL_FROM: undefined, SIMEXIT_SMS_FROM: undefined });
});

test('values are read as simexit uses them; start passes demo mode itself', () => {
  const env = readEnv({ SIMEXIT_DATA: '/srv/simexit', SIMEXIT_DEMO: 'yes', PORT: '9000', SIMEXIT_VALIDATE_RESPONSES: '1', SIMEXIT_LOG: 'off', SIMEXIT_TRUST_PROXY: '10.0.0.1, 10.0.0.0/8', SIMEXIT_SMTP_URL: 'smtp://relay:587' });
  assert.equal(env.demo, true);
  assert.equal(env.db, 'sqlite:/srv/simexit/simexit.db');
  assert.equal(env.keysDir, '/srv/simexit/keys');
  assert.equal(env.port, 9000);
  assert.equal(env.responseChecks, 'strict');
  assert.equal(env.log, false);
  assert.deepEqual(env.trustProxy, ['10.0.0.1', '10.0.0.0/8']);
  assert.equal(env.delivery.SIMEXIT_SMTP_URL, 'smtp://relay:587');
  assert.equal(readEnv({ SIMEXIT_DEMO: '0' }, { demo: true }).demo, true);
});

test('every value simexit cannot use is named in one CONFIG_INVALID, passwords left out', () => {
  assert.throws(
    () => readEnv({ PORT: '70000', SIMEXIT_PAYMENT_WEBHOOK_TOLERANCE: 'soon', SIMEXIT_VALIDATE_RESPONSES: 'maybe', SIMEXIT_SMPP_URL: 'tcp://id:pw@smsc' }),
    (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'CONFIG_INVALID');
      const reason = String(e.details.reason);
      for (const name of ['PORT', 'SIMEXIT_PAYMENT_WEBHOOK_TOLERANCE', 'SIMEXIT_VALIDATE_RESPONSES', 'SIMEXIT_SMPP_URL']) assert.match(reason, new RegExp(`- ${name}: `));
      assert.doesNotMatch(reason, /pw@/);
      return true;
    },
  );
});

test('the voice platform settings are read, its address checked', () => {
  const env = readEnv({ SIMEXIT_VOICE_BASE_URL: 'https://voice.example.ru', SIMEXIT_VOICE_AUTH_TOKEN: 'a-token-of-the-platform' });
  assert.equal(env.voiceBaseUrl, 'https://voice.example.ru');
  assert.equal(env.voiceAuthToken, 'a-token-of-the-platform');
  assert.throws(() => readEnv({ SIMEXIT_VOICE_BASE_URL: 'voice.example.ru' }), (e: unknown) => e instanceof AppError && /SIMEXIT_VOICE_BASE_URL/.test(String(e.details.reason)));
});
