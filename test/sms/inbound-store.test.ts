// Inbound SMS are stored once per SMSC id, each with the one `sms.inbound` job that handles it; the parts of a
// long SMS once each, and their message joined once however the `sms.parts` jobs run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { receiveSms, settleInboundParts } from '../../src/app/sms-parts.ts';
import { inTransaction } from '../../src/store/database.ts';
import { inboundSmsById, inboundTimesBefore, markInboundHandled, recordInboundSms } from '../../src/store/inbound-sms.repository.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';

for (const kind of storeKinds()) {
  describe(`inbound SMS store (${kind.name})`, () => {
    test('a message the SMSC delivers twice is stored once, with one job', async () => {
      const app = await openTestApp(kind);
      try {
        const sms = { smscId: 'smsc-1', from: '+79991234567', to: '3030', text: 'ОТКЛЮЧИТЬ', via: 'smpp' as const };
        const first = await inTransaction(app.store, (tx) => recordInboundSms(tx, sms, 5, app.clock()));
        app.clock.advanceHours(1);
        const again = await inTransaction(app.store, (tx) => recordInboundSms(tx, { ...sms, text: 'other' }, 5, app.clock()));
        assert.equal(first.created, true);
        assert.deepEqual(again, { id: first.id, created: false });
        const jobs = (await app.store.db.selectFrom('jobs').select(['kind', 'key', 'subject']).where('kind', '=', 'sms.inbound').execute()).map((j) => ({ ...j }));
        assert.deepEqual(jobs, [{ kind: 'sms.inbound', key: 'sms.inbound:smsc-1', subject: first.id }]);
        const stored = await inboundSmsById(app.store.db, first.id);
        assert.equal(stored?.text, 'ОТКЛЮЧИТЬ');
        assert.equal(stored?.via, 'smpp');
        assert.equal(stored?.handledAt, null);

        assert.equal(await inTransaction(app.store, (tx) => markInboundHandled(tx, first.id, 'help', app.clock())), true);
        assert.equal(await inTransaction(app.store, (tx) => markInboundHandled(tx, first.id, 'help', app.clock())), false, 'handled once');
        assert.equal((await inboundSmsById(app.store.db, first.id))?.outcome, 'help');
      } finally {
        await app.close();
      }
    });

    test('the history of a number holds its earlier messages only', async () => {
      const app = await openTestApp(kind);
      try {
        const record = (smscId: string, from: string) => inTransaction(app.store, (tx) => recordInboundSms(tx, { smscId, from, to: '3030', text: 'HELP', via: 'http' }, 5, app.clock()));
        await record('a', '+79990000001');
        app.clock.advanceHours(1);
        await record('b', '+79990000002');
        app.clock.advanceHours(1);
        const c = await record('c', '+79990000001');
        const message = await inboundSmsById(app.store.db, c.id);
        assert.ok(message);
        const times = await inboundTimesBefore(app.store.db, message);
        assert.equal(times.length, 1);
        assert.equal(Date.parse(times[0] ?? ''), Date.parse('2026-11-21T10:00:00.000Z'));
      } finally {
        await app.close();
      }
    });

    test('parts stored once each (by SMSC id, and by place under a new id); the message joined once, even by two jobs at once', async () => {
      const app = await openTestApp(kind);
      try {
        const part = (smscId: string, seq: number, text: string) => receiveSms(app, { smscId, from: '+79991234567', to: '3030', text, via: 'smpp', part: { ref: 3, total: 2, seq, gsm: false } });
        const one = await part('p1', 1, 'ОТКЛЮ');
        assert.equal(one.created, true);
        assert.deepEqual(await part('p1', 1, 'ОТКЛЮ'), { id: one.id, created: false });
        assert.deepEqual(await part('p1-again', 1, 'ОТКЛЮ'), { id: one.id, created: false });
        const two = await part('p2', 2, 'ЧИТЬ');
        assert.equal((await app.store.db.selectFrom('inbound_sms_parts').select('id').execute()).length, 2);
        const outcomes = await Promise.all([settleInboundParts(app, one.id), settleInboundParts(app, two.id)]);
        assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['closed', 'joined']);
        const messages = await app.store.db.selectFrom('inbound_sms').select(['text', 'smsc_id']).execute();
        assert.deepEqual(messages.map((m) => ({ ...m })), [{ text: 'ОТКЛЮЧИТЬ', smsc_id: 'parts:p1' }]);
        const jobs = await app.store.db.selectFrom('jobs').select('key').where('kind', '=', 'sms.inbound').execute();
        assert.deepEqual(jobs.map((j) => j.key), ['sms.inbound:parts:p1'], 'handled by one job');
      } finally {
        await app.close();
      }
    });
  });
}
