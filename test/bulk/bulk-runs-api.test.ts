// The back office's bulk runs through the API, on SQLite and Postgres: a bad file is refused naming its line and
// changes nothing; the dry run says what a run would do by blocker and channel; the run, worked through by the
// queue, does exactly that, streams its progress and gives a result file in words; the same file again (here, or
// through the older bulk-terminations route) orders nothing twice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runWorker } from '../../src/jobs/worker.ts';
import { openApi, type ApiHarness } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';

const NUMBERS = 40;
const msisdn = (i: number) => `+7999${String(i).padStart(7, '0')}`;

for (const kind of storeKinds()) {
  describe(`bulk runs on ${kind.name}`, () => {
    let h: ApiHarness;
    let auth: Record<string, string>;
    // The first NUMBERS lines of the seeded store, the first one's holder's among them.
    let FILE = '';
    let count = 0;
    before(async () => {
      h = await openApi(kind, NUMBERS);
      const lines = await h.app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').orderBy('id').limit(NUMBERS).execute();
      assert.ok(lines.some((l) => l.msisdn === msisdn(1)));
      count = lines.length;
      FILE = `msisdn,reason\n${lines.map((l) => `${l.msisdn},regulator`).join('\n')}\n`;
      auth = { authorization: `Bearer ${await h.login('backoffice')}` };
      // The first number's holder is already ending the line on the site.
      const owner = await h.login(msisdn(1));
      const own = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { authorization: `Bearer ${owner}`, 'idempotency-key': 'bulk-runs' }, payload: { lineId: 'ln_00000001', effective: 'end_of_period' } });
      assert.equal(own.statusCode, 201, own.body);
    });
    after(() => h.close());

    const upload = (csv: string, query: string) => h.server.inject({ method: 'POST', url: `/api/v1/staff/bulk-runs?${query}`, headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
    const orders = async () => Number((await h.app.store.db.selectFrom('terminations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const work = () => runWorker(h.app, { untilIdle: true, deliver: false });
    const resultFile = async (id: string, language: string) => {
      const r = await h.server.inject({ method: 'GET', url: `/api/v1/staff/bulk-runs/${id}/result.csv?language=${language}`, headers: auth });
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['content-type']), /^text\/csv/);
      return r.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    };

    test('a bad row is refused with its line and why, and nothing is stored or ordered', async () => {
      const before = await orders();
      const r = await upload(`msisdn\n${msisdn(2)}\nhello\n`, 'fileName=bad.csv');
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(r.json().code, 'CSV_INVALID');
      assert.equal(r.json().details.row, 3);
      const unknown = await upload(`msisdn\n+79995550000\n`, 'dryRun=true');
      assert.equal(unknown.json().code, 'CSV_INVALID');
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/staff/bulk-runs', headers: auth })).json().length, 0);
      assert.equal(await orders(), before);
    });

    test('dry run, then the run does what it said; its result file names every number in words; the same file twice orders nothing twice', async () => {
      const before = await orders();
      const dry = await upload(FILE, 'dryRun=true');
      assert.equal(dry.statusCode, 200, dry.body);
      const report = dry.json().report;
      assert.equal(report.requested, count);
      assert.equal(report.skippedBy.open, 1);
      assert.equal(report.byChannel.web, 1);
      assert.equal(report.created + report.skipped + report.failed, count);
      assert.equal(report.byChannel.bulk, report.created);
      assert.equal(await orders(), before, 'a dry run orders nothing');

      const started = await upload(FILE, 'fileName=regulator.csv&reason=regulator');
      assert.equal(started.statusCode, 202, started.body);
      const run = started.json().run;
      assert.deepEqual([run.state, run.total, run.fileName, started.json().existing], ['running', count, 'regulator.csv', false]);
      // Started again while it runs: the same run is answered.
      const twice = await upload(FILE, 'fileName=regulator.csv');
      assert.deepEqual([twice.json().existing, twice.json().run.id], [true, run.id]);

      await work();
      const done = (await h.server.inject({ method: 'GET', url: `/api/v1/staff/bulk-runs/${run.id}`, headers: auth })).json();
      assert.deepEqual([done.state, done.done], ['finished', count]);
      assert.deepEqual(done.report, report, 'the run did what the dry run said');
      assert.equal(await orders(), before + report.created);

      const en = await resultFile(run.id, 'en');
      assert.equal(en[0], 'number,reference,outcome');
      assert.equal(en.length, count + 1);
      assert.match(en.find((l) => l.startsWith(msisdn(1))) ?? '', /^\+79990000001,TRM-[A-Z0-9-]+,Skipped: the line is already being ended$/);
      assert.equal(en.filter((l) => /,TRM-[A-Z0-9-]+,"?Termination ordered/.test(l)).length, report.created);
      // Due now, with the built-in ports: carried out in the run's own chunks, as the CLI's bulk run does.
      assert.ok(report.scheduled > 0);
      assert.equal(en.filter((l) => /,TRM-[A-Z0-9-]+,Termination ordered and carried out: the line is ended$/.test(l)).length, report.scheduled);
      const ended = await h.app.store.db.selectFrom('terminations').select((eb) => eb.fn.countAll().as('n')).where('channel', '=', 'bulk').where('state', '=', 'completed').executeTakeFirstOrThrow();
      assert.equal(Number(ended.n), report.scheduled);
      const ru = await resultFile(run.id, 'ru');
      assert.equal(ru[0], 'номер,заявка,результат');
      assert.doesNotMatch(ru.join('\n'), /[A-Z]{3,}_[A-Z]+/, 'no code in the words');

      const again = await upload(FILE, 'fileName=regulator.csv');
      assert.equal(again.json().existing, false);
      await work();
      const second = (await h.server.inject({ method: 'GET', url: `/api/v1/staff/bulk-runs/${again.json().run.id}`, headers: auth })).json();
      assert.deepEqual([second.state, second.report.created, second.report.skippedBy.earlierRun], ['finished', 0, report.created]);
      const legacy = await h.server.inject({ method: 'POST', url: '/api/v1/staff/bulk-terminations', headers: { ...auth, 'content-type': 'text/csv' }, payload: FILE });
      assert.equal(legacy.json().created, 0, 'the older route shares the keys');
      assert.equal(await orders(), before + report.created);
      const runs = (await h.server.inject({ method: 'GET', url: '/api/v1/staff/bulk-runs', headers: auth })).json();
      assert.deepEqual(runs.map((r: { id: string }) => r.id), [again.json().run.id, run.id]);
    });

    test('the events stream tells the run moving and finished, and a reconnect with Last-Event-ID gets only what is new', async () => {
      const csv = `msisdn\n${Array.from({ length: 5 }, (_, i) => msisdn(i + 1)).join('\n')}\n# another file\n`;
      const started = await upload(csv, '');
      assert.equal(started.statusCode, 202, started.body);
      const { run } = started.json();
      const url = await h.server.listen({ port: 0, host: '127.0.0.1' });
      try {
        const stream = await fetch(`${url}/api/v1/staff/bulk-runs/${run.id}/events`, { headers: { ...auth, accept: 'text/event-stream' } });
        const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        let text = '';
        // The run as it stands first, then the worker moves it.
        while (!/event: progress/.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
        await work();
        for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value, { stream: true });
        assert.match(text, /^event: progress$/m);
        assert.match(text, /^id: 5\nevent: finished\ndata: \{.*"state":"finished"/m);
        const replay = await fetch(`${url}/api/v1/staff/bulk-runs/${run.id}/events`, { headers: { ...auth, accept: 'text/event-stream', 'last-event-id': '5' } }).then((r) => r.text());
        assert.doesNotMatch(replay, /event: progress/);
        assert.match(replay, /event: finished/);
      } finally {
        await h.server.close();
      }
    });
  });
}
