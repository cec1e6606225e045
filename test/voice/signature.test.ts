import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import twilio from 'twilio';
import { validVoiceSignature, voiceSignature } from '../../src/channels/voice/signature.ts';

const token = randomBytes(16).toString('hex');
const cases: { name: string; url: string; params: Record<string, string> }[] = [
  { name: 'an incoming call', url: 'https://voice.example.ru/voice/twiml/incoming', params: { CallSid: 'CA0123456789abcdef0123456789abcdef', From: '+79990000001', To: '+74950000000', CallStatus: 'ringing', AccountSid: 'AC1' } },
  { name: 'keys pressed, with a query', url: 'https://voice.example.ru/voice/twiml/gather?turn=3', params: { CallSid: 'CA1', Digits: '1234', From: '+79990000001' } },
  { name: 'silence: empty Digits', url: 'https://voice.example.ru/voice/twiml/gather?turn=4&silence=1', params: { CallSid: 'CA1', Digits: '' } },
  { name: 'unicode in a parameter', url: 'https://voice.example.ru/voice/twiml/status', params: { CallSid: 'CA2', CallerName: 'Анна 王小明 ✓', CallStatus: 'completed' } },
  { name: 'no parameters', url: 'http://localhost:8080/voice/twiml/hold?call=CA3', params: {} },
];

describe('voice request signatures', () => {
  for (const c of cases) {
    test(`our check agrees with the twilio library: ${c.name}`, () => {
      const ours = voiceSignature(token, c.url, c.params);
      assert.equal(ours, twilio.getExpectedTwilioSignature(token, c.url, c.params));
      assert.ok(twilio.validateRequest(token, ours, c.url, c.params));
      assert.ok(validVoiceSignature(token, ours, c.url, c.params));
      const theirs = twilio.getExpectedTwilioSignature(token, c.url, c.params);
      assert.ok(validVoiceSignature(token, theirs, c.url, c.params));
    });
  }

  test('a changed parameter, URL or token, or no signature at all, fails both checks', () => {
    const c = cases[1] as (typeof cases)[number];
    const signature = voiceSignature(token, c.url, c.params);
    const tampered = { ...c.params, Digits: '1235' };
    assert.equal(validVoiceSignature(token, signature, c.url, tampered), false);
    assert.equal(twilio.validateRequest(token, signature, c.url, tampered), false);
    assert.equal(validVoiceSignature(token, signature, c.url.replace('turn=3', 'turn=4'), c.params), false);
    assert.equal(validVoiceSignature(`${token}x`, signature, c.url, c.params), false);
    assert.equal(validVoiceSignature(token, undefined, c.url, c.params), false);
    assert.equal(validVoiceSignature(token, `${signature}=`, c.url, c.params), false);
  });
});
