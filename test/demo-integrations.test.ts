// `npm run demo:integrations` (issue 15): an operator's engineer ends a line and watches the calls simexit makes to
// the provisioning gateway, the SM-DP+ and a webhook subscriber appear in the terminal, then stops it all with Ctrl+C.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const script = fileURLToPath(new URL('../scripts/demo-integrations.ts', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'simexit-demoint-'));
let child: ChildProcess | undefined;
after(() => {
  if (child?.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

async function until(output: () => string, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = pattern.exec(output());
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no ${pattern} within ${ms} ms; the output was:\n${output()}`);
    await sleep(100);
  }
}

test('ending a line in the integrations demo shows the barring, the cancelOrder and the signed events as they happen; Ctrl+C stops it', { timeout: 90_000 }, async () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['SIMEXIT_DB', 'SIMEXIT_CONFIG', 'SIMEXIT_DATA', 'SIMEXIT_SITE_URL', 'PORT']) delete env[name];
  const demo = spawn(process.execPath, [script, '--port', '0', '--data', folder], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child = demo;
  let out = '';
  demo.stdout.on('data', (c: Buffer) => (out += c.toString()));
  demo.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const text = () => out;

  const url = (await until(text, /running at (http:\/\/\S+)/, 60_000))[1] as string;
  const msisdn = (await until(text, /Try this: .*terminate --msisdn (\+\d+)/, 10_000))[1] as string;
  assert.match(out, /demo logins \(password demo1234\)/);
  const gateway = (await until(text, /provisioning gateway \(CAI3G, HLR\): (http:\/\/\S+)/, 1000))[1] as string;

  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'backoffice', password: 'demo1234' }) });
  assert.equal(login.status, 200);
  const { token } = (await login.json()) as { token: string };
  const bulk = await fetch(`${url}/api/v1/staff/bulk-terminations`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` }, body: `msisdn\n${msisdn}\n` });
  assert.equal(bulk.status, 200, await bulk.clone().text());
  assert.equal(((await bulk.json()) as { created: number }).created, 1);

  await until(text, new RegExp(`\\[HLR\\].*barring .*of \\${msisdn}, transaction \\S+:network\\.bar`), 20_000);
  await until(text, /\[SM-DP\+\] cancelOrder for ICCID \d+ \(final status Unavailable\).*client certificate verified/, 20_000);
  await until(text, /\[webhook\] simexit\.line\.state_changed evt-\d+ subject ln_\S+ \(signature verified\)/, 20_000);
  await until(text, /\[webhook\] simexit\.order\.state_changed evt-\d+ subject TRM-/, 20_000);
  assert.doesNotMatch(out, /refused a delivery/, 'every delivery carried a signature the receiver verified');

  // An administrator replays one event: the receiver, de-duplicating on webhook-id as a consumer should, drops it.
  const eventId = (await until(text, /\[webhook\] simexit\.order\.state_changed (evt-\d+)/, 1000))[1] as string;
  const admin = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'demo1234' }) })).json()) as { token: string };
  const subs = (await (await fetch(`${url}/api/v1/admin/webhooks`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { id: string; active: boolean }[];
  const sub = subs.find((s) => s.active);
  assert.ok(sub, 'the receiver is subscribed');
  const replay = await fetch(`${url}/api/v1/admin/events/replay`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: JSON.stringify({ target: sub.id, eventIds: [eventId] }) });
  assert.equal(replay.status, 202, await replay.clone().text());
  await until(text, new RegExp(`\\[webhook\\] simexit\\.order\\.state_changed ${eventId} .*a repeat of an id already taken: dropped`), 20_000);

  // An eSIM already on a device: ending it waits for the device; the SM-DP+'s delete notification (typed in) closes it.
  const [, onDevice, iccid] = (await until(text, /An eSIM already on a device: .*--msisdn (\+\d+) .*type: delete (\d+)/, 1000)) as unknown as [string, string, string];
  const ended = await fetch(`${url}/api/v1/staff/bulk-terminations`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` }, body: `msisdn\n${onDevice}\n` });
  assert.equal(ended.status, 200, await ended.clone().text());
  await until(text, new RegExp(`\\[HLR\\].*barring .*of \\${onDevice}, `), 20_000);
  demo.stdin.write(`delete ${iccid}\n`);
  await until(text, new RegExp(`\\[SM-DP\\+\\] handleDownloadProgressInfo for ICCID ${iccid} .*→ HTTP 204`), 20_000);
  await until(text, new RegExp(`\\[webhook\\] simexit\\.esim\\.state_changed evt-\\d+ subject ${iccid} `), 20_000);

  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  demo.kill('SIGINT');
  assert.equal(await exited, 0);
  await assert.rejects(fetch(url), 'simexit stopped');
  await assert.rejects(fetch(gateway), 'the gateway stopped');
});
