// Reading a mobile-originated deliver_sm (src/adapters/delivery/smpp-inbound.ts): receipts are not messages,
// the text is decoded by data_coding, and a message without an SMSC id is named by what it says and when.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PDU } from 'smpp';
import { inboundFrom, inboundText } from '../../src/adapters/delivery/smpp-inbound.ts';

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
