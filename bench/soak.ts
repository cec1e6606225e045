// npm run bench:soak -- [--seconds S] [--rate R] [--customers N] [--readers N] [--worker-on-loop] [--bin PATH] [--keep] [--json]
// Does the API stay responsive while the worker works? A seeded demo store (2,000 customers), `simexit start` as
// `npm start` runs it (API and worker in one process, demo mode: generated signing keys, the file outbox), and
// signed-in subscriber reads (their lines, a termination preview, an order's status) over many customers at a fixed
// rate, open loop (latency from when each request was due). First with the worker idle (the baseline), then while
// `simexit bulk terminate` hands the worker every other customer's line (about 1,500) and the worker executes them
// and delivers their messages with the certificates. Prints p50/p99/max, errors, requests sent and the server's
// memory (RSS) at the start and end of each phase, and how much of the bulk run the worker finished in the window.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { issueSession } from '../src/app/auth.ts';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { composeApp } from '../src/config/compose.ts';
import { readEnv } from '../src/config/env.ts';
import { demoMsisdn } from '../src/seed/seed.ts';
import { cpuMs } from './cpu.ts';
import { openLoop, type Sample, summarize } from './open-loop.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    seconds: { type: 'string', default: '180' },
    rate: { type: 'string', default: '1000' },
    customers: { type: 'string', default: '2000' },
    readers: { type: 'string', default: '500' },
    keep: { type: 'boolean' },
    // Another checkout's bin/simexit (say, main's, for a before/after pair in the same hour on a shared machine).
    bin: { type: 'string' },
    // The worker on the API's event loop, as before its thread (SIMEXIT_WORKER_THREAD=no): the "before" figures.
    'worker-on-loop': { type: 'boolean' },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const customers = Number(values.customers);
const readers = Number(values.readers);
const log = (text: string) => process.stderr.write(`${text}\n`);
const bin = values.bin ?? new URL('../bin/simexit', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'simexit-soak-'));
const env: NodeJS.ProcessEnv = { ...process.env, SIMEXIT_DATA: scratch, SIMEXIT_DEMO: '1', SIMEXIT_DB: `sqlite:${join(scratch, 'simexit.db')}` };
delete env.SIMEXIT_LOG;
if (values['worker-on-loop']) env.SIMEXIT_WORKER_THREAD = 'no';

function simexit(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`simexit ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

const rssMb = (pid: number): number => {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
};

log(`seeding ${customers} customers in ${scratch}…`);
await simexit(['migrate']);
await simexit(['seed', '--customers', String(customers)]);

// The readers: customers 0…readers-1 (never in the bulk file). Half of them have an order to poll, the other half
// preview their line; every one lists its lines.
log(`signing in ${readers} subscribers and opening orders for half of them…`);
const app = await composeApp(readEnv(env, {}), { schema: 'check' });
interface Reader {
  headers: Record<string, string>;
  lineId: string;
  reference?: string;
}
const readerList: Reader[] = [];
const ordered = new Map<string, string>();
const half = Math.floor(readers / 2);
const outcomes = await requestTerminations(
  app,
  Array.from({ length: half }, (_, i) => ({ lineId: `ln_${String(i).padStart(8, '0')}`, channel: 'web' as const, authority: 'subscriber' as const, actor: { kind: 'customer' as const, id: `cus_${String(i).padStart(8, '0')}`, channel: 'web' as const }, effective: { mode: 'end_of_period' as const } })),
);
outcomes.forEach((o, i) => o.kind === 'created' && ordered.set(`ln_${String(i).padStart(8, '0')}`, o.termination.reference));
for (let i = 0; i < readers; i++) {
  const id = `cus_${String(i).padStart(8, '0')}`;
  const session = await issueSession(app, { kind: 'customer', id, name: 'soak', language: 'en' });
  const lineId = `ln_${String(i).padStart(8, '0')}`;
  // A line with an order is polled; a line without one (refused: debts, suspended) is previewed only if it is
  // the second half's (the preview of a refused line answers 4xx, which the soak counts as an error).
  if (i < half && !ordered.has(lineId)) continue;
  readerList.push({ headers: { authorization: `Bearer ${session.token}` }, lineId, reference: ordered.get(lineId) });
}
await app.close();
const pollers = readerList.filter((r) => r.reference);
const previewers = readerList.filter((r) => !r.reference);
const csvPath = join(scratch, 'bulk.csv');
writeFileSync(csvPath, `msisdn\n${Array.from({ length: customers - readers }, (_, i) => demoMsisdn(readers + i)).join('\n')}\n`);

// The mix: a third each of lines list, preview, status, each from a different subscriber than the request before.
const next = (i: number) => {
  const kind = i % 3;
  const pick = Math.floor(i / 3);
  if (kind === 0) {
    const r = readerList[pick % readerList.length] as Reader;
    return { path: '/api/v1/lines', headers: r.headers };
  }
  if (kind === 1) {
    const r = previewers[pick % previewers.length] as Reader;
    return { path: `/api/v1/lines/${r.lineId}/termination-preview`, headers: r.headers };
  }
  const r = pollers[pick % pollers.length] as Reader;
  return { path: `/api/v1/terminations/${r.reference as string}`, headers: r.headers };
};

log('starting simexit start (API and worker in one process)…');
// A session of its own (detached), so that on Linux the scheduler's autogroups share the CPU between the server and
// this load generator as between two machines, instead of the two splitting one group's share.
const server = spawn(process.execPath, [bin, 'start', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let serverErr = '';
server.stderr.on('data', (d: Buffer) => (serverErr += d.toString()));
const origin = await new Promise<string>((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`server exited ${code}: ${serverErr}`)));
  createInterface({ input: server.stdout }).on('line', (line) => {
    const m = /simexit is running at (\S+)/.exec(line);
    if (m) resolve((m[1] as string).replace('localhost', '127.0.0.1'));
  });
});
const pid = server.pid as number;

const queue = new DatabaseSync(join(scratch, 'simexit.db'), { readOnly: true, timeout: 5000 });
const dueNow = queue.prepare(`select count(*) as n from jobs where state = 'queued' and run_at <= ?`);
const doneOf = queue.prepare(`select kind, count(*) as n from jobs where state = 'done' group by kind`);
const done = () => Object.fromEntries((doneOf.all() as { kind: string; n: number }[]).map((r) => [r.kind, r.n]));

async function phase(name: string, options: { bulk: boolean }) {
  log(`${name}: ${rate} requests/s for ${seconds} s…`);
  const rssStart = rssMb(pid);
  const cpuStart = cpuMs(pid) ?? 0;
  const loadStart = loadavg()[0] as number;
  let rssMax = rssStart;
  const doneBefore = done();
  let bulk: Promise<string> | undefined;
  let busyUntil = 0;
  let lastDue = 0;
  let lastPoll = -Infinity;
  const startedAt = Date.now();
  const run = openLoop({
    origin,
    rate,
    seconds,
    next,
    tick: (elapsed) => {
      if (options.bulk && !bulk) bulk = simexit(['bulk', 'terminate', '--file', csvPath, '--json']);
      if (elapsed - lastPoll < 500) return;
      lastPoll = elapsed;
      rssMax = Math.max(rssMax, rssMb(pid));
      lastDue = due();
      if (lastDue > 0 || (bulk && elapsed < 3000)) busyUntil = elapsed;
    },
  });
  const { samples, sent } = await run;
  const report = bulk ? (JSON.parse(await bulk) as { created: number; requested: number }) : undefined;
  const after = done();
  const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (doneBefore[k] ?? 0)]));
  // While the worker works: the requests due while the queue still had due jobs (to the last poll that saw some).
  const working = options.bulk ? samples.filter((s: Sample) => s.dueAt <= busyUntil) : samples;
  return {
    phase: name,
    at: new Date(startedAt).toISOString(),
    rate,
    seconds,
    sent,
    answered: samples.length,
    ...summarize(working),
    ...(options.bulk ? { workingSeconds: +(busyUntil / 1000).toFixed(1), wholeWindow: summarize(samples), drainedAfterSeconds: lastDue === 0 ? +(busyUntil / 1000).toFixed(1) : null } : {}),
    ...(report ? { bulkOrders: report.created, bulkRequested: report.requested } : {}),
    jobsDone: delta,
    // The machine is shared: the load average (1 min) says how much else ran; the server's CPU time what it used.
    loadAverage: [+loadStart.toFixed(1), +(loadavg()[0] as number).toFixed(1)],
    serverCpuSeconds: +(((cpuMs(pid) ?? 0) - cpuStart) / 1000).toFixed(1),
    rssStartMb: rssStart,
    rssMaxMb: rssMax,
    rssEndMb: rssMb(pid),
  };
}

const due = () => (dueNow.get(new Date().toISOString()) as { n: number }).n;
try {
  // The orders opened above sent their messages: the idle phase starts once the worker has delivered them.
  for (let i = 0; i < 600 && due() > 0; i++) await new Promise((r) => setTimeout(r, 500));
  // A few seconds to warm up (statement caches, JIT), not counted.
  await openLoop({ origin, rate, seconds: 5, next });
  const idle = await phase('worker idle', { bulk: false });
  const working = await phase('worker working', { bulk: true });
  const results = { bin, worker: values['worker-on-loop'] ? 'on the event loop' : 'in its thread', idle, working, target: { p99UnderMs: 50, met: working.p99 < 50 && working.errors === 0 } };
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else {
    const { jobsDone: a, ...idleRow } = idle;
    const { jobsDone: b, wholeWindow: whole, ...workRow } = working;
    console.table({ idle: idleRow, working: workRow, 'working, whole window': whole });
    console.log('jobs done while idle:', a, '\njobs done while working:', b, `\ntarget p99 < 50 ms while working: ${results.target.met ? 'met' : 'NOT met'}`);
  }
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  queue.close();
  if (!values.keep) rmSync(scratch, { recursive: true, force: true });
  else log(`kept ${scratch}`);
}
