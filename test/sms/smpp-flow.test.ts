// Text-to-cancel end to end through the real SMPP server the suite starts (issue 14): the customer's SMS comes
// in as deliver_sm and the replies go out as submit_sm on the one session the adapter holds, UCS2 for Russian
// and Chinese; in ru, en and zh: keyword → preview and code → code → confirmed with the reference.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deliverers } from '../../src/adapters/delivery/deliverer.ts';
import type { Language } from '../../src/domain/languages.ts';
import { deliverersFor } from '../../src/notifications/deliver.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { openTerminationsByLine, terminationByReference } from '../../src/store/terminations.repository.ts';
import { openApi } from '../support/api.ts';
import { storeKinds, type TestApp } from '../support/stores.ts';
import { type SmppPeer, startSmppPeer } from '../notifications/support/peers.ts';
import { linesSpeaking } from './support.ts';

const SHORT = '3030';
const KEYWORD: Record<Language, string> = { ru: 'Отключить', en: 'CANCEL', zh: '注销' };
const CODE_IN: Record<Language, RegExp> = { ru: /ответьте (\d{6})/, en: /reply (\d{6})/, zh: /回复(\d{6})确认/ };
const CONFIRMED: Record<Language, (reference: string) => RegExp> = {
  ru: (r) => new RegExp(`^Заявка ${r} подтверждена, расторжение с `),
  en: (r) => new RegExp(`^Request ${r} confirmed: your contract ends on `),
  zh: (r) => new RegExp(`^申请${r}已确认，合同将于`),
};

/** What the SMSC was asked to send to `msisdn` since `from` (an index into `submitted`). */
const sentTo = (smsc: SmppPeer, msisdn: string, from = 0) => smsc.submitted.slice(from).filter((s) => s.pdu.destination_addr === msisdn.replace(/^\+/, ''));

/** The SMSC delivers an SMS; our acknowledgement means it is stored (with its job); the worker then handles it. */
async function texted(app: TestApp, smsc: SmppPeer, deliverers: Deliverers, sms: { from: string; text: string; id?: string }): Promise<void> {
  assert.equal(await smsc.deliver({ ...sms, to: SHORT }), 0, 'acknowledged once stored');
  await runWorker(app, { untilIdle: true, deliverers });
}

for (const kind of storeKinds()) {
  describe(`text-to-cancel over SMPP (${kind.name})`, () => {
    test('keyword, preview and code, wrong code, code, confirmed: in ru, en and zh on one session; a repeat and a stranger', async () => {
      const h = await openApi(kind);
      const smsc = await startSmppPeer();
      const deliverers = deliverersFor(h.app, { SIMEXIT_SMPP_URL: smsc.url(), SIMEXIT_SMS_FROM: SHORT });
      try {
        await deliverers.sms.listen?.();
        for (const language of ['ru', 'en', 'zh'] as const) {
          const [line] = await linesSpeaking(h.app, language);
          assert.ok(line, `a line in ${language}`);
          const mark = smsc.submitted.length;
          await texted(h.app, smsc, deliverers, { from: line.msisdn, text: KEYWORD[language], id: `mo-${language}-1` });
          const open = (await openTerminationsByLine(h.app.store.db, [line.lineId])).get(line.lineId);
          assert.equal(open?.state, 'awaiting_confirmation', language);
          const preview = sentTo(smsc, line.msisdn, mark).find((s) => CODE_IN[language].test(s.text));
          assert.ok(preview, `the preview with its code reached the SMSC (${language})`);
          assert.equal(preview.pdu.data_coding, language === 'en' ? 0 : 8, language === 'en' ? 'GSM-7' : 'UCS2');
          const code = CODE_IN[language].exec(preview.text)?.[1] ?? '';

          const wrong = code === '000000' ? '111111' : '000000';
          const beforeWrong = smsc.submitted.length;
          await texted(h.app, smsc, deliverers, { from: line.msisdn, text: wrong, id: `mo-${language}-2` });
          assert.equal(sentTo(smsc, line.msisdn, beforeWrong).length, 1, 'one reply to the wrong code');

          const beforeCode = smsc.submitted.length;
          await texted(h.app, smsc, deliverers, { from: line.msisdn, text: code, id: `mo-${language}-3` });
          const t = await terminationByReference(h.app.store.db, open?.reference ?? '');
          assert.equal(t?.state, 'scheduled', language);
          assert.equal(t?.channel, 'sms');
          const confirmed = sentTo(smsc, line.msisdn, beforeCode).find((s) => CONFIRMED[language](t?.reference ?? '').test(s.text));
          assert.ok(confirmed, `the confirmation names ${t?.reference} (${language}): ${sentTo(smsc, line.msisdn, beforeCode).map((s) => s.text).join(' | ')}`);

          // The SMSC did not get our acknowledgement and delivers the code again: stored and handled once.
          const beforeRepeat = smsc.submitted.length;
          await texted(h.app, smsc, deliverers, { from: line.msisdn, text: code, id: `mo-${language}-3` });
          assert.equal(sentTo(smsc, line.msisdn, beforeRepeat).length, 0, 'no second reply');
          assert.equal((await h.app.store.db.selectFrom('inbound_sms').select('id').where('smsc_id', '=', `smpp:mo-${language}-3`).execute()).length, 1);
        }

        const stranger = '+79990009999';
        await texted(h.app, smsc, deliverers, { from: stranger, text: 'CANCEL' });
        assert.equal(sentTo(smsc, stranger).length, 0, 'a number that is not ours gets no reply');
        const row = await h.app.store.db.selectFrom('inbound_sms').select(['outcome', 'via']).where('from_number', '=', stranger).executeTakeFirstOrThrow();
        assert.deepEqual({ ...row }, { outcome: 'not_ours', via: 'smpp' });
        assert.equal(smsc.binds.length, 1, 'everything went in and out on one session');
      } finally {
        await deliverers.close();
        await smsc.close();
        await h.close();
      }
    });
  });
}
