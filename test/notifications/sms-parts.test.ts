import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isGsm7, smsParts, smsSegments } from '../../src/adapters/delivery/smpp.ts';

describe('splitting a long SMS into concatenated parts', () => {
  test('a text that fits one SMS stays whole', () => {
    assert.deepEqual(smsParts('a'.repeat(160), true), ['a'.repeat(160)]);
    assert.deepEqual(smsParts('я'.repeat(70), false), ['я'.repeat(70)]);
  });

  test('GSM parts hold 153 septets and an escaped character is never cut in two', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(100)}`;
    const parts = smsParts(text, true);
    assert.deepEqual(parts, ['a'.repeat(152), `€${'b'.repeat(100)}`], '€ takes two septets: it moves to the next part');
    assert.equal(parts.join(''), text);
  });

  test('UCS2 parts hold 67 units and a surrogate pair stays together', () => {
    const text = `${'я'.repeat(66)}😀${'ж'.repeat(10)}`;
    const parts = smsParts(text, false);
    assert.deepEqual(parts, ['я'.repeat(66), `😀${'ж'.repeat(10)}`]);
    const chinese = '您的注销申请已收到'.repeat(20);
    assert.ok(smsParts(chinese, false).every((p) => p.length <= 67));
    assert.equal(smsParts(chinese, false).join(''), chinese);
  });

  test('a text is counted in the segments it is submitted as: GSM-7 when every character has a septet, else UCS2', () => {
    assert.equal(isGsm7('Reply 123456 to confirm. £5 @ 10:00'), true);
    assert.equal(isGsm7('RUB\u00a012.00'), false, 'a no-break space has no GSM-7 septet');
    assert.equal(smsSegments('a'.repeat(160)), 1);
    assert.equal(smsSegments('a'.repeat(161)), 2);
    assert.equal(smsSegments('a'.repeat(306)), 2);
    assert.equal(smsSegments('я'.repeat(70)), 1);
    assert.equal(smsSegments('я'.repeat(71)), 2);
    assert.equal(smsSegments('注'.repeat(134)), 2);
    assert.equal(smsSegments('注'.repeat(135)), 3);
  });
});
