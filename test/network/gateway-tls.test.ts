// Mutual TLS to the gateway: simexit trusts the gateway through the configured CA and shows its own client
// certificate, both read from files named in the operator file; a gateway that requires a client certificate
// refuses a connection without one, and that is a failure to retry, not a barring.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { networkAdapterFrom } from '../../src/adapters/network/select.ts';
import { networkSettingsOf } from '../../src/config/integrations/network.ts';

const dir = mkdtempSync(join(tmpdir(), 'simexit-mtls-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function certificates() {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test-ca');
  for (const [name, cn] of [['server', '127.0.0.1'], ['client', 'simexit']] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=IP:127.0.0.1`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-copy_extensions', 'copy');
  }
}

test('the gateway sees simexit by its client certificate; without one the connection fails and the order is retried later', async () => {
  certificates();
  const seen: string[] = [];
  const server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')), ca: readFileSync(join(dir, 'ca.crt')), requestCert: true, rejectUnauthorized: true }, (request, response) => {
    const peer = (request.socket as TLSSocket).getPeerCertificate();
    seen.push(String(peer.subject?.CN));
    request.resume();
    request.on('end', () => response.writeHead(200).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/bar`;
    const part = (tls: Record<string, unknown>) => ({ network: { kind: 'http', url, attempts: 1, body: { format: 'json', template: '{"msisdn":"{{msisdn}}"}' }, tls } });
    const files = { cert: { file: join(dir, 'client.crt') }, key: { file: join(dir, 'client.key') }, ca: { file: join(dir, 'ca.crt') } };
    const hlr = networkAdapterFrom(networkSettingsOf(part(files), {}));
    assert.deepEqual(await hlr.bar([{ key: 'O1:network.bar', msisdn: '79991234567', iccid: '1' }], '2026-11-21T10:00:00.000Z'), [{ ok: true }]);
    assert.deepEqual(seen, ['simexit']);

    const anonymous = networkAdapterFrom(networkSettingsOf(part({ ca: files.ca }), {}));
    const [answer] = await anonymous.bar([{ key: 'O2:network.bar', msisdn: '79991234567', iccid: '1' }], '2026-11-21T10:00:00.000Z');
    assert.ok(answer && !answer.ok);
    assert.match(answer.error, /^the gateway is unavailable \(could not be reached/);
    assert.notEqual(answer.permanent, true);
    assert.deepEqual(seen, ['simexit'], 'no request got through without a certificate');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
