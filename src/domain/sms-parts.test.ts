import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideParts, joinParts, type OpenPart, PART_REPEAT_SECONDS, partArrival, PARTS_TIMEOUT_SECONDS, partHeaderOfSar, partHeaderOfUdh } from './sms-parts.ts';
import { addSeconds } from './time.ts';

const udh = (...bytes: number[]) => Uint8Array.from(bytes);
const at = '2026-11-21T10:00:00.000Z';

describe('the concatenation header of a UDH', () => {
  test('an 8-bit reference (IE 0x00): reference, total and place', () => {
    assert.deepEqual(partHeaderOfUdh(udh(0x05, 0x00, 0x03, 0xa7, 0x02, 0x01)), { ref: 0xa7, total: 2, seq: 1 });
  });

  test('a 16-bit reference (IE 0x08)', () => {
    assert.deepEqual(partHeaderOfUdh(udh(0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x03)), { ref: 0x1234, total: 3, seq: 3 });
  });

  test('found among other elements (a port address before it)', () => {
    assert.deepEqual(partHeaderOfUdh(udh(0x0b, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, 0x00, 0x03, 0x09, 0x04, 0x02)), { ref: 9, total: 4, seq: 2 });
  });

  test('none, a void one (total 0, place 0, place past the total), a single part or a truncated header is no part', () => {
    assert.equal(partHeaderOfUdh(udh(0x04, 0x05, 0x02, 0x0b, 0x84)), undefined, 'only a port address');
    assert.equal(partHeaderOfUdh(udh(0x05, 0x00, 0x03, 0x01, 0x00, 0x01)), undefined);
    assert.equal(partHeaderOfUdh(udh(0x05, 0x00, 0x03, 0x01, 0x02, 0x00)), undefined);
    assert.equal(partHeaderOfUdh(udh(0x05, 0x00, 0x03, 0x01, 0x02, 0x03)), undefined);
    assert.equal(partHeaderOfUdh(udh(0x05, 0x00, 0x03, 0x01, 0x01, 0x01)), undefined, 'one part of one is a whole message');
    assert.equal(partHeaderOfUdh(udh(0x05, 0x00, 0x03, 0x01)), undefined);
    assert.equal(partHeaderOfUdh(udh()), undefined);
  });

  test('of two concatenation elements the last counts', () => {
    assert.deepEqual(partHeaderOfUdh(udh(0x0a, 0x00, 0x03, 0x01, 0x02, 0x01, 0x00, 0x03, 0x07, 0x02, 0x02)), { ref: 7, total: 2, seq: 2 });
  });
});

describe('the sar_* TLVs', () => {
  test('all three make a part; numbers or digits', () => {
    assert.deepEqual(partHeaderOfSar({ ref: 0xbeef, total: 2, seq: 2 }), { ref: 0xbeef, total: 2, seq: 2 });
    assert.deepEqual(partHeaderOfSar({ ref: '17', total: '3', seq: '1' }), { ref: 17, total: 3, seq: 1 });
  });

  test('missing, out of range or a single part: none', () => {
    assert.equal(partHeaderOfSar({ ref: undefined, total: undefined, seq: undefined }), undefined);
    assert.equal(partHeaderOfSar({ ref: 5, total: 2, seq: undefined }), undefined);
    assert.equal(partHeaderOfSar({ ref: 70000, total: 2, seq: 1 }), undefined);
    assert.equal(partHeaderOfSar({ ref: 5, total: 2, seq: 3 }), undefined);
    assert.equal(partHeaderOfSar({ ref: 5, total: 1, seq: 1 }), undefined);
    assert.equal(partHeaderOfSar({ ref: 5, total: 2.5, seq: 1 }), undefined);
  });
});

const part = (seq: number, text: string, receivedAt = at, total = 2, gsm = false): OpenPart => ({ ref: 1, total, seq, text, gsm, receivedAt });

describe('joining the parts', () => {
  test('whole once every place is filled, in place order whatever the arrival order; received with its last part', () => {
    const later = addSeconds(at, 5);
    assert.deepEqual(decideParts([part(2, 'ЧИТЬ', at), part(1, 'ОТКЛЮ', later)], later), { kind: 'whole', text: 'ОТКЛЮЧИТЬ', receivedAt: later });
  });

  test('a surrogate pair split between two UCS2 parts is one character again', () => {
    const text = '请注销我的号码😀谢谢';
    const cut = text.indexOf('😀') + 1; // between the two halves of the pair
    assert.equal(joinParts([part(1, text.slice(0, cut)), part(2, text.slice(cut))]), text);
    assert.equal(joinParts([part(1, text.slice(0, cut))]), `${text.slice(0, cut - 1)}\ufffd`, 'half a pair left alone shows as U+FFFD');
  });

  test('a GSM escape at the end of a part is read with the character that opens the next', () => {
    assert.equal(joinParts([part(1, 'price 5\x1b', at, 2, true), part(2, 'e please', at, 2, true)]), 'price 5€ please');
    assert.equal(joinParts([part(1, 'a\x1b', at, 2, false), part(2, '(b', at, 2, false)]), 'a\x1b(b', 'not in UCS2');
  });

  test('missing parts: wait until the timeout after the first part, then give up, naming the missing places', () => {
    const parts = [part(1, 'a', at, 3), part(3, 'c', addSeconds(at, 30), 3)];
    assert.deepEqual(decideParts(parts, addSeconds(at, 60)), { kind: 'wait', until: addSeconds(at, PARTS_TIMEOUT_SECONDS) });
    assert.deepEqual(decideParts(parts, addSeconds(at, PARTS_TIMEOUT_SECONDS)), { kind: 'given_up', missing: [2] });
  });
});

describe('a part that arrives', () => {
  test('fills its place, repeats one already filled, or comes after its message was closed', () => {
    const now = addSeconds(at, 60);
    assert.equal(partArrival([], 1, now), 'store');
    assert.equal(partArrival([{ seq: 1, receivedAt: at, closed: false }], 2, now), 'store');
    assert.equal(partArrival([{ seq: 1, receivedAt: at, closed: false }], 1, now), 'duplicate');
    assert.equal(partArrival([{ seq: 1, receivedAt: at, closed: true }], 1, now), 'duplicate');
    assert.equal(partArrival([{ seq: 1, receivedAt: at, closed: true }], 2, now), 'late');
  });

  test('after the repeat window the same reference is a new message', () => {
    const now = addSeconds(at, PART_REPEAT_SECONDS + 1);
    assert.equal(partArrival([{ seq: 1, receivedAt: at, closed: true }], 1, now), 'store');
  });
});
