/**
 * What an operator sees when starting `simexit serve`: outside demo mode a
 * missing installation setting stops start-up with a message naming it, and
 * the demo mailbox does not exist; demo mode says so loudly and has it.
 * Each run is a child process on a fresh SQLite data folder, with none of the
 * test process's SIMEXIT_* variables.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { testPki } from './esim/support/pki.ts';

const bin = fileURLToPath(new URL('../bin/simexit', import.meta.url));
const folders: string[] = [];
after(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

export function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'simexit-startup-'));
  folders.push(folder);
  return folder;
}

/** The environment of a shell with no simexit setting at all, plus `extra`. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SIMEXIT_') && k !== 'PORT') env[k] = v;
  return { ...env, SIMEXIT_LOG: 'off', ...extra };
}

/** Everything an installation outside demo mode must set, in `folder`. */
export function installationSettings(folder: string): Record<string, string> {
  const keyFile = join(folder, 'certificate.pem');
  writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { SIMEXIT_DOCUMENT_KEY: 'k'.repeat(32), SIMEXIT_REFERENCE_KEY: 'r'.repeat(32), SIMEXIT_CERT_KEY: keyFile, SIMEXIT_OUTBOX: join(folder, 'outbox'), SIMEXIT_SITE_URL: 'https://selfcare.example.test' };
}

export interface Served {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `simexit <args>` and waits for "listening on URL"; rejects with its stderr if it exits first. */
export function serve(args: string[], env: NodeJS.ProcessEnv, options: { cwd?: string } = {}): Promise<Served> {
  const child = spawn(process.execPath, [bin, ...args], { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(?:listening on|running at) (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        const url = m[1];
        resolve({
          url,
          child,
          stderr: () => err,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`exited ${code}: ${err}`), { code, stderr: err })));
  });
}

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('starting simexit serve', () => {
  test('outside demo mode, on a fresh data folder without configuration, it refuses and names every setting to give', async () => {
    const data = freshFolder();
    const refused = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data })).then(
      async (s) => {
        await s.stop();
        assert.fail(`it started at ${s.url}`);
      },
      (e: Error & { code: number; stderr: string }) => e,
    );
    assert.notEqual(refused.code, 0);
    for (const setting of ['SIMEXIT_DOCUMENT_KEY', 'SIMEXIT_REFERENCE_KEY', 'SIMEXIT_CERT_KEY', 'SIMEXIT_SMTP_URL', 'SIMEXIT_SMPP_URL', 'SIMEXIT_SMS_HTTP_URL', 'SIMEXIT_DEMO=1']) {
      assert.ok(refused.stderr.includes(setting), `the message names ${setting}:\n${refused.stderr}`);
    }
    assert.match(refused.stderr, /CONFIG_INVALID/);
    assert.doesNotMatch(refused.stderr, /DEMO MODE/);
  });

  test('with SIMEXIT_DEMO=1 it starts, says loudly that it is a demo, and has the demo mailbox', async () => {
    const data = freshFolder();
    const s = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, SIMEXIT_DEMO: '1' }));
    try {
      assert.match(s.stderr(), /DEMO MODE: NOT FOR REAL SUBSCRIBERS/);
      const mailbox = await fetch(`${s.url}/demo/mailbox`);
      assert.equal(mailbox.status, 200);
      assert.match(await mailbox.text(), /Demo mailbox/);
    } finally {
      await s.stop();
    }
  });

  test('configured outside demo mode it starts, without a demo banner, and /demo/mailbox is 404 (even with no SMTP/SMS provider but an outbox folder)', async () => {
    const data = freshFolder();
    const s = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, ...installationSettings(data) }));
    try {
      assert.doesNotMatch(s.stderr(), /DEMO MODE/);
      const mailbox = await fetch(`${s.url}/demo/mailbox`);
      assert.equal(mailbox.status, 404);
      assert.equal((await mailbox.json()).code, 'NOT_FOUND');
      assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    } finally {
      await s.stop();
    }
  });
});

describe('the site address links name (operator.siteUrl)', () => {
  test('outside demo mode without operator.siteUrl or SIMEXIT_SITE_URL, start-up is refused naming both', async () => {
    const data = freshFolder();
    const { SIMEXIT_SITE_URL: _unset, ...settings } = installationSettings(data);
    const refused = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, ...settings })).then(
      async (s) => {
        await s.stop();
        assert.fail(`it started at ${s.url}`);
      },
      (e: Error & { code: number; stderr: string }) => e,
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /CONFIG_INVALID/);
    assert.match(refused.stderr, /operator\.siteUrl: not set/);
    assert.match(refused.stderr, /SIMEXIT_SITE_URL/);
    const bad = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, ...settings, SIMEXIT_SITE_URL: 'selfcare.example.test' })).then(
      async (s) => {
        await s.stop();
        assert.fail(`it started at ${s.url}`);
      },
      (e: Error & { code: number; stderr: string }) => e,
    );
    assert.match(bad.stderr, /SIMEXIT_SITE_URL: must be an address starting with http:\/\/ or https:\/\//);
  });

  test('outside demo mode SIMEXIT_SITE_URL is the address the site names', async () => {
    const data = freshFolder();
    const s = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, ...installationSettings(data) }));
    try {
      assert.equal((await (await fetch(`${s.url}/api/v1/public/site`)).json()).siteUrl, 'https://selfcare.example.test');
    } finally {
      await s.stop();
    }
  });

  test('`simexit start --port N` on a fresh data folder: the site, TMF hrefs and the SMS sent all name localhost:N', { timeout: 120_000 }, async () => {
    const data = freshFolder();
    const port = await freePort();
    const s = await serve(['start', '--port', String(port)], cleanEnv({ SIMEXIT_DATA: data }));
    try {
      const served = `http://localhost:${port}`;
      assert.equal(s.url, served);
      assert.equal((await (await fetch(`${s.url}/api/v1/public/site`)).json()).siteUrl, served, 'the anti-scam "our only site is …"');
      const login = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'backoffice', password: 'demo1234' }) });
      assert.equal(login.status, 200, await login.clone().text());
      const { token } = (await login.json()) as { token: string };
      const created = await fetch(`${s.url}/tmf-api/productOrderingManagement/v4/productOrder`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_00000001' } }] }),
      });
      const order = (await created.json()) as { id: string; href: string };
      assert.equal(created.status, 201, JSON.stringify(order));
      assert.equal(order.href, `${served}/tmf-api/productOrderingManagement/v4/productOrder/${order.id}`);
      // The worker running inside `start` delivers the subscriber's SMS into the file outbox.
      const outbox = join(data, 'outbox');
      const sms = async (): Promise<string[]> => {
        for (let i = 0; i < 100; i++) {
          const texts = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(outbox, f), 'utf8')) : [];
          const naming = texts.filter((t) => t.includes(order.id));
          if (naming.length > 0) return naming;
          await new Promise((r) => setTimeout(r, 200));
        }
        return [];
      };
      const sent = await sms();
      assert.ok(sent.length > 0, 'an SMS about the order was delivered');
      assert.ok(sent.some((t) => t.includes(`${served}/`)), `the SMS links to ${served}:\n${sent.join('\n---\n')}`);
      assert.ok(sent.every((t) => !t.includes('localhost:8080')), 'no SMS names localhost:8080');
    } finally {
      await s.stop();
    }
  });
});

describe('SIMEXIT_DATA', () => {
  test('moves all of ./data: a CLI run with another data folder writes nothing into ./data (store, keys, outbox)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { existsSync, readdirSync } = await import('node:fs');
    const cwd = freshFolder();
    const data = freshFolder();
    const env = cleanEnv({ SIMEXIT_DATA: data, SIMEXIT_DEMO: '1' });
    for (const args of [['migrate'], ['seed', '--customers', '5', '--seed', '2'], ['terminate', '--msisdn', '+79990000001', '--channel', 'web', '--effective', 'now'], ['worker', '--until-idle']]) {
      const r = spawnSync(process.execPath, [bin, ...args], { env, cwd, encoding: 'utf8' });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.equal(existsSync(join(cwd, 'data')), false, `./data was written: ${existsSync(join(cwd, 'data')) ? readdirSync(join(cwd, 'data')).join(', ') : ''}`);
    assert.ok(existsSync(join(data, 'simexit.db')), 'the store is in SIMEXIT_DATA');
    assert.ok(existsSync(join(data, 'keys')), 'the keys are in SIMEXIT_DATA');
    assert.ok(readdirSync(join(data, 'outbox')).some((f) => f.endsWith('.txt')), 'the messages sent are in SIMEXIT_DATA/outbox');
  });
});

describe('which commands change the schema', () => {
  test('only migrate, start and serve --migrate migrate: status, lines, worker and serve on an unmigrated store stop with SCHEMA_NOT_CURRENT saying to run simexit migrate, and change nothing', async () => {
    const { spawnSync } = await import('node:child_process');
    const { DatabaseSync } = await import('node:sqlite');
    const data = freshFolder();
    const env = cleanEnv({ SIMEXIT_DATA: data, SIMEXIT_DEMO: '1' });
    const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
    const applied = () => {
      const db = new DatabaseSync(join(data, 'simexit.db'));
      try {
        const table = db.prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
        return table ? Number((db.prepare('select count(*) as n from kysely_migration').get() as { n: number }).n) : 0;
      } finally {
        db.close();
      }
    };
    for (const args of [['status', 'TRM-7KQ2-9XW4'], ['lines'], ['worker', '--until-idle']]) {
      const r = cli(...args);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^simexit: SCHEMA_NOT_CURRENT: .*not applied.*run `simexit migrate` first\n$/, args.join(' '));
    }
    await assert.rejects(serve(['serve', '--port', '0'], env), (e: Error & { stderr?: string }) => /SCHEMA_NOT_CURRENT: .*`simexit migrate`/.test(e.stderr ?? ''));
    assert.equal(applied(), 0, 'no command but migrate applied a migration');
    const migrated = cli('migrate', '--json');
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.ok((JSON.parse(migrated.stdout) as { applied: string[] }).applied.length > 0);
    assert.ok(applied() > 0);
    const lines = cli('lines', '--json');
    assert.equal(lines.status, 0, lines.stderr);
    assert.deepEqual(JSON.parse(lines.stdout), []);
  });

  test('serve --migrate applies what is pending, then serves', async () => {
    const data = freshFolder();
    const s = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, SIMEXIT_DEMO: '1' }));
    try {
      assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
    } finally {
      await s.stop();
    }
  });

  test('an environment variable simexit cannot use stops start-up naming it and what it takes', async () => {
    const { spawnSync } = await import('node:child_process');
    const data = freshFolder();
    const r = spawnSync(process.execPath, [bin, 'lines'], { env: cleanEnv({ SIMEXIT_DATA: data, SIMEXIT_DEMO: 'perhaps', SIMEXIT_DB: 'mysql://x', SIMEXIT_SMTP_URL: 'http://user:secret@mail' }), encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /CONFIG_INVALID/);
    assert.match(r.stderr, /SIMEXIT_DEMO: must be one of [^\n]*\btrue\b[^\n]*\(found "perhaps"\)/);
    assert.match(r.stderr, /SIMEXIT_DB: must be sqlite:FILE or postgres:/);
    assert.match(r.stderr, /SIMEXIT_SMTP_URL: must be an address starting with smtp:\/\/ or smtps:\/\//);
    assert.doesNotMatch(r.stderr, /secret/, 'no password is repeated');
  });
});

describe('the SM-DP+ (integrations.esim)', () => {
  const withEsim = (folder: string, esim: string) => {
    const file = join(folder, 'operator.yaml');
    writeFileSync(file, `${readFileSync(fileURLToPath(new URL('../config/default.yaml', import.meta.url)), 'utf8')}\nintegrations:\n  esim:\n${esim}`);
    return file;
  };
  const notify = (port: number, ca: string, client: { cert: string; key: string }) =>
    new Promise<number>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, method: 'POST', path: '/gsma/rsp2/es2plus/handleDownloadProgressInfo', ca, ...client, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ header: { functionRequesterIdentifier: 'smdp', functionCallIdentifier: 'c1' }, iccid: '89701999999999999999', notificationPointId: 'Delete', notificationPointStatus: { status: 'Executed-Success' } }));
    });

  test('kind es2plus without its address is refused at start-up, naming integrations.esim.url', async () => {
    const data = freshFolder();
    const refused = await serve(['serve', '--migrate', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, ...installationSettings(data), SIMEXIT_CONFIG: withEsim(data, '    kind: es2plus\n') })).then(
      async (s) => {
        await s.stop();
        assert.fail(`it started at ${s.url}`);
      },
      (e: Error & { code: number; stderr: string }) => e,
    );
    assert.match(refused.stderr, /CONFIG_INVALID/);
    assert.match(refused.stderr, /integrations\.esim\.url/);
  });

  test('configured, serve opens the mutual-TLS notification listener: the SM-DP+ certificate gets through, another is refused', async () => {
    const data = freshFolder();
    const pki = testPki();
    try {
      const ours = pki.ca('operator');
      const smdp = pki.ca('smdp');
      const client = ours.issue('simexit', 'client');
      const listener = ours.issue('listener', 'server');
      const smdpClient = smdp.issue('smdp', 'client');
      const stranger = pki.ca('stranger').issue('x', 'client');
      const port = await freePort();
      const esim = [
        '    kind: es2plus',
        '    url: https://127.0.0.1:1',
        '    functionRequesterIdentifier: 1.3.6.1.4.1.99999.7',
        `    clientCert: { file: ${client.certFile} }`,
        `    clientKey: { file: ${client.keyFile} }`,
        '    notifications:',
        `      port: ${port}`,
        '      host: 127.0.0.1',
        `      serverCert: { file: ${listener.certFile} }`,
        `      serverKey: { file: ${listener.keyFile} }`,
        `      clientCa: { file: ${smdp.certFile} }`,
        '',
      ].join('\n');
      const s = await serve(['serve', '--migrate', '--port', '0', '--no-worker'], cleanEnv({ SIMEXIT_DATA: data, ...installationSettings(data), SIMEXIT_CONFIG: withEsim(data, esim) }));
      try {
        assert.equal(await notify(port, ours.cert, smdpClient), 204, 'an unknown ICCID is acknowledged');
        await assert.rejects(notify(port, ours.cert, stranger));
      } finally {
        await s.stop();
      }
    } finally {
      pki.remove();
    }
  });
});
