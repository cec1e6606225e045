/**
 * Fuzz of the hotline's webhooks (the companion of test/api-fuzz.test.ts, whose generator reads JSON routes off
 * /openapi.json; these answer TwiML and are not listed there). Generated bad requests — unsigned, wrongly
 * signed, signed for another URL, replayed, signed but malformed (no CallSid, a CallSid that is no call id, an
 * unknown call, a bad turn), wrong content types, oversized bodies, NUL and Unicode junk — must be answered in
 * TwiML with a 4xx, never a 5xx and never JSON, and nothing in the store may change. A real call in progress is
 * in the fixture: no forged request may move it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { buildServer } from '../../src/channels/api/server.ts';
import { demoMsisdn, seed } from '../../src/seed/seed.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { PhoneCall, VOICE_BASE_URL, type VoiceApp, withVoice } from '../support/voice.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const PATHS = ['/voice/twiml/incoming', '/voice/twiml/gather', '/voice/twiml/hold', '/voice/twiml/hold/keys', '/voice/twiml/status'];
const TABLES = ['calls', 'terminations', 'otp_codes', 'notifications', 'audit_log', 'jobs', 'lines'] as const;

interface Probe {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly payload: string;
  readonly why: string;
}

for (const kind of storeKinds()) {
  describe(`hotline webhook fuzz on ${kind.name}`, () => {
    let app: VoiceApp;
    let server: FastifyInstance;
    let live: PhoneCall;
    before(async () => {
      app = withVoice(await openTestApp(kind));
      await seed(app, { customers: 8, seed: 11 });
      server = await buildServer(app, {});
      live = new PhoneCall(server, app, demoMsisdn(1));
      await live.start();
      await live.press('2');
    });
    after(async () => {
      await server.close();
      await app.close();
    });

    const snapshot = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, JSON.stringify(await app.store.db.selectFrom(t).selectAll().execute())] as const)));

    function probes(): Probe[] {
      const junk = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', '\u0000', '%00', '١٢٣', '9'.repeat(200), '<Say>x</Say>', '"&\''));
      const sid = fc.oneof(fc.constant(undefined), junk, fc.constantFrom(live.sid, `CA${'0'.repeat(32)}`, 'CA../../etc', 'CA"><x'));
      const signing = fc.constantFrom('none', 'random', 'other-url', 'other-token', 'valid');
      const probe = fc.record({ path: fc.constantFrom(...PATHS), query: fc.constantFrom('', '?turn=1', '?turn=-4', '?turn=abc', `?turn=99`, '?turn=1&silence=1', '?%E0%A4%A'), sid, digits: fc.oneof(fc.constant(undefined), junk), status: fc.oneof(fc.constant(undefined), junk, fc.constantFrom('completed', 'busy')), extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), junk, { maxKeys: 4 }), signing, type: fc.constantFrom('form', 'form', 'form', 'json', 'text', 'none', 'huge') });
      return fc.sample(probe, { numRuns: RUNS, seed: SEED }).map((p) => {
        const params: Record<string, string> = { ...p.extra };
        if (p.sid !== undefined) params.CallSid = p.sid;
        if (p.digits !== undefined) params.Digits = p.digits;
        if (p.status !== undefined) params.CallStatus = p.status;
        params.From = demoMsisdn(2);
        const path = `${p.path}${p.query}`;
        let signing = p.signing;
        // A correctly signed incoming webhook with a real call id is a real call, not a bad request: sign it wrongly.
        const realCall = typeof p.sid === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(p.sid) && !p.sid.includes('..');
        if (signing === 'valid' && realCall && (p.path.endsWith('/incoming') || p.path.endsWith('/status') || p.path.endsWith('/hold/keys') || p.sid === live.sid)) signing = 'random';
        const signature =
          signing === 'none' ? undefined : signing === 'random' ? 'cmFuZG9tIGp1bms=' : twilio.getExpectedTwilioSignature(signing === 'other-token' ? 'another-token-entirely' : app.voice.authToken, signing === 'other-url' ? `${VOICE_BASE_URL}/elsewhere` : `${VOICE_BASE_URL}${path}`, params);
        const form = new URLSearchParams(params).toString();
        const payload = p.type === 'json' ? JSON.stringify(params) : p.type === 'huge' ? `${form}&pad=${'x'.repeat(70_000)}` : form;
        const contentType = p.type === 'json' ? 'application/json' : p.type === 'text' ? 'text/plain' : p.type === 'none' ? undefined : 'application/x-www-form-urlencoded';
        return { path, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(signature ? { 'x-twilio-signature': signature } : {}) }, payload, why: `${signing} ${p.type} ${path} ${JSON.stringify(params).slice(0, 200)}` };
      });
    }

    test(`${RUNS} bad webhooks: TwiML 4xx, never 5xx or JSON, nothing changes, the live call does not move`, async () => {
      const list = probes();
      const before = await snapshot();
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      for (let i = 0; i < list.length; i += 50) {
        const chunk = list.slice(i, i + 50);
        const answers = await Promise.all(chunk.map((p) => server.inject({ method: 'POST', url: p.path, headers: p.headers, payload: p.payload })));
        chunk.forEach((p, j) => {
          const r = answers[j];
          if (!r) return;
          statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
          const fail = (what: string) => failures.length < 20 && failures.push(`${what}: ${r.statusCode} ${r.body.slice(0, 200)}\n    ${p.why}`);
          if (r.statusCode >= 500) return void fail('5xx');
          if (r.statusCode < 400) return void fail('accepted');
          if (!r.body.startsWith('<?xml') || !String(r.headers['content-type']).startsWith('text/xml')) fail('not TwiML');
        });
      }
      console.log(`[${kind.name}] ${list.length} webhooks, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))} (seed ${SEED})`);
      assert.deepEqual(failures, []);
      assert.deepEqual(await snapshot(), before, 'a refused webhook changed state');
      // The live call still goes on where it was.
      await live.press('*');
      assert.equal(live.last?.numDigits, 4);
    });
  });
}
