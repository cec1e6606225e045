// npm run bench:api -- [--json] [--seconds S] [--db URL] [--distinct N]
// Loads the termination preview and the status route of the real API (seeded store) and a bare Fastify route in
// the same run, from a separate process. Each request previews another line or polls another order, with its
// owner's session, over 10,000 lines and 10,000 orders (a client asking for the same one every time is served from
// the reader's kept results, which no real traffic looks like). First flat out (autocannon, 32 connections:
// requests/s and the ratio to the bare route), then at a fixed 1,000 requests/s, open loop (bench/open-loop.ts:
// latency counted from when each request was due, so a stall is not hidden by sending less during it). On Linux it
// also reports the server process's CPU time per request.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMs } from './cpu.ts';
import { openLoop, summarize } from './open-loop.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, seconds: { type: 'string', default: '10' }, db: { type: 'string' }, distinct: { type: 'string', default: '10000' } } });
const seconds = Number(values.seconds);
interface Target {
  api: string;
  bare: string;
  previews: { token: string; lineId: string }[];
  orders: { token: string; reference: string }[];
  pid: number;
}
/** The i-th request of a route: another line or order each time, with its owner's session. */
type Rotation = (i: number) => { path: string; headers: Record<string, string> };

const log = (text: string) => process.stderr.write(`${text}\n`);
log(`seeding and signing in ${values.distinct} + ${values.distinct} subscribers…`);
const server = spawn(process.execPath, [new URL('./api-server.ts', import.meta.url).pathname], {
  env: { ...process.env, ...(values.db ? { BENCH_DB: values.db } : {}), BENCH_DISTINCT: values.distinct },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout, crlfDelay: Infinity }).once('line', resolve));
const target: Target = { ...(JSON.parse(first) as Omit<Target, 'pid'>), pid: server.pid as number };

const rotations: Record<'bare' | 'preview' | 'status', Rotation> = {
  bare: () => ({ path: '/bare', headers: {} }),
  preview: (i) => {
    const p = target.previews[i % target.previews.length] as Target['previews'][number];
    return { path: `/api/v1/lines/${p.lineId}/termination-preview`, headers: { authorization: `Bearer ${p.token}` } };
  },
  status: (i) => {
    const o = target.orders[i % target.orders.length] as Target['orders'][number];
    return { path: `/api/v1/terminations/${o.reference}`, headers: { authorization: `Bearer ${o.token}` } };
  },
};

async function flatOut(origin: string, rotation: Rotation) {
  let i = 0;
  const cpuBefore = cpuMs(target.pid);
  const r = await autocannon({
    url: origin,
    connections: 32,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, ...rotation(i++) }) }],
  });
  const cpuAfter = cpuMs(target.pid);
  const served = r.requests.total;
  const serverCpuMicrosPerRequest = cpuBefore !== undefined && cpuAfter !== undefined && served > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000) / served) : undefined;
  return { requestsPerSecond: Math.round(r.requests.average), p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, serverCpuMicrosPerRequest };
}

async function paced(origin: string, rotation: Rotation) {
  // Another starting point than the flat-out phase's, so it does not repeat the lines that phase read last.
  const offset = Math.floor(target.previews.length / 2);
  const { samples, sent } = await openLoop({ origin, rate: 1000, seconds, next: (i) => rotation(i + offset) });
  const s = summarize(samples);
  return { p50: s.p50, p99: s.p99, max: s.max, sent, errors: s.errors + (sent - samples.length) };
}

const results: Record<string, unknown> = {};
const bare = await flatOut(target.bare, rotations.bare);
results.bare = bare;
const ratio = (r: { requestsPerSecond: number }) => +(r.requestsPerSecond / bare.requestsPerSecond).toFixed(3);
for (const name of ['preview', 'status'] as const) {
  const flat = await flatOut(target.api, rotations[name]);
  const at1000 = await paced(target.api, rotations[name]);
  results[name] = { ...flat, ratio: ratio(flat), at1000 };
}
results.distinct = { lines: target.previews.length, orders: target.orders.length };
server.kill('SIGTERM');
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
else console.table(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v])));
