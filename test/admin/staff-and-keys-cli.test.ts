// Setting up a fresh installation from the command line, outside demo mode (issue 17): on an empty store the
// operator creates the first administrator, who signs in over HTTP; an integrator key made with `simexit apikey`
// works on the TMF622 facade until it is revoked, and from then on is refused. Passwords never come from an
// argument; the key and a generated password are printed once.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const bin = fileURLToPath(new URL('../../bin/simexit', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'simexit-keys-cli-'));

/** A shell with no simexit setting but what a real installation sets (not demo mode), on a store of its own. */
function installation(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SIMEXIT_') && k !== 'PORT') env[k] = v;
  const keyFile = join(folder, 'certificate.pem');
  writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return {
    ...env,
    SIMEXIT_LOG: 'off',
    SIMEXIT_DATA: folder,
    SIMEXIT_DB: `sqlite:${join(folder, 'fresh.db')}`,
    SIMEXIT_DOCUMENT_KEY: 'k'.repeat(32),
    SIMEXIT_REFERENCE_KEY: 'r'.repeat(32),
    SIMEXIT_CERT_KEY: keyFile,
    SIMEXIT_OUTBOX: join(folder, 'outbox'),
    SIMEXIT_SITE_URL: 'https://selfcare.example.test',
  };
}
const env = installation();
const simexit = (args: readonly string[], input?: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const json = (args: readonly string[], input?: string) => {
  const r = simexit([...args, '--json'], input);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
};

describe('setting up an installation with simexit staff and simexit apikey', () => {
  let server: ChildProcessWithoutNullStreams | undefined;
  let url = '';
  before(() => assert.equal(simexit(['migrate']).code, 0));
  after(async () => {
    if (server && server.exitCode === null) await new Promise<void>((done) => (server?.once('exit', () => done()), server?.kill('SIGTERM')));
    rmSync(folder, { recursive: true, force: true });
  });

  test('on an empty store the first administrator is created with a generated password, printed once', () => {
    assert.deepEqual(json(['staff', 'list']), []);
    assert.match(simexit(['staff', 'list']).out, /no staff yet/);
    const made = simexit(['staff', 'add', '--login', 'ops', '--name', 'Olga Ops', '--role', 'admin']);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /^created ops \(Olga Ops\): admin$/m);
    const password = /^password: (\S+)$/m.exec(made.out)?.[1];
    assert.ok(password && password.length >= 12, made.out);
    writeFileSync(join(folder, 'ops-password'), password);
    assert.deepEqual(json(['staff', 'list']).map((s: { login: string; role: string; disabled: boolean }) => [s.login, s.role, s.disabled]), [['ops', 'admin', false]]);
  });

  test('a password comes from stdin, never from an argument; bad input changes nothing and exits 2', () => {
    const piped = json(['staff', 'add', '--login', 'desk', '--name', 'Dmitri Desk', '--role', 'back_office', '--password', 'stdin'], 'piped-pass-12\n');
    assert.equal(piped.password, undefined, 'a password the operator gave is not printed back');
    assert.equal(piped.member.login, 'desk');
    const argument = simexit(['staff', 'add', '--login', 'sneaky', '--name', 'Sneaky', '--role', 'admin', '--password', 'hunter2222']);
    assert.equal(argument.code, 2);
    assert.match(argument.err, /^simexit: VALIDATION_FAILED: .*never the password itself/m);
    for (const args of [
      ['staff', 'add', '--login', 'ops', '--name', 'Again', '--role', 'admin'],
      ['staff', 'add', '--login', 'x1', '--name', 'Root', '--role', 'root'],
      ['staff', 'disable', 'ops'],
      ['staff', 'set', 'ops', '--role', 'back_office'],
      ['apikey', 'create', '--name', 'Bank', '--scopes', 'everything'],
    ]) {
      const r = simexit(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /^simexit: (STAFF_LOGIN_TAKEN|STAFF_ROLE_UNKNOWN|STAFF_LAST_ADMIN|API_SCOPE_UNKNOWN): /, args.join(' '));
    }
    assert.deepEqual(json(['staff', 'list']).map((s: { login: string; role: string }) => [s.login, s.role]), [['desk', 'back_office'], ['ops', 'admin']], 'by name; nothing else was created or changed');
    assert.deepEqual(json(['apikey', 'list']), []);
  });

  test('the administrator signs in over HTTP; a key from the CLI works on the TMF622 facade until it is revoked', async () => {
    server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-worker'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server?.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      server?.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const password = readFileSync(join(folder, 'ops-password'), 'utf8');
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'ops', password }) });
    assert.equal(login.status, 200, await login.clone().text());
    const token = ((await login.json()) as { token: string }).token;
    const staff = await fetch(`${url}/api/v1/admin/staff`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(staff.status, 200);

    const made = simexit(['apikey', 'create', '--name', 'Partner shop', '--scopes', 'tmf622']);
    assert.equal(made.code, 0, made.err);
    const key = /^key: (sx_\S+)$/m.exec(made.out)?.[1];
    const id = /^created (key_\w+) /m.exec(made.out)?.[1];
    assert.ok(key && id, made.out);
    const orders = () => fetch(`${url}/tmf-api/productOrderingManagement/v4/productOrder`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal((await orders()).status, 200);
    const listed = json(['apikey', 'list']);
    assert.deepEqual(listed.map((k: { id: string; scopes: string[]; revokedAt: string | null }) => [k.id, k.scopes, k.revokedAt]), [[id, ['tmf622'], null]]);
    assert.equal(typeof listed[0].lastUsedAt, 'string', 'the call is the key\'s last use');
    assert.ok(!JSON.stringify(listed).includes(key), 'the list never shows the key');

    const revoked = simexit(['apikey', 'revoke', id]);
    assert.equal(revoked.code, 0, revoked.err);
    assert.match(revoked.out, /^revoked key_\w+ \(Partner shop\)/);
    assert.equal((await orders()).status, 401, 'a revoked key is refused');
    assert.match(simexit(['apikey', 'list']).out, /REVOKED/);
    const again = simexit(['apikey', 'revoke', id]);
    assert.deepEqual([again.code, /API_KEY_ALREADY_REVOKED/.test(again.err)], [2, true]);
  });

  test('help names both commands and their forms', () => {
    const help = simexit(['help']);
    assert.match(help.out, /^ {2}staff +\S.+$/m);
    assert.match(help.out, /^ {2}apikey +\S.+$/m);
    assert.match(simexit(['apikey', '--help']).out, /^usage: simexit apikey create --name N --scopes S\[,S\] \| list .*\| revoke ID \[--json\]$/m);
  });
});
