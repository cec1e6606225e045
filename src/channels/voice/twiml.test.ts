import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderTwiml, xmlEscape } from './twiml.ts';

describe('TwiML', () => {
  test('a gather speaks inside it, in the language given, and falls back to the silence URL', () => {
    const xml = renderTwiml({ say: [{ text: 'Для русского языка нажмите 1.', language: 'ru' }, { text: '中文请按3。', language: 'zh' }], slow: false, next: { kind: 'gather', numDigits: 1, timeoutSeconds: 6, action: '/voice/twiml/gather?call=a&turn=1', silenceUrl: '/voice/twiml/gather?call=a&turn=1&silence=1' } });
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" numDigits="1" timeout="6" finishOnKey="" action="/voice/twiml/gather?call=a&amp;turn=1" method="POST" actionOnEmptyResult="true"><Say language="ru-RU">Для русского языка нажмите 1.</Say><Say language="zh-CN">中文请按3。</Say></Gather><Redirect method="POST">/voice/twiml/gather?call=a&amp;turn=1&amp;silence=1</Redirect></Response>',
    );
  });

  test('slow speech wraps each sentence in SSML prosody; text is escaped', () => {
    const xml = renderTwiml({ say: [{ text: 'Tom & "Jerry" <b>', language: 'en' }], slow: true, next: { kind: 'hangup' } });
    assert.match(xml, /<Say language="en-GB"><prosody rate="slow">Tom &amp; &quot;Jerry&quot; &lt;b&gt;<\/prosody><\/Say><Hangup\/>/);
  });

  test('enqueue, dial, redirect', () => {
    assert.match(renderTwiml({ say: [], slow: false, next: { kind: 'enqueue', queue: 'agents-zh', waitUrl: '/voice/twiml/hold?call=x' } }), /<Enqueue waitUrl="\/voice\/twiml\/hold\?call=x" waitUrlMethod="POST">agents-zh<\/Enqueue>/);
    assert.match(renderTwiml({ say: [], slow: false, next: { kind: 'dial', number: '+74950000000' } }), /<Dial>\+74950000000<\/Dial>/);
    assert.match(renderTwiml({ say: [], slow: false, next: { kind: 'redirect', url: '/a?b=1&c=2' } }), /<Redirect method="POST">\/a\?b=1&amp;c=2<\/Redirect>/);
    assert.equal(xmlEscape(`'`), '&apos;');
  });
});
