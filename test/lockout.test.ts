/**
 * No one can lock a subscriber out by failing on purpose (issue 11 §2): failures
 * count per (number, address) and per address, the number itself only slows
 * down, and a device that signed in before counts only its own failures. Yet
 * guessing stays bounded for an attacker spread over many addresses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../src/app/secrets.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

const LOGIN = '/api/v1/auth/login';

/** The seed gives passwords to the first few subscribers only: these tests use numbers of their own. */
async function withPasswords(h: ApiHarness): Promise<void> {
  const msisdns = Array.from({ length: 12 }, (_, i) => `+799900000${11 + i}`);
  const owners = await h.app.store.db.selectFrom('lines').select('customer_id').where('msisdn', 'in', msisdns).execute();
  const hash = await hashPassword('demo1234');
  await h.app.store.db.updateTable('customers').set({ password_hash: hash }).where('id', 'in', owners.map((o) => o.customer_id)).execute();
}

const deviceCookieOf = (setCookie: string | string[] | undefined): string => {
  const all = Array.isArray(setCookie) ? setCookie : [String(setCookie)];
  const device = all.find((c) => c.startsWith('simexit_device='));
  assert.ok(device, 'a device cookie is set on sign-in');
  assert.match(device, /HttpOnly/);
  return device.split(';')[0] as string;
};

for (const kind of storeKinds()) {
  describe(`sign-in lock-out on ${kind.name}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await openApi(kind);
      await withPasswords(h);
    });
    after(() => h.close());

    const attempt = (msisdn: string, password: string, address: string, headers: Record<string, string> = {}) =>
      h.server.inject({ method: 'POST', url: LOGIN, remoteAddress: address, headers, payload: { msisdn, password } });

    test('an attacker failing from one address does not lock the owner out at another address', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) codes.push((await attempt('+79990000011', `wrong${i}`, '203.0.113.7')).statusCode);
      assert.deepEqual(codes.slice(0, 4), [401, 401, 401, 401]);
      assert.ok(codes.slice(4).every((c) => c === 429), `the attacker's own address waits: ${codes.join(',')}`);
      const owner = await attempt('+79990000011', 'demo1234', '198.51.100.20');
      assert.equal(owner.statusCode, 200, owner.body);
    });

    test('an attacker spread over many addresses slows the number down, but not the owner\'s own device', async () => {
      const first = await attempt('+79990000012', 'demo1234', '198.51.100.21');
      assert.equal(first.statusCode, 200);
      const device = deviceCookieOf(first.headers['set-cookie']);
      let slowed = 0;
      for (let i = 0; i < 40; i++) if ((await attempt('+79990000012', `wrong${i}`, `203.0.113.${100 + i}`)).statusCode === 429) slowed++;
      assert.ok(slowed > 20, `the number is slowed down for strangers (${slowed} of 40 refused)`);
      const stranger = await attempt('+79990000012', 'demo1234', '198.51.100.22', { 'accept-language': 'en' });
      assert.equal(stranger.statusCode, 429, 'a new device waits too while the number is under attack');
      const owner = await attempt('+79990000012', 'demo1234', '198.51.100.22', { cookie: device });
      assert.equal(owner.statusCode, 200, `the owner's device is not blocked: ${owner.body}`);
      assert.equal(deviceCookieOf(owner.headers['set-cookie']), device, 'the same device keeps its cookie');
    });

    test('a device cookie of another person gives no head start', async () => {
      const mine = deviceCookieOf((await attempt('+79990000013', 'demo1234', '198.51.100.23')).headers['set-cookie']);
      for (let i = 0; i < 30; i++) await attempt('+79990000014', `wrong${i}`, `203.0.114.${i}`);
      const r = await attempt('+79990000014', 'wrong-again', '198.51.100.23', { cookie: mine });
      assert.equal(r.statusCode, 429, 'a cookie trusted for another number counts as a stranger');
    });

    test('the owner\'s device has a limit of its own: a stolen cookie cannot guess without bound', async () => {
      const device = deviceCookieOf((await attempt('+79990000015', 'demo1234', '198.51.100.24')).headers['set-cookie']);
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await attempt('+79990000015', `wrong${i}`, `203.0.115.${i}`, { cookie: device })).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 401, 429, 429, 429]);
    });

    test('guessing stays bounded: an hour of guessing from ever new addresses checks few passwords, and every wait is in words', async () => {
      let checked = 0;
      const start = Date.parse(h.app.clock());
      let i = 0;
      while (Date.parse(h.app.clock()) - start < 3_600_000) {
        const ru = i % 2 === 1;
        const r = await attempt('+79990000016', `guess${i}`, `192.0.2.${i % 250}`, { 'accept-language': ru ? 'ru' : 'zh' });
        i++;
        if (r.statusCode === 401) {
          checked++;
          h.app.clock.advanceHours(1 / 3600);
          continue;
        }
        assert.equal(r.statusCode, 429, r.body);
        const body = r.json();
        const wait = Number(r.headers['retry-after']);
        assert.ok(wait >= 1 && wait === body.details.retryAfterSeconds, `Retry-After ${wait} and retryAfterSeconds ${body.details.retryAfterSeconds}`);
        assert.doesNotMatch(body.message, /\d{4}-\d{2}-\d{2}T/, 'no ISO instant in the message');
        assert.match(body.message, ru ? /Повторите через \d+ (секунд|минут)/ : /请在\d+(秒钟|分钟)后重试/);
        h.app.clock.advanceHours(wait / 3600);
      }
      const { slowDownAfter, lockoutMinutes } = h.app.policy.signIn;
      // The free tries, then one per doubling delay (1 s, 2 s, … up to the lock-out), then one per lock-out.
      const bound = slowDownAfter + Math.ceil(Math.log2(lockoutMinutes * 60)) + 1 + Math.ceil(60 / lockoutMinutes);
      assert.ok(checked <= bound, `${checked} passwords checked in an hour (bound ${bound})`);
    });

    test('the lock-out message says when in words in the reader\'s language', async () => {
      for (let i = 0; i < 5; i++) await attempt('+79990000017', `wrong${i}`, '203.0.113.9');
      const answers = await Promise.all(
        (['en', 'ru', 'zh'] as const).map((lang) => attempt('+79990000017', 'demo1234', '203.0.113.9', { 'accept-language': lang })),
      );
      const lockoutMinutes = h.app.policy.signIn.lockoutMinutes;
      assert.deepEqual(
        answers.map((r) => r.json().message),
        [
          `Too many failed attempts. Try again in ${lockoutMinutes} minutes`,
          `Слишком много неудачных попыток. Повторите через ${lockoutMinutes} минут`,
          `失败次数过多。请在${lockoutMinutes}分钟后重试`,
        ],
      );
      assert.equal(answers[0]?.headers['retry-after'], String(lockoutMinutes * 60));
      assert.equal(answers[0]?.json().details.retryAfterSeconds, lockoutMinutes * 60);
    });
  });

  describe(`code lock-out on ${kind.name}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await openApi(kind);
      await withPasswords(h);
    });
    after(() => h.close());

    const confirm = (msisdn: string, code: string, address: string, headers: Record<string, string> = {}) =>
      h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', remoteAddress: address, headers, payload: { msisdn, code, newPassword: 'a new long password' } });
    const ask = (msisdn: string, address: string, headers: Record<string, string> = {}) =>
      h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset', remoteAddress: address, headers, payload: { msisdn } });

    test('wrong reset codes from many addresses do not stop the owner\'s device, nor the owner at another address', async () => {
      const device = deviceCookieOf((await h.server.inject({ method: 'POST', url: LOGIN, remoteAddress: '198.51.100.30', payload: { msisdn: '+79990000018', password: 'demo1234' } })).headers['set-cookie']);
      // An attacker asks for codes and guesses them from ever new addresses until the number slows down.
      for (let round = 0; round < 4; round++) {
        await ask('+79990000018', `203.0.116.${round}`);
        for (let i = 0; i < 3; i++) await confirm('+79990000018', `00000${i}`, `203.0.116.${round * 10 + i}`);
      }
      const stranger = await confirm('+79990000018', '000009', '203.0.116.99');
      assert.equal(stranger.statusCode, 429, `strangers are slowed down: ${stranger.body}`);
      assert.equal((await ask('+79990000018', '198.51.100.30', { cookie: device })).statusCode, 202);
      const code = await h.lastCode('+79990000018');
      const done = await confirm('+79990000018', code, '198.51.100.30', { cookie: device });
      assert.equal(done.statusCode, 200, done.body);
    });

    test('an attacker guessing from one address does not stop the owner\'s code at another', async () => {
      assert.equal((await ask('+79990000019', '198.51.100.31')).statusCode, 202);
      const code = await h.lastCode('+79990000019');
      const wrong = code === '000000' ? '111111' : '000000';
      const answers = [];
      for (let i = 0; i < 2; i++) answers.push((await confirm('+79990000019', wrong, '203.0.117.1')).json().code);
      assert.deepEqual(answers, ['OTP_INVALID', 'OTP_INVALID']);
      const done = await confirm('+79990000019', code, '198.51.100.31');
      assert.equal(done.statusCode, 200, done.body);
    });

    test('one code takes three wrong tries at most, from any number of addresses', async () => {
      assert.equal((await ask('+79990000020', '198.51.100.32')).statusCode, 202);
      const code = await h.lastCode('+79990000020');
      const wrong = code === '000000' ? '111111' : '000000';
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await confirm('+79990000020', wrong, `203.0.118.${i}`)).json().code);
      assert.deepEqual(answers, ['OTP_INVALID', 'OTP_INVALID', 'OTP_EXPIRED']);
      assert.equal((await confirm('+79990000020', code, '198.51.100.32')).json().code, 'OTP_EXPIRED', 'the right code no longer works: a new one must be asked for');
    });
  });
}
