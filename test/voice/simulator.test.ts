/**
 * The call simulator (`simexit call`) against a listening server: it plays the platform's part over the same
 * signed webhooks, so a whole call reaches a termination, and the CLI prints what is said in the caller's language.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { playCall } from '../../src/cli/call/simulator.ts';
import { demoMsisdn, seed } from '../../src/seed/seed.ts';
import { terminationByReference } from '../../src/store/terminations.repository.ts';
import { codeFromOutbox } from '../support/outbox.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { hotlineServer, VOICE_BASE_URL, type VoiceApp, withVoice } from '../support/voice.ts';

const bin = fileURLToPath(new URL('../../bin/simexit', import.meta.url));

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

for (const kind of storeKinds()) {
  describe(`the call simulator on ${kind.name}`, () => {
    let app: VoiceApp;
    let server: FastifyInstance;
    let url: string;
    before(async () => {
      app = withVoice(await openTestApp(kind));
      await seed(app, { customers: 12, seed: 11 });
      server = await hotlineServer(app);
      url = await server.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => {
      await server.close();
      await app.close();
    });

    test('a whole call played like the platform: language, document digits, the SMS code, confirm, the reference', async () => {
      const msisdn = demoMsisdn(2);
      const holder = await app.store.db.selectFrom('lines').innerJoin('customers', 'customers.id', 'lines.customer_id').select('customers.doc_last4').where('lines.msisdn', '=', msisdn).executeTakeFirstOrThrow();
      let callId = '';
      const script = ['2', holder.doc_last4 ?? '', 'code', '1', '1'];
      const result = await playCall({
        serverUrl: url,
        signingBaseUrl: VOICE_BASE_URL,
        authToken: app.voice.authToken,
        from: msisdn,
        to: '+78005550000',
        keys: async () => {
          const next = script.shift();
          if (next !== 'code') return next ?? null;
          // The caller reads the code off the phone: the SMS the hotline sent to the line.
          callId = (await app.store.db.selectFrom('calls').select('id').orderBy('started_at', 'desc').executeTakeFirstOrThrow()).id;
          return codeFromOutbox(app, callId);
        },
      });
      assert.equal(result.ended, 'hung_up_by_menu');
      const all = result.turns.flatMap((t) => t.said);
      assert.ok(all.slice(1).every((s) => s.language === 'en-GB' || all.indexOf(s) < 4), 'after the menu the call is in English');
      const call = await app.store.db.selectFrom('calls').selectAll().where('call_sid', '=', result.callSid).executeTakeFirstOrThrow();
      assert.equal(call.outcome, 'completed_in_menu');
      assert.ok(call.ended_at, 'the status callback closed the record');
      const order = await terminationByReference(app.store.db, call.reference ?? '');
      assert.equal(order?.channel, 'phone_ivr');
      assert.ok(all.some((s) => s.text.startsWith('Done.')), 'the caller hears it is done');
      assert.ok(all.some((s) => /Your reference is T,? R,? M/.test(s.text)), 'and the reference, letter by letter');
    });

    test('`simexit call` prints the menu in Russian, takes 0 to an agent and waits in the queue; --json gives the transcript', async () => {
      const env = { SIMEXIT_VOICE_AUTH_TOKEN: app.voice.authToken, SIMEXIT_VOICE_BASE_URL: VOICE_BASE_URL, SIMEXIT_DATA: '/nonexistent-simexit-data' };
      const human = await cli(['call', demoMsisdn(3), '--lang', 'ru', '--digits', '0', '--url', url], env);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /Звонок с номера \+7/);
      assert.match(human.stdout, /\[ru-RU\] Соединяю вас с сотрудником/);
      assert.match(human.stdout, /Вы в очереди к оператору/);

      const json = await cli(['call', demoMsisdn(4), '--lang', 'zh', '--digits', ',,,', '--url', url, '--json'], env);
      assert.equal(json.code, 0, json.stderr);
      const transcript = JSON.parse(json.stdout) as { callSid: string; ended: string; turns: { said: { language: string; text: string }[]; pressed: string | null }[] };
      assert.deepEqual(transcript.turns.slice(1, 4).map((t) => t.pressed), ['', '', ''], 'three silences');
      assert.ok(transcript.turns.some((t) => t.said.some((s) => s.language === 'zh-CN')));
      const row = await app.store.db.selectFrom('calls').selectAll().where('call_sid', '=', transcript.callSid).executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'handed_to_agent', 'the third wrong input (silence) hands over');
    });

    test('a wrong auth token: the server refuses the signature and the simulator says so', async () => {
      const r = await cli(['call', demoMsisdn(5), '--digits', '1', '--url', url], { SIMEXIT_VOICE_AUTH_TOKEN: 'x'.repeat(32), SIMEXIT_VOICE_BASE_URL: VOICE_BASE_URL, SIMEXIT_DATA: '/nonexistent-simexit-data' });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr + r.stdout, /refused the signature \(403\)/);
    });
  });
}
