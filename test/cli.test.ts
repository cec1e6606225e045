import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

const bin = fileURLToPath(new URL('../bin/simexit', import.meta.url));
process.env.SIMEXIT_OUTBOX ??= mkdtempSync(join(tmpdir(), 'simexit-outbox-'));
const dir = mkdtempSync(join(tmpdir(), 'simexit-cli-'));
const dbFile = join(dir, 'cli.db');
const spawnOn = (file: string, args: readonly string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, SIMEXIT_DB: `sqlite:${file}`, SIMEXIT_DATA: dir, SIMEXIT_DEMO: '1', ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
// Only `migrate`, `start` and `serve --migrate` change the schema: each store is migrated once, as an operator would.
const migrated = new Set<string>();
/** `simexit ARGS` on a store of its own (`file`, migrated first), in demo mode unless `env` says otherwise. */
const runOn = (file: string, args: readonly string[], env: Record<string, string> = {}) => {
  if (!migrated.has(file)) {
    const m = spawnOn(file, ['migrate']);
    assert.equal(m.code, 0, m.err);
    migrated.add(file);
  }
  return spawnOn(file, args, env);
};
const jsonOn = (file: string, args: readonly string[], env: Record<string, string> = {}) => {
  const r = runOn(file, [...args, '--json'], env);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
};
const run = (...args: string[]) => runOn(dbFile, args);
const json = (...args: string[]) => jsonOn(dbFile, args);

describe('the simexit command line', () => {
  test('--help lists every command with what it does; <command> --help gives its options', () => {
    const all = run('--help');
    assert.equal(all.code, 0);
    for (const command of ['start', 'serve', 'migrate', 'seed', 'lines', 'terminate', 'status', 'bulk', 'sweep', 'audit', 'worker', 'certificate']) {
      assert.match(all.out, new RegExp(`^  ${command} +\\S.+$`, 'm'), `${command} has a summary line`);
    }
    const bulk = run('bulk', '--help');
    assert.equal(bulk.code, 0);
    assert.match(bulk.out, /^usage: simexit bulk terminate --file CSV \[--dry-run\].*\[--json\]$/m);
    const unknown = run('terminat');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "terminat"/);
  });

  test('seed prints a summary with demo logins for subscribers and staff', () => {
    const summary = json('seed', '--customers', '300', '--seed', '5');
    assert.equal(summary.customers, 300);
    assert.ok(summary.sim > 0 && summary.esim > 0 && summary.inDebt > 0 && summary.withCredit > 0);
    const roles = new Set(summary.demoLogins.map((l: { role: string }) => l.role));
    for (const role of ['subscriber', 'back_office', 'shop_agent', 'call_agent', 'admin']) assert.ok(roles.has(role), role);
  });

  test('terminate with --effective now completes when the worker runs', () => {
    const lines = json('lines', '--state', 'active', '--limit', '5');
    assert.equal(lines.length, 5);
    for (const key of ['id', 'msisdn', 'state', 'simType', 'balance']) assert.ok(key in lines[0], key);
    const order = json('terminate', '--msisdn', lines[2].msisdn, '--channel', 'web', '--effective', 'now');
    assert.match(order.reference, /^TRM-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.equal(order.state, 'scheduled');
    json('worker', '--until-idle');
    const status = json('status', order.reference.toLowerCase());
    assert.equal(status.state, 'completed');
    assert.deepEqual(status.timeline.map((e: { to: string }) => e.to), ['requested', 'awaiting_confirmation', 'scheduled', 'executing', 'completed']);
  });

  test('lines prints money as money under a header row (minor units under --json); numbers --state quarantined shows each quarantine end', () => {
    const [first] = json('lines', '--limit', '1');
    assert.ok(Number.isInteger(first.balance), 'minor units under --json');
    const human = run('lines', '--limit', '3', '--language', 'ru');
    assert.equal(human.code, 0, human.err);
    const [header, row] = human.out.split('\n');
    assert.match(header ?? '', /^number +state +SIM +plan +balance +line id$/);
    const money = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: first.currency }).format(first.balance / 100);
    assert.ok(row?.includes(money), `${row} shows ${money}`);
    assert.match(money, /,\d{2}\s₽$/);
    const quarantined = json('numbers', '--state', 'quarantined');
    assert.ok(quarantined.length >= 1, 'the number ended above rests in quarantine');
    assert.ok(quarantined.every((n: { state: string; quarantineUntil: string }) => n.state === 'quarantined' && Date.parse(n.quarantineUntil) > Date.now()));
    const list = run('numbers', '--state', 'quarantined', '--language', 'en');
    assert.match(list.out, /^number +state +quarantine ends$/m);
    assert.match(list.out, /^\+7 \d{3} \d{3} \d{2} \d{2} +quarantined +\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} GMT\+3$/m, list.out);
    assert.match(run('numbers', '--state', 'resting').err, /--state must be one of available, reserved, assigned, quarantined/);
  });

  test('bad input is one clear line, a non-zero exit, and no change', () => {
    const before = json('lines', '--state', 'termination_scheduled').length;
    for (const [args, text] of [
      [['terminate', '--msisdn', '12', '--channel', 'web'], 'INVALID_MSISDN'],
      [['terminate', '--msisdn', '+79990000050', '--channel', 'fax'], 'INVALID_CHANNEL: Unknown channel: fax \\(valid: web, app, .*store.*\\)'],
      [['terminate', '--msisdn', '+79990000050', '--channel', 'web', '--effective', '2026-02-30'], 'INVALID_EFFECTIVE_DATE'],
      [['terminate', '--msisdn', '+79550000050', '--channel', 'web'], 'LINE_NOT_FOUND'],
      [['status', 'TRM-0000-0000'], 'TERMINATION_NOT_FOUND'],
      [['seed'], '--customers N is required'],
      [['seed', '--customers', '-5'], '--customers'],
      [['seed', '--customers=0'], 'whole number from 1'],
      [['lines', '--limit', '0'], 'whole number from 1'],
      [['certificate', 'export'], 'usage: simexit certificate export REFERENCE'],
    ] as const) {
      const r = run(...args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, new RegExp(text));
    }
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'msisdn\n+79990000060\nhello\n');
    const r = run('bulk', 'terminate', '--file', csv);
    assert.equal(r.code, 2);
    assert.match(r.err, /Line 3 of the CSV file/);
    assert.equal(json('lines', '--state', 'termination_scheduled').length, before);
  });

  test('bulk terminate: the dry run counts blockers, a second run creates nothing twice', () => {
    const csv = join(dir, 'regulator.csv');
    writeFileSync(csv, `msisdn,reason\n${Array.from({ length: 200 }, (_, i) => `+7999${String(100 + i).padStart(7, '0')},regulator`).join('\n')}\n`);
    const dry = json('bulk', 'terminate', '--file', csv, '--dry-run');
    assert.equal(dry.requested, 200);
    assert.equal(dry.dryRun, true);
    const first = json('bulk', 'terminate', '--file', csv);
    assert.equal(first.created, dry.created);
    assert.deepEqual(first.blocked, dry.blocked);
    const again = json('bulk', 'terminate', '--file', csv);
    assert.equal(again.created, 0);
    assert.equal(again.skipped, 200);
  });

  test('audit verify --anchor reports a log whose last entries were deleted and head rewritten as truncated', () => {
    const anchorFile = join(dir, 'audit-anchor.jsonl');
    const signed = json('audit', 'anchor');
    assert.equal(signed.file, anchorFile, 'the signed heads are kept under the data folder by default');
    assert.ok(signed.signed.seq > 10, `entries: ${signed.signed?.seq}`);
    assert.equal(json('audit', 'anchor').signed, null, 'an unchanged head is not signed twice');
    const intact = run('audit', 'verify', '--anchor', anchorFile);
    assert.equal(intact.code, 0, intact.out + intact.err);
    assert.match(intact.out, /anchor: 1 signed heads, all still in the log/);
    // Cut the last 5 entries off and make the head point at what is left: the chain alone is still whole.
    const db = new DatabaseSync(dbFile);
    const last = Number((db.prepare('select max(seq) as n from audit_log').get() as { n: number }).n);
    db.prepare('delete from audit_log where seq > ?').run(last - 5);
    const kept = db.prepare('select seq, hash from audit_log where seq = ?').get(last - 5) as { seq: number; hash: string };
    db.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(kept.seq, kept.hash);
    db.close();
    assert.equal(run('audit', 'verify').code, 0, 'without the anchor the cut cannot be seen');
    const cut = run('audit', 'verify', '--anchor', anchorFile);
    assert.equal(cut.code, 1, cut.out);
    assert.match(cut.out, new RegExp(`anchor: the log was TRUNCATED: it ends at entry ${last - 5}, but entry ${last} was signed`));
    const forged = join(dir, 'forged-anchor.jsonl');
    writeFileSync(forged, `${JSON.stringify({ ...signed.signed, seq: last - 5, hash: kept.hash })}\n`);
    assert.equal(run('audit', 'verify', '--anchor', forged).code, 1, 'a head not signed by the installation proves nothing');
  });

  test('audit verify exits 1 and names the entry once the log is changed', () => {
    assert.equal(run('audit', 'verify').code, 0);
    const db = new DatabaseSync(dbFile);
    db.prepare("update audit_log set actor_id = 'someone else' where seq = 3").run();
    db.close();
    const r = run('audit', 'verify');
    assert.equal(r.code, 1);
    assert.match(r.out, /CHANGED at entry 3/);
  });
});

describe('simexit dormancy', () => {
  const file = join(dir, 'dormancy.db');
  const dormancyNotices = () => {
    const db = new DatabaseSync(file);
    try {
      return Number((db.prepare("select count(*) as n from notifications where template = 'dormancy.notice'").get() as { n: number }).n);
    } finally {
      db.close();
    }
  };

  test('--dry-run lists who would be noticed and ended, and when, in local dates, and changes nothing', () => {
    jsonOn(file, ['seed', '--customers', '200', '--seed', '3']);
    const dry = jsonOn(file, ['dormancy', '--dry-run']);
    assert.equal(dry.dryRun, true);
    assert.ok(dry.noticed > 0, 'the demo data has lines near or past the limit');
    assert.equal(dry.terminated, 0, 'no line is ended before its notices were sent');
    assert.equal(dry.entries.length, dry.noticed);
    for (const e of dry.entries) {
      assert.equal(e.action, 'notice');
      assert.ok(Date.parse(e.terminationAt) >= Date.parse(dry.at) + 30 * 86_400_000, 'the end counts from the first notice');
    }
    assert.equal(dormancyNotices(), 0, 'a dry run sends nothing');
    const human = runOn(file, ['dormancy', '--dry-run', '--language', 'en', '--limit', '2']);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /dry run, nothing changed/);
    assert.match(human.out, /^number +last paid activity +this run +ends on or after$/m);
    assert.match(human.out, /^\+7 \d{3} \d{3} \d{2} \d{2} +\d{1,2} [A-Z][a-z]+ \d{4} +notice \(30 days before the end\) +\d{1,2} [A-Z][a-z]+ \d{4}$/m, human.out);
    assert.doesNotMatch(human.out, /\d{4}-\d{2}-\d{2}T/, 'no UTC instants for a person to read');
    assert.match(human.out, new RegExp(`and ${dry.noticed - 2} more`));

    const applied = jsonOn(file, ['dormancy']);
    assert.deepEqual([applied.noticed, applied.terminated], [dry.noticed, 0]);
    assert.ok(dormancyNotices() >= dry.noticed);
    const after = jsonOn(file, ['dormancy', '--dry-run']);
    assert.deepEqual([after.noticed, after.terminated, after.waiting], [0, 0, dry.noticed]);
    assert.ok(after.entries.every((e: { action: string; nextNoticeAt: string }) => e.action === 'wait' && e.nextNoticeAt));
  });
});

describe('simexit sweep', () => {
  test('reports what this run did, not totals: a second run right after reports zeros', () => {
    const file = join(dir, 'sweep.db');
    jsonOn(file, ['seed', '--customers', '150', '--seed', '4']);
    const [a, b] = jsonOn(file, ['lines', '--state', 'active', '--limit', '2']) as { msisdn: string }[];
    for (const line of [a, b]) jsonOn(file, ['terminate', '--msisdn', (line as { msisdn: string }).msisdn, '--channel', 'web']);
    jsonOn(file, ['worker', '--until-idle', '--no-deliver']);
    const db = new DatabaseSync(file);
    const now = Date.now();
    db.prepare('update numbers set quarantine_until = ? where msisdn = ?').run(new Date(now - 3_600_000).toISOString(), (a as { msisdn: string }).msisdn);
    db.prepare('update numbers set quarantine_until = ? where msisdn = ?').run(new Date(now + 2 * 86_400_000).toISOString(), (b as { msisdn: string }).msisdn);
    db.close();
    const first = jsonOn(file, ['sweep']);
    assert.equal(first.released, 1);
    assert.equal(first.endingSoonNoticed, 1);
    assert.ok(first.dormancy.noticed > 0);
    assert.equal(first.dormancy.terminated, 0);
    const second = runOn(file, ['sweep']);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /^this run:$/m);
    assert.match(second.out, /released 0 number/);
    assert.match(second.out, /told 0 former holder/);
    assert.match(second.out, /dormancy: sent 0 notice\(s\), ordered 0 line\(s\) ended/);
    assert.match(second.out, new RegExp(`\\(${first.dormancy.noticed} line\\(s\\) under dormancy notice`));
  });
});

describe('simexit clock (demo mode)', () => {
  test('advance moves the whole installation forward: a scheduled termination is carried out when its day comes; refused outside demo mode', () => {
    const file = join(dir, 'clock.db');
    jsonOn(file, ['seed', '--customers', '50', '--seed', '6']);
    assert.equal(jsonOn(file, ['clock', 'show']).offsetDays, 0);
    const [line] = jsonOn(file, ['lines', '--state', 'active', '--limit', '1']) as { msisdn: string }[];
    const order = jsonOn(file, ['terminate', '--msisdn', (line as { msisdn: string }).msisdn, '--channel', 'web', '--effective', 'end_of_period']);
    assert.equal(order.state, 'scheduled');
    jsonOn(file, ['worker', '--until-idle', '--no-deliver']);
    assert.equal(jsonOn(file, ['status', order.reference]).state, 'scheduled', 'not due yet');
    const refused = runOn(file, ['clock', 'advance', '--days', '40'], { SIMEXIT_DEMO: '0' });
    assert.equal(refused.code, 2);
    assert.match(refused.err, /^simexit: CLOCK_DEMO_ONLY: /);
    assert.equal(jsonOn(file, ['clock', 'show']).offsetDays, 0, 'nothing moved');
    const moved = jsonOn(file, ['clock', 'advance', '--days', '40']);
    assert.equal(moved.offsetDays, 40);
    assert.ok(Date.parse(moved.now) - Date.parse(moved.realNow) >= 40 * 86_400_000 - 1000);
    assert.ok(Date.parse(moved.now) > Date.parse(order.effectiveAt));
    jsonOn(file, ['worker', '--until-idle', '--no-deliver']);
    assert.equal(jsonOn(file, ['status', order.reference]).state, 'completed', 'the worker follows the moved clock');
    const db = new DatabaseSync(file);
    const audited = db.prepare("select actor_id from audit_log where entity_type = 'clock' and action = 'clock_advanced'").all();
    db.close();
    assert.equal(audited.length, 1, 'the move is audited');
    assert.equal(runOn(file, ['audit', 'verify']).code, 0);
  });
});

describe('simexit serve', () => {
  test('serves the API and stops cleanly on SIGTERM, finishing the request in flight', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'serve', '--migrate', '--port', '0'], { env: { ...process.env, SIMEXIT_DB: `sqlite:${dbFile}`, SIMEXIT_DATA: dir, SIMEXIT_DEMO: '1', SIMEXIT_LOG: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const m = /listening on (http:\/\/\S+)/.exec(chunk.toString());
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const inFlight = fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'backoffice', password: 'demo1234' }) });
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    const answered = await inFlight;
    assert.equal(answered.status, 200, 'the sign-in that was running when SIGTERM came still got its answer');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
  });
});
