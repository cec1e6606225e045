import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventSinksOf } from './events.ts';
import { configReasonOf } from '../config-problem.test-support.ts';

const reasonOf = configReasonOf;

test('no events section: webhooks only, nothing to open', () => {
  assert.equal(eventSinksOf({}), undefined);
});

test('a NATS sink is made from the file, its token read from the environment', async () => {
  const sinks = eventSinksOf({ events: { nats: { servers: ['nats://127.0.0.1:4222'], token: { env: 'TEST_NATS_TOKEN' } } } }, { TEST_NATS_TOKEN: 's3cret' });
  assert.ok(sinks?.stream && sinks.webhooks);
  await sinks.stream.close();
});

test('a misconfiguration names the key and what was expected', () => {
  assert.match(reasonOf(() => eventSinksOf({ events: { nats: { servers: ['http://nats'] } } })), /integrations\.events\.nats\.servers\.0: .*found "http:\/\/nats"/);
  assert.match(reasonOf(() => eventSinksOf({ events: { nats: { servers: [] } } })), /integrations\.events\.nats\.servers/);
  assert.match(reasonOf(() => eventSinksOf({ events: { kafka: {} } })), /integrations\.events\.kafka: Unexpected property/);
  assert.match(reasonOf(() => eventSinksOf({ events: { nats: { servers: ['nats://n:4222'], token: { env: 'UNSET_NATS_TOKEN' } } } }, {})), /integrations\.events\.nats\.token: expected the environment variable UNSET_NATS_TOKEN/);
});
