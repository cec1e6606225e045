import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { smsParts } from '../../src/adapters/delivery/smpp.ts';

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
});
