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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

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
  return { SIMEXIT_DOCUMENT_KEY: 'k'.repeat(32), SIMEXIT_REFERENCE_KEY: 'r'.repeat(32), SIMEXIT_CERT_KEY: keyFile, SIMEXIT_OUTBOX: join(folder, 'outbox') };
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

describe('starting simexit serve', () => {
  test('outside demo mode, on a fresh data folder without configuration, it refuses and names every setting to give', async () => {
    const data = freshFolder();
    const refused = await serve(['serve', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data })).then(
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
    const s = await serve(['serve', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, SIMEXIT_DEMO: '1' }));
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
    const s = await serve(['serve', '--port', '0'], cleanEnv({ SIMEXIT_DATA: data, ...installationSettings(data) }));
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

describe('SIMEXIT_DATA', () => {
  test('moves all of ./data: a CLI run with another data folder writes nothing into ./data (store, keys, outbox)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { existsSync, readdirSync } = await import('node:fs');
    const cwd = freshFolder();
    const data = freshFolder();
    const env = cleanEnv({ SIMEXIT_DATA: data, SIMEXIT_DEMO: '1' });
    for (const args of [['seed', '--customers', '5', '--seed', '2'], ['terminate', '--msisdn', '+79990000001', '--channel', 'web', '--effective', 'now'], ['worker', '--until-idle']]) {
      const r = spawnSync(process.execPath, [bin, ...args], { env, cwd, encoding: 'utf8' });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.equal(existsSync(join(cwd, 'data')), false, `./data was written: ${existsSync(join(cwd, 'data')) ? readdirSync(join(cwd, 'data')).join(', ') : ''}`);
    assert.ok(existsSync(join(data, 'simexit.db')), 'the store is in SIMEXIT_DATA');
    assert.ok(existsSync(join(data, 'keys')), 'the keys are in SIMEXIT_DATA');
    assert.ok(readdirSync(join(data, 'outbox')).some((f) => f.endsWith('.txt')), 'the messages sent are in SIMEXIT_DATA/outbox');
  });
});
