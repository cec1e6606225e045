// Inbound SMS are stored once per SMSC id, each with the one `sms.inbound` job that handles it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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
  });
}
