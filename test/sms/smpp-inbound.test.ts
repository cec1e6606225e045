// Reading a mobile-originated deliver_sm (src/adapters/delivery/smpp-inbound.ts): receipts are not messages,
// the text is decoded by data_coding, a message without an SMSC id is named by what it says and when, and a
// part of a long SMS says which part it is (UDH or sar_* TLVs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import smpp, { type PDU } from 'smpp';
import { inboundFrom, inboundText } from '../../src/adapters/delivery/smpp-inbound.ts';
import { joinParts } from '../../src/domain/sms-parts.ts';

const pdu = (fields: Record<string, unknown>) => ({ response: () => pdu({}), command_status: 0, ...fields }) as unknown as PDU;
const at = new Date('2026-11-21T10:00:00.000Z');

test('a delivery receipt is not an inbound message', () => {
  assert.equal(inboundFrom(pdu({ esm_class: 0x04, short_message: { message: 'id:1 stat:DELIVRD' } }), at), undefined);
});

test('an international sender becomes E.164 and the SMSC id is kept', () => {
  const m = inboundFrom(pdu({ esm_class: 0, source_addr: '79991234567', source_addr_ton: 1, destination_addr: '3030', dest_addr_ton: 0, short_message: { message: 'STOP' }, receipted_message_id: 'abc' }), at);
  assert.deepEqual(m, { smscId: 'smpp:abc', from: '+79991234567', to: '3030', text: 'STOP' });
});

test('without an id, the same text from the same number within ten minutes is the same message, later a new one', () => {
  const mo = pdu({ esm_class: 0, source_addr: '79991234567', source_addr_ton: 1, destination_addr: '3030', short_message: { message: 'CANCEL' } });
  const first = inboundFrom(mo, at);
  assert.equal(inboundFrom(mo, new Date(at.getTime() + 30_000))?.smscId, first?.smscId);
  assert.notEqual(inboundFrom(mo, new Date(at.getTime() + 3_600_000))?.smscId, first?.smscId);
});

test('an undecoded body is read as UCS2 under data_coding 8 and as Latin-1 under 3', () => {
  assert.equal(inboundText(Buffer.from([0x04, 0x41, 0x04, 0x42]), 8), 'ст');
  assert.equal(inboundText(Buffer.from('caf\u00e9', 'latin1'), 3), 'café');
});

// Long SMS: parts as an SMSC sends them, written to bytes and read back by the smpp library as our session does.
const wire = (fields: Record<string, unknown>) => new smpp.PDU(new smpp.PDU('deliver_sm', { source_addr: '79991234567', source_addr_ton: 1, destination_addr: '3030', ...fields }).toBuffer());
const ucs2 = (text: string) => smpp.encodings.UCS2.encode(text);

test('a UCS2 part with an 8-bit reference in its UDH: the header is read and the text is the part alone', () => {
  const m = inboundFrom(wire({ esm_class: 0x40, data_coding: 8, short_message: Buffer.concat([Buffer.from([5, 0x00, 3, 0x2a, 2, 2]), ucs2('ЧИТЬ')]), receipted_message_id: 'p2' }), at);
  assert.deepEqual(m, { smscId: 'smpp:p2', from: '+79991234567', to: '3030', text: 'ЧИТЬ', part: { ref: 0x2a, total: 2, seq: 2, gsm: false } });
});

test('a 16-bit reference, and the sar_* TLVs without a UDH', () => {
  const udh16 = inboundFrom(wire({ esm_class: 0x40, data_coding: 8, short_message: Buffer.concat([Buffer.from([6, 0x08, 4, 0x01, 0x02, 3, 1]), ucs2('你好')]) }), at);
  assert.deepEqual(udh16?.part, { ref: 0x0102, total: 3, seq: 1, gsm: false });
  assert.equal(udh16?.text, '你好');
  const sar = inboundFrom(wire({ esm_class: 0, data_coding: 0, short_message: '123', sar_msg_ref_num: 0xbeef, sar_total_segments: 2, sar_segment_seqnum: 1 }), at);
  assert.deepEqual(sar?.part, { ref: 0xbeef, total: 2, seq: 1, gsm: true });
  assert.equal(sar?.text, '123');
});

test('half a surrogate pair at the end of a UCS2 part stays a code unit, and joins with the next part', () => {
  const text = '我想注销😀';
  const bytes = ucs2(text);
  const cut = bytes.length - 2; // inside the emoji's pair
  const [first, second] = [bytes.subarray(0, cut), bytes.subarray(cut)].map((b, i) => inboundFrom(wire({ esm_class: 0x40, data_coding: 8, short_message: Buffer.concat([Buffer.from([5, 0, 3, 9, 2, i + 1]), b]) }), at));
  assert.ok(first?.part && second?.part);
  assert.equal(joinParts([{ ...first.part, text: first.text }, { ...second.part, text: second.text }]), text);
});

test('a GSM part with a UDH: no fill bits in SMPP, and an escape split between parts joins as the library reads it whole', () => {
  for (const extension of '\f^{}\\[~]|€') {
    const septets = smpp.encodings.ASCII.encode(`a${extension}b`);
    assert.equal(septets[1], 0x1b, `${JSON.stringify(extension)} is an escape pair`);
    const parts = [septets.subarray(0, 2), septets.subarray(2)].map((b, i) => inboundFrom(wire({ esm_class: 0x40, data_coding: 0, short_message: Buffer.concat([Buffer.from([5, 0, 3, 4, 2, i + 1]), b]) }), at));
    assert.deepEqual(parts[0]?.part, { ref: 4, total: 2, seq: 1, gsm: true });
    const joined = joinParts(parts.map((p) => ({ ...(p?.part ?? { ref: 0, total: 0, seq: 0, gsm: true }), text: p?.text ?? '' })));
    assert.equal(joined, `a${extension}b`);
  }
});

test('without an SMSC id, two parts that say the same are still two parts', () => {
  const same = (seq: number) => inboundFrom(wire({ esm_class: 0x40, data_coding: 0, short_message: Buffer.concat([Buffer.from([5, 0, 3, 4, 2, seq]), smpp.encodings.ASCII.encode('ha ')]) }), at);
  assert.notEqual(same(1)?.smscId, same(2)?.smscId);
  assert.equal(same(1)?.smscId, same(1)?.smscId);
});
