/**
 * `simexit serve` runs the worker in a thread of its own (src/cli/worker-thread.ts): an order made by another
 * process is carried out by the running server, and SIGTERM stops the server and its worker cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { readEnv } from '../src/config/env.ts';
import { startWorkerThread } from '../src/cli/worker-thread.ts';

const bin = fileURLToPath(new URL('../bin/simexit', import.meta.url));
const data = mkdtempSync(join(tmpdir(), 'simexit-serve-thread-'));
after(() => rmSync(data, { recursive: true, force: true }));
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIMEXIT_') && k !== 'PORT'));
Object.assign(env, { SIMEXIT_DATA: data, SIMEXIT_DEMO: '1', SIMEXIT_LOG: 'off' });

async function completes(reference: string): Promise<string> {
  let state = '';
  for (let i = 0; i < 300 && state !== 'completed'; i++) {
    state = (JSON.parse(simexit(['status', reference, '--json'], env)) as { state: string }).state;
    if (state !== 'completed') await new Promise((r) => setTimeout(r, 200));
  }
  return state;
}

function simexit(args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, `simexit ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe("serve's worker thread", () => {
  test('carries out an order another process made, then stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    simexit(['migrate'], env);
    simexit(['seed', '--customers', '5', '--seed', '2'], env);
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let exit: { code: number | null; signal: string | null } | undefined;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/listening on http/.test(out)) resolve();
      });
      void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
    });
    try {
      const created = JSON.parse(simexit(['terminate', '--msisdn', '+79990000001', '--channel', 'web', '--effective', 'now', '--json'], env)) as { reference: string };
      assert.equal(await completes(created.reference), 'completed', 'the server carried the order out');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    assert.deepEqual(exit, { code: 0, signal: null }, stderr);
    assert.doesNotMatch(stderr, /worker stopped|Error/, 'nothing failed on the way down');
    // The worker closed its store: a worker started now finds nothing left to do and the same store opens again.
    assert.match(simexit(['worker', '--until-idle'], env), /worker done: completed 0/);
  });

  test('the thread reports what it did when stopped, and a failure to start reaches the parent', { timeout: 120_000 }, async () => {
    const thread = startWorkerThread({ env: readEnv(env), siteUrl: 'http://localhost:8080' });
    await thread.started;
    const created = JSON.parse(simexit(['terminate', '--msisdn', '+79990000003', '--channel', 'web', '--effective', 'now', '--json'], env)) as { reference: string };
    assert.equal(await completes(created.reference), 'completed');
    thread.stop();
    const totals = await thread.done;
    assert.ok(totals.completed >= 1, JSON.stringify(totals));
    // A store nobody migrated: the thread's start-up check refuses it, and the parent hears why.
    const empty = mkdtempSync(join(tmpdir(), 'simexit-serve-thread-empty-'));
    try {
      const failing = startWorkerThread({ env: readEnv({ ...env, SIMEXIT_DATA: empty }), siteUrl: 'http://localhost:8080' });
      await assert.rejects(failing.started, /SCHEMA_NOT_CURRENT|simexit migrate/);
      await assert.rejects(failing.done, /SCHEMA_NOT_CURRENT|simexit migrate/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
