// The example configurations of docs/integrations.md are working ones: each YAML block, as written, is accepted by
// the reader of its part (the secrets it names as files and variables provided here), and all of them together
// make one operator file that start-up reads without a problem. The barring examples also bar through a local
// gateway (test/network/http-gateway.test.ts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { integrationsOf } from '../src/config/integrations.ts';
import { esimSettingsOf } from '../src/config/integrations/esim.ts';
import { eventSinksOf } from '../src/config/integrations/events.ts';
import { networkSettingsOf } from '../src/config/integrations/network.ts';
import { oidcSettingsOf } from '../src/config/integrations/oidc.ts';
import { DEFAULT_CONFIG, loadPolicy } from '../src/config/load-config.ts';

const doc = readFileSync(fileURLToPath(new URL('../docs/integrations.md', import.meta.url)), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

// Every `{ file: /run/secrets/… }` the examples name is made under a folder of this test, with a PEM in it.
const root = mkdtempSync(join(tmpdir(), 'simexit-docs-'));
after(() => rmSync(root, { recursive: true, force: true }));
const relocate = (yaml: string) =>
  yaml.replace(/\{ file: (\/[^ }]+) \}/g, (_all, path: string) => {
    const local = join(root, path);
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, PEM);
    return `{ file: ${local} }`;
  });
const env = { SIMEXIT_PG_TOKEN: 'pg-token', SIMEXIT_NATS_TOKEN: 'nats-token', SIMEXIT_OIDC_CLIENT_SECRET: 'oidc-secret' };
const parts = blocks.map((b) => (parse(relocate(b)) as { integrations: Record<string, unknown> }).integrations);
const of = (name: string) => parts.filter((p) => p[name] !== undefined);

test('docs/integrations.md has an example configuration for each adapter', () => {
  assert.deepEqual(
    ['network', 'esim', 'events', 'oidc'].map((n) => [n, of(n).length > 0]),
    ['network', 'esim', 'events', 'oidc'].map((n) => [n, true]),
  );
});

test('each example is accepted as written by the reader of its part', async () => {
  for (const p of of('network')) assert.equal(networkSettingsOf(p, {}, env, 60).kind, 'http');
  for (const p of of('esim')) {
    const s = esimSettingsOf(p, env);
    assert.equal(s.client?.url, 'https://smdp.example.net:8443');
    assert.equal(s.notifications?.port, 9443);
    assert.deepEqual(s.notifications?.clientNames, ['smdp.example.net']);
  }
  for (const p of of('events')) {
    const sinks = eventSinksOf(p, env);
    assert.ok(sinks?.webhooks && sinks.stream, 'webhooks and NATS');
    await sinks.stream?.close();
  }
  for (const p of of('oidc')) assert.equal(oidcSettingsOf(p, env)?.clientSecret, 'oidc-secret');
});

test('the examples together make one operator file that start-up reads', async () => {
  const integrations = Object.assign({}, ...[of('network')[0], ...of('esim'), ...of('events'), ...of('oidc')]) as Record<string, unknown>;
  const file = join(root, 'operator.yaml');
  writeFileSync(file, `${readFileSync(DEFAULT_CONFIG, 'utf8')}\nintegrations: ${JSON.stringify(integrations)}\n`);
  const section = integrationsOf(loadPolicy(file, { fallback: 'http://localhost:8080' }).integrations);
  assert.deepEqual(Object.keys(section).sort(), ['esim', 'events', 'network', 'oidc']);
  assert.equal(networkSettingsOf(section, {}, env, 60).kind, 'http');
  assert.ok(esimSettingsOf(section, env).client);
  await eventSinksOf(section, env)?.stream?.close();
  assert.ok(oidcSettingsOf(section, env));
});
