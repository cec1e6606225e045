// An answer that drifts from its published schema: logged and still sent in production (the work behind it is
// committed), a 500 under `strict` (the test suites), so that drift fails the tests instead of reaching integrators.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { Type as T } from '@sinclair/typebox';
import Fastify from 'fastify';
import { validateResponses } from '../src/channels/api/response-validation.ts';
import { StringEnum } from '../src/channels/api/schemas.ts';

async function appWith(mode: 'log' | 'strict') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, next) {
      lines.push(String(chunk));
      next();
    },
  });
  const app = Fastify({ logger: { level: 'error', stream } });
  validateResponses(app, mode);
  // A state outside the published list: the serializer writes any string, only the check notices.
  const schema = { response: { 201: T.Object({ state: StringEnum(['paid', 'pending']), balance: T.Integer() }) } };
  app.post('/payments', { schema }, async (_request, reply) => reply.code(201).send({ state: 'paid_twice', balance: 100 }));
  app.post('/fine', { schema }, async (_request, reply) => reply.code(201).send({ state: 'paid', balance: 100 }));
  await app.ready();
  return { app, lines };
}

describe('responses checked against their schemas', () => {
  test('in production a mismatch is logged with the route and the field, and the committed answer still goes out', async () => {
    const { app, lines } = await appWith('log');
    const r = await app.inject({ method: 'POST', url: '/payments' });
    assert.equal(r.statusCode, 201);
    assert.deepEqual(r.json(), { state: 'paid_twice', balance: 100 });
    assert.match(lines.join(''), /POST \/payments \(201\) does not match its schema: \/state must be equal to one of the allowed values/);
    assert.equal((await app.inject({ method: 'POST', url: '/fine' })).statusCode, 201);
    await app.close();
  });

  test('under strict a mismatch is a 500, and a matching answer passes untouched', async () => {
    const { app } = await appWith('strict');
    assert.equal((await app.inject({ method: 'POST', url: '/payments' })).statusCode, 500);
    const fine = await app.inject({ method: 'POST', url: '/fine' });
    assert.equal(fine.statusCode, 201);
    assert.deepEqual(fine.json(), { state: 'paid', balance: 100 });
    await app.close();
  });
});
