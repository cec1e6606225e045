/**
 * The HTTP edge as an attacker meets it: which address a request is counted
 * under (X-Forwarded-For only from configured proxies), who may read /metrics,
 * deep JSON, and large bodies (read only after authentication, only where taken).
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiChannel } from '../src/channels/api/channel.ts';
import { BODY_LIMIT, buildServer } from '../src/channels/api/server.ts';
import type { Channel } from '../src/channels/http/channel.ts';
import { buildHost } from '../src/channels/http/host.ts';
import { tmfChannel } from '../src/channels/tmf/channel.ts';
import { AppError } from '../src/domain/errors.ts';
import { seed } from '../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

/**
 * A channel as a voice platform would want one: its own key (not the API's sessions) and every error as TwiML-like
 * XML the platform can speak, never the API's JSON.
 */
const voiceChannel: Channel = {
  name: 'voice',
  dataPrefixes: ['voice'],
  errors: (error, _request, reply) => {
    const code = error instanceof AppError ? error.code : 'INTERNAL';
    return reply.code(error instanceof AppError ? error.status : 500).type('text/xml').send(`<Response><Say>${code}</Say></Response>`);
  },
  async register(app) {
    app.addHook('preHandler', async (request) => {
      if (request.headers['x-voice-key'] !== 'voice-secret') throw new AppError('AUTH_REQUIRED', {});
    });
    app.get('/voice/menu', async (_request, reply) => reply.type('text/xml').send('<Response><Say>menu</Say></Response>'));
    app.get('/voice/broken', async () => {
      throw new Error('the platform must not hear this');
    });
  },
};

/**
 * Streams a `size`-byte text/csv body to the bulk route over real HTTP, 64 KiB at a time, and stops sending once an
 * answer arrives: how many bytes had gone when the server answered shows whether it waited for the body.
 */
function uploadCsv(port: number, size: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string; sentWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/staff/bulk-terminations?dryRun=true', headers: { 'content-type': 'text/csv', 'content-length': String(size), ...headers } });
    const chunk = Buffer.alloc(64 * 1024, '# filler line of a large upload\n');
    let sent = 0;
    let answered = false;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after ${sent} of ${size} bytes`));
    }, 20_000);
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString(), sentWhenAnswered });
      });
    });
    req.on('error', (e) => {
      if (!answered) {
        clearTimeout(timer);
        reject(e);
      }
    });
    const pump = () => {
      while (!answered && sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

for (const kind of storeKinds()) {
  describe(`the HTTP edge on ${kind.name}`, () => {
    let app: TestApp;
    const servers: FastifyInstance[] = [];
    const server = async (options: Parameters<typeof buildServer>[1] = {}, demo = false) => {
      const s = await buildServer({ ...app, demo }, options);
      servers.push(s);
      return s;
    };
    // The addresses a failed sign-in was counted under: the lock-out and limit keys name them.
    const countedAddresses = async (...candidates: string[]) => {
      const keys = (await app.store.db.selectFrom('auth_failures').select('key').execute()).map((r) => r.key);
      return candidates.filter((a) => keys.some((k) => k.includes(a)));
    };
    const badSignIn = (s: FastifyInstance, remoteAddress: string, forwardedFor: string) =>
      s.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, headers: { 'x-forwarded-for': forwardedFor }, payload: { login: '+79990000003', password: 'not the password' } });

    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 8, seed: 3 });
    });
    after(async () => {
      for (const s of servers) await s.close();
      await app?.close();
    });

    test('X-Forwarded-For chosen by a client does not change the address its failures are counted under', async () => {
      const s = await server();
      const r = await badSignIn(s, '198.51.100.7', '203.0.113.9');
      assert.equal(r.statusCode, 401, r.body);
      assert.deepEqual(await countedAddresses('198.51.100.7', '203.0.113.9'), ['198.51.100.7']);
    });

    test('from a proxy named in SIMEXIT_TRUST_PROXY, X-Forwarded-For gives the client address; from anyone else it is ignored', async () => {
      const s = await server({ trustProxy: ['10.20.0.0/16', '192.0.2.1'] });
      assert.equal((await badSignIn(s, '10.20.3.4', '203.0.113.44')).statusCode, 401);
      assert.equal((await badSignIn(s, '192.0.2.1', '203.0.113.45')).statusCode, 401);
      assert.equal((await badSignIn(s, '198.51.100.8', '203.0.113.46')).statusCode, 401);
      assert.deepEqual(await countedAddresses('10.20.3.4', '203.0.113.44', '192.0.2.1', '203.0.113.45', '198.51.100.8', '203.0.113.46'), ['203.0.113.44', '203.0.113.45', '198.51.100.8']);
    });

    test('/metrics answers only its token or its allowed addresses, loopback only in demo mode', async () => {
      const scrape = (s: FastifyInstance, remoteAddress: string, authorization?: string) => s.inject({ method: 'GET', url: '/metrics', remoteAddress, headers: authorization ? { authorization } : {} });
      const answers = async (s: FastifyInstance, remoteAddress: string, authorization?: string) => {
        const r = await scrape(s, remoteAddress, authorization);
        if (r.statusCode === 200) {
          assert.match(r.body, /simexit_jobs_due \d+/);
          return true;
        }
        assert.equal(r.statusCode, 403, r.body);
        assert.equal(r.json().code, 'FORBIDDEN');
        assert.doesNotMatch(r.body, /simexit_/);
        return false;
      };
      const unconfigured = await server();
      assert.equal(await answers(unconfigured, '127.0.0.1'), false, 'loopback outside demo mode');
      assert.equal(await answers(unconfigured, '::1'), false);
      assert.equal(await answers(unconfigured, '203.0.113.5'), false);
      const demo = await server({}, true);
      assert.equal(await answers(demo, '127.0.0.1'), true, 'loopback in demo mode');
      assert.equal(await answers(demo, '::ffff:127.0.0.1'), true);
      assert.equal(await answers(demo, '203.0.113.5'), false, 'anyone else, even in demo mode');

      const token = 'metrics-token-0123456789abcdef';
      const configured = await server({ metrics: { token, allow: ['10.30.0.0/16', 'fd00::/8'] }, trustProxy: ['192.0.2.1'] });
      assert.equal(await answers(configured, '203.0.113.5', `Bearer ${token}`), true, 'the token from anywhere');
      assert.equal(await answers(configured, '203.0.113.5', `Bearer ${token}x`), false, 'a wrong token');
      assert.equal(await answers(configured, '203.0.113.5', 'Bearer '), false);
      assert.equal(await answers(configured, '10.30.4.5'), true, 'an allowed range');
      assert.equal(await answers(configured, 'fd00::1'), true);
      assert.equal(await answers(configured, '10.31.0.1'), false, 'just outside the range');
      assert.equal(await answers(configured, '127.0.0.1'), false);
      const spoofed = await configured.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.5', headers: { 'x-forwarded-for': '10.30.4.5' } });
      assert.equal(spoofed.statusCode, 403, 'an allowed address in a client-chosen X-Forwarded-For');
      const proxied = await configured.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.1', headers: { 'x-forwarded-for': '10.30.4.5' } });
      assert.equal(proxied.statusCode, 200, 'an allowed address forwarded by the trusted proxy');
      await assert.rejects(server({ metrics: { allow: ['everyone'] } }), /SIMEXIT_METRICS_ALLOW: "everyone"/);
    });

    test('JSON nested 20,000 levels deep is a 400 JSON_TOO_DEEP, not a 500; 64 levels are still read', async () => {
      const s = await server();
      const depth = 20_000; // 40 KB of brackets: within the body limit, far past what a recursive walk survives
      for (const url of ['/api/v1/auth/login', '/tmf-api/productOrderingManagement/v4/productOrder']) {
        for (const payload of [`{"login":${'['.repeat(depth)}${']'.repeat(depth)},"password":"x"}`, `{"login":"+79990000004","password":"x","extra":${'[{"a":'.repeat(depth / 4)}1${'}]'.repeat(depth / 4)}}`]) {
          const r = await s.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
          assert.equal(r.statusCode, 400, `${url}: ${r.body.slice(0, 200)}`);
          assert.equal(r.json().code, 'JSON_TOO_DEEP');
          assert.match(r.json().message, /64/);
        }
      }
      const shallow = await s.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"login":"+79990000004","password":"x","extra":${'['.repeat(62)}${']'.repeat(62)}}` });
      assert.notEqual(shallow.json().code, 'JSON_TOO_DEEP', shallow.body);
      assert.notEqual(shallow.statusCode, 500);
    });

    test('an anonymous 19 MB CSV upload to the bulk route is refused with 401 before its body is read; a subscriber gets 403 the same way', async () => {
      const s = await server();
      await s.listen({ port: 0, host: '127.0.0.1' });
      const { port } = s.server.address() as AddressInfo;
      const size = 19 * 1024 * 1024;
      await uploadCsv(port, size); // the first request warms up the HTTP stack; then measure
      const rssBefore = process.memoryUsage().rss;
      const anonymous = await Promise.all(Array.from({ length: 6 }, () => uploadCsv(port, size)));
      for (const r of anonymous) {
        assert.equal(r.status, 401, r.body);
        assert.equal(JSON.parse(r.body).code, 'AUTH_REQUIRED');
        assert.ok(r.sentWhenAnswered < size / 4, `answered only after ${r.sentWhenAnswered} of ${size} bytes were sent`);
      }
      const grown = process.memoryUsage().rss - rssBefore;
      // Read, six bodies would take over 114 MB (more as strings); kernel socket buffers and noise stay far below half.
      assert.ok(grown < (anonymous.length * size) / 2, `six refused 19 MB uploads grew the server by ${Math.round(grown / 1e6)} MB`);
      const login = await s.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: '+79990000001', password: 'demo1234' }, remoteAddress: '10.44.0.1' });
      assert.equal(login.statusCode, 200, login.body);
      const subscriber = await uploadCsv(port, size, { authorization: `Bearer ${login.json().token}` });
      assert.equal(subscriber.status, 403, subscriber.body);
      assert.ok(subscriber.sentWhenAnswered < size / 4, `answered only after ${subscriber.sentWhenAnswered} bytes`);
    });

    test('a CSV body is taken only by the bulk route: text/csv to any other route is 415', async () => {
      const s = await server();
      for (const url of ['/api/v1/auth/login', '/api/v1/terminations', '/tmf-api/productOrderingManagement/v4/productOrder']) {
        const r = await s.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: 'msisdn\n+79990000001\n' });
        assert.equal(r.statusCode, 415, `${url}: ${r.body}`);
        assert.equal(r.json().code, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });

    test(`JSON over ${BODY_LIMIT / 1024} KiB to an ordinary route is 413 PAYLOAD_TOO_LARGE, in the caller's language`, async () => {
      const s = await server();
      for (const size of [1024 * 1024, BODY_LIMIT + 1024]) {
        const payload = JSON.stringify({ login: '+79990000001', password: 'x'.repeat(size) });
        const r = await s.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'accept-language': 'ru' }, payload });
        assert.equal(r.statusCode, 413, r.body);
        assert.equal(r.json().code, 'PAYLOAD_TOO_LARGE');
        assert.equal(r.json().message, 'Слишком большой запрос');
      }
    });

    test('a signed-in back office uploads a CSV larger than the ordinary limit to the bulk route', async () => {
      const s = await server();
      const login = await s.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'backoffice', password: 'demo1234' }, remoteAddress: '10.44.0.2' });
      assert.equal(login.statusCode, 200, login.body);
      const csv = `msisdn\n+79990000001\n# ${'x'.repeat(1024 * 1024)}\n`;
      const r = await s.inject({ method: 'POST', url: '/api/v1/staff/bulk-terminations?dryRun=true', headers: { authorization: `Bearer ${login.json().token}`, 'content-type': 'text/csv' }, payload: csv });
      assert.equal(r.statusCode, 200, r.body.slice(0, 300));
      assert.equal(r.json().requested, 1);
      assert.equal(r.json().dryRun, true);
    });

    test('each channel answers errors in its own format: a voice channel speaks XML while /api stays JSON, and neither takes the other one\'s sign-in', async () => {
      const host = await buildHost(app, {}, [apiChannel(app), tmfChannel(app), voiceChannel]);
      servers.push(host);
      const ok = await host.inject({ method: 'GET', url: '/voice/menu', headers: { 'x-voice-key': 'voice-secret' } });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.body, '<Response><Say>menu</Say></Response>');
      assert.equal(ok.headers['cache-control'], 'no-store');
      const unsigned = await host.inject({ method: 'GET', url: '/voice/menu' });
      assert.equal(unsigned.statusCode, 401);
      assert.match(String(unsigned.headers['content-type']), /^text\/xml/);
      assert.equal(unsigned.body, '<Response><Say>AUTH_REQUIRED</Say></Response>');
      // The host's own edge checks run before the channel's routes and are answered in the channel's format.
      const nul = await host.inject({ method: 'GET', url: '/voice/menu?x=%00', headers: { 'x-voice-key': 'voice-secret' } });
      assert.equal(nul.statusCode, 400);
      assert.equal(nul.body, '<Response><Say>VALIDATION_FAILED</Say></Response>');
      const broken = await host.inject({ method: 'GET', url: '/voice/broken', headers: { 'x-voice-key': 'voice-secret' } });
      assert.equal(broken.statusCode, 500);
      assert.doesNotMatch(broken.body, /must not hear/);
      // The API keeps its JSON and its own sign-in: the voice key is nobody there.
      const api = await host.inject({ method: 'GET', url: '/api/v1/lines', headers: { 'x-voice-key': 'voice-secret' } });
      assert.equal(api.statusCode, 401);
      assert.match(String(api.headers['content-type']), /^application\/json/);
      assert.equal(api.json().code, 'AUTH_REQUIRED');
      const tmf = await host.inject({ method: 'GET', url: '/tmf-api/productOrderingManagement/v4/productOrder', headers: { 'x-voice-key': 'voice-secret' } });
      assert.equal(tmf.statusCode, 401);
      assert.equal(tmf.json().code, 'AUTH_REQUIRED');
    });

    test('a SIMEXIT_TRUST_PROXY entry that is not an address or range stops start-up naming it', async () => {
      await assert.rejects(server({ trustProxy: ['10.0.0.0/33'] }), (e: Error) => /SIMEXIT_TRUST_PROXY: "10.0.0.0\/33"/.test(e.message));
      await assert.rejects(server({ trustProxy: ['proxy.local'] }), /SIMEXIT_TRUST_PROXY/);
    });
  });
}
