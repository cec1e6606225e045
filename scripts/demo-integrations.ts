// `npm run demo:integrations [-- --port P] [--data DIR]`: the demo with real integration calls. Starts, in this
// process, the peers the tests use (a CAI3G provisioning gateway in front of the HLR, an ES2+ SM-DP+ over mutual
// TLS, a webhook receiver that verifies every signature), writes an operator file pointing simexit at them, runs
// `simexit start` on it, subscribes the receiver to every event, and prints each call the peers get as it happens.
// Ctrl+C stops simexit and the peers.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { parseArgs, styleText } from 'node:util';
import { CAI3G_SET, startGateway, type Received } from './peers/gateway.ts';
import { hasOpenssl, testPki } from './peers/pki.ts';
import { fakeSmdp, type Es2Call } from './peers/smdp.ts';
import { startWebhookReceiver } from './peers/webhook-receiver.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, data: { type: 'string', default: join(root, 'data', 'demo-integrations') } } });
const folder = resolve(values.data);

const say = (text: string) => process.stdout.write(`${text}\n`);
const peer = (name: string, color: 'magenta' | 'cyan' | 'yellow', text: string) => say(`${styleText(['bold', color], `[${name}]`)} ${text}`);

if (!hasOpenssl()) {
  process.stderr.write('demo:integrations needs the openssl command line tool (it makes the demo CA and the TLS certificates).\nInstall it (apt-get install openssl, brew install openssl) and run again.\n');
  process.exit(1);
}

// A new CA every run: nothing from an earlier run is trusted.
rmSync(join(folder, 'pki'), { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
const pki = testPki(join(folder, 'pki'));
const operatorCa = pki.ca('simexit-demo-operator-ca');
const smdpCa = pki.ca('demo-smdp-ca');
const ourClient = operatorCa.issue('simexit', 'client');
const smdpServer = smdpCa.issue('smdp.demo', 'server');
// The SM-DP+'s notifications come to simexit's own mutual-TLS listener, with a client certificate of the SM-DP+'s.
const smdpNotifier = smdpCa.issue('smdp.demo notifications', 'client');
const listenerCert = operatorCa.issue('simexit es2 listener', 'server');
const freePort = () =>
  new Promise<number>((resolvePort) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
const notificationsPort = await freePort();
const tokenFile = join(folder, 'pki', 'gateway-token');
writeFileSync(tokenFile, 'demo-gateway-token\n', { mode: 0o600 });

const tag = (xml: string, name: string) => new RegExp(`<(?:\\w+:)?${name}[^>]*>([^<]*)</`).exec(xml)?.[1] ?? '?';
const CAI3G_OK = `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><cai3:SetResponse xmlns:cai3="http://schemas.ericsson.com/cai3g1.2/"/></S:Body></S:Envelope>`;
const gateway = await startGateway((r: Received) => {
  peer('HLR', 'magenta', `${r.method} ${r.url} SOAPAction ${String(r.headers.soapaction)}: CAI3G Set barring outgoing and incoming calls of ${tag(r.body, 'msisdn')}, transaction ${tag(r.body, 'TransactionId')} → answered success`);
  return { status: 200, body: CAI3G_OK, type: 'text/xml; charset=utf-8' };
});
const smdp = await fakeSmdp(smdpServer, operatorCa.cert, {
  onCall: (c: Es2Call) => {
    const header = (c.body.header ?? {}) as { functionRequesterIdentifier?: string; functionCallIdentifier?: string };
    const fn = c.path.split('/').pop();
    peer('SM-DP+', 'cyan', `${fn} for ICCID ${String(c.body.iccid)} (final status ${String(c.body.finalProfileStatusIndicator ?? '-')}), requester ${header.functionRequesterIdentifier}, call ${header.functionCallIdentifier}, X-Admin-Protocol ${String(c.headers['x-admin-protocol'])}, client certificate verified → Executed-Success`);
  },
});
const receiver = await startWebhookReceiver({
  onEvent: (e) => peer('webhook', 'yellow', `${e.type} ${e.id} subject ${e.subject} (signature verified)${e.repeat ? ', a repeat of an id already taken: dropped' : ''}`),
  onForged: (reason) => peer('webhook', 'yellow', `refused a delivery: ${reason}`),
});

const indent = (text: string, by: string) => text.replace(/^(?=.)/gm, by);
const operatorFile = join(folder, 'operator.yaml');
writeFileSync(
  operatorFile,
  `${readFileSync(join(root, 'config', 'default.yaml'), 'utf8')}
# Written by npm run demo:integrations: the peers it started on this machine.
integrations:
  network:
    kind: http
    url: ${gateway.url}/CAI3G1.2/services/CAI3G1.2
    headers:
      SOAPAction: "CAI3G#Set"
      Authorization: { secret: { file: ${tokenFile} }, prefix: "Bearer " }
    body:
      format: soap
      template: |
${indent(CAI3G_SET, '        ')}
  esim:
    kind: es2plus
    url: ${smdp.url}
    functionRequesterIdentifier: 1.3.6.1.4.1.99999.7
    clientCert: { file: ${ourClient.certFile} }
    clientKey: { file: ${ourClient.keyFile} }
    ca: { file: ${smdpCa.certFile} }
    notifications:
      port: ${notificationsPort}
      host: 127.0.0.1
      serverCert: { file: ${listenerCert.certFile} }
      serverKey: { file: ${listenerCert.keyFile} }
      clientCa: { file: ${smdpCa.certFile} }
      clientNames: [smdp.demo notifications]
  events:
    webhooks: { timeoutMs: 5000 }
`,
);

const data = join(folder, 'data');
const env: NodeJS.ProcessEnv = { ...process.env, SIMEXIT_CONFIG: operatorFile, SIMEXIT_DATA: data };
// The demo's own SQLite store in the data folder, whatever the shell points at.
delete env.SIMEXIT_DB;
// A process group of its own: Ctrl+C reaches this script, which stops simexit once and waits for it.
const simexit: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'simexit'), 'start', '--port', values.port], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let output = '';
simexit.stderr?.on('data', (c: Buffer) => process.stderr.write(c));
const url = await new Promise<string>((resolveUrl, reject) => {
  simexit.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
    const found = /simexit is running at (\S+)/.exec(output);
    if (found?.[1]) resolveUrl(found[1]);
  });
  simexit.once('exit', (code) => reject(new Error(`simexit stopped before it was ready (exit ${code})`)));
});
simexit.stdout?.on('data', (c: Buffer) => process.stdout.write(indent(c.toString(), '  [simexit] ')));

let stopping = false;
const stop = async (code: number) => {
  stopping = true;
  if (simexit.exitCode === null) {
    const exited = new Promise((r) => simexit.once('exit', r));
    simexit.kill('SIGTERM');
    await exited;
  }
  await Promise.all([gateway.close(), smdp.close(), receiver.close()]);
  process.exit(code);
};
// \`on\`, not \`once\`: npm and the terminal may both pass on one Ctrl+C, and a second must not kill this script
// before simexit, in its own process group, has stopped.
const onSignal = () => {
  if (!stopping) void stop(0);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
simexit.once('exit', (code) => {
  if (stopping) return;
  process.stderr.write(`simexit stopped (exit ${code})\n`);
  void stop(1);
});

async function api<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, init: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

try {
  const admin = await api('POST', '/auth/login', { body: { login: 'admin', password: 'demo1234' } });
  const token = String(admin.token);
  // An earlier run's receivers are gone (their ports with them): switch their subscriptions off.
  const earlier = await api<{ id: string; url: string; active: boolean }[]>('GET', '/admin/webhooks', { token });
  for (const s of earlier) if (s.active && s.url.startsWith('http://127.0.0.1:')) await api('POST', `/admin/webhooks/${s.id}/disable`, { token, body: {} });
  const subscription = await api('POST', '/admin/webhooks', { token, body: { url: receiver.url, eventTypes: ['*'] } });
  receiver.secret = String(subscription.secret);
} catch (e) {
  process.stderr.write(`could not subscribe the webhook receiver: ${(e as Error).message}\n`);
  await stop(1);
}

// An active eSIM line whose profile is not yet on a device (so ending it cancels the order on the SM-DP+), owing
// nothing and outside any minimum term, so nothing blocks ending it at once.
const storeFile = join(data, 'simexit.db');
const store = existsSync(storeFile) ? new DatabaseSync(storeFile, { readOnly: true }) : undefined;
const line = store
  ?.prepare(
    `SELECT l.msisdn AS msisdn, l.iccid AS iccid FROM lines l JOIN esim_profiles e ON e.iccid = l.iccid JOIN accounts a ON a.id = l.account_id
     WHERE l.state = 'active' AND l.sim_type = 'esim' AND e.state IN ('available', 'released') AND a.balance >= 0
       AND l.minimum_term_ends_at IS NULL AND l.instalments_left = 0 ORDER BY l.msisdn LIMIT 1`,
  )
  .get() as { msisdn: string; iccid: string } | undefined;
// One whose profile is on a device: ending it makes no call, the step waits for the device's delete notification.
const onDevice = store
  ?.prepare(
    `SELECT l.msisdn AS msisdn, l.iccid AS iccid FROM lines l JOIN esim_profiles e ON e.iccid = l.iccid JOIN accounts a ON a.id = l.account_id
     WHERE l.state = 'active' AND l.sim_type = 'esim' AND e.state IN ('installed', 'enabled', 'disabled') AND a.balance >= 0
       AND l.minimum_term_ends_at IS NULL AND l.instalments_left = 0 ORDER BY l.msisdn LIMIT 1`,
  )
  .get() as { msisdn: string; iccid: string } | undefined;
store?.close();

/** The stand-in SM-DP+ tells simexit, as ES2+ handleDownloadProgressInfo, that the device deleted profile `iccid`. */
let notifications = 0;
function reportDeleted(iccid: string): void {
  const body = JSON.stringify({
    header: { functionRequesterIdentifier: 'smdp.demo', functionCallIdentifier: `demo-notification-${++notifications}` },
    iccid,
    notificationPointId: 'Delete',
    notificationPointStatus: { status: 'Executed-Success' },
    timestamp: new Date().toISOString(),
  });
  const req = httpsRequest(
    { host: '127.0.0.1', port: notificationsPort, method: 'POST', path: '/gsma/rsp2/es2plus/handleDownloadProgressInfo', ca: operatorCa.cert, cert: smdpNotifier.cert, key: smdpNotifier.key, headers: { 'content-type': 'application/json', 'x-admin-protocol': 'gsma/rsp/v2.2.0' } },
    (res) => {
      res.resume();
      res.on('end', () => peer('SM-DP+', 'cyan', `handleDownloadProgressInfo for ICCID ${iccid} (Delete, Executed-Success) to simexit's mutual-TLS listener → HTTP ${res.statusCode}`));
    },
  );
  req.on('error', (e) => peer('SM-DP+', 'cyan', `handleDownloadProgressInfo for ICCID ${iccid} failed: ${e.message}`));
  req.end(body);
}
// `delete ICCID` + Enter: the device deleted that profile (what an ended line's on-device eSIM waits for).
// terminal: false: Ctrl+C stays a signal to this script (a readline in raw mode would swallow it).
createInterface({ input: process.stdin, terminal: false }).on('line', (text) => {
  const m = /^\s*delete\s+(\d{18,20})\s*$/.exec(text);
  if (m?.[1]) reportDeleted(m[1]);
  else if (text.trim()) say('type: delete ICCID   (the SM-DP+ reports that the device deleted that eSIM profile)');
});

const cli = `SIMEXIT_DEMO=1 SIMEXIT_CONFIG=${operatorFile} SIMEXIT_DATA=${data} bin/simexit`;
say(`
${styleText('bold', `simexit with real integration calls is running at ${url}`)}
  provisioning gateway (CAI3G, HLR): ${gateway.url}   SM-DP+ (ES2+, mutual TLS): ${smdp.url}   webhook receiver: ${receiver.url}
  operator file: ${operatorFile}   certificates: ${pki.dir}
  demo logins (password demo1234): subscribers +79990000000 … +79990000005; staff backoffice, shop1, shop2, callcentre, admin
  Try this: ${line ? `${cli} terminate --msisdn ${line.msisdn} --channel bulk   (an eSIM line: barring, cancelOrder, events)` : `sign in as backoffice at ${url} and end a line`}
  ${onDevice ? `An eSIM already on a device: ${cli} terminate --msisdn ${onDevice.msisdn} --channel bulk, then type: delete ${onDevice.iccid}   (the SM-DP+'s notification closes the eSIM step)\n  ` : ''}SM-DP+ notifications to simexit: https://127.0.0.1:${notificationsPort} (mutual TLS)
  or sign in at ${url} as a subscriber and end a line (after its cooling-off, or move the clock with ${cli} clock advance)
Every call the peers get is printed below. Stop with Ctrl+C.
`);
