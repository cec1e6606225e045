// npm run bench:rnd -- [--json] [--seconds S] [--db URL]
// The reassigned-numbers query on a store of 1,000,000 numbers and their histories (BENCH_NUMBERS to change it),
// seeded with batched inserts: requests of 1,000 random pairs (nine in ten our numbers, dates from mid-2022 to
// today) through the real route with integrator keys, and through a bare Fastify route with the same body and
// schema in the same run, from a separate process. Prints pairs/s, the ratio to the bare route, latency, and the
// server's CPU time per request and the pairs one CPU-second answers (what a free core reaches; on a shared machine
// pairs/s follows the share of a core the server gets). Target: ≥ 50,000 pairs/s (issue 17).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { MAX_PAIRS } from '../src/domain/reassigned-numbers.ts';
import { cpuMs } from './cpu.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, seconds: { type: 'string', default: '10' }, db: { type: 'string' } } });
const seconds = Number(values.seconds);
interface Target {
  api: string;
  bare: string;
  keys: string[];
  numbers: number;
  assignments: number;
  seedSeconds: number;
  dialect: string;
}

const server = spawn(process.execPath, [new URL('./rnd-server.ts', import.meta.url).pathname], { env: { ...process.env, ...(values.db ? { BENCH_DB: values.db } : {}) }, stdio: ['ignore', 'pipe', 'inherit'] });
const target = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve))) as Target;

const DAY = 86_400_000;
const firstDay = Date.parse('2022-06-01T00:00:00Z');
const days = Math.floor((Date.now() - firstDay) / DAY);
const body = () =>
  JSON.stringify({
    pairs: Array.from({ length: MAX_PAIRS }, () => {
      const ours = Math.random() < 0.9;
      const i = Math.floor(Math.random() * target.numbers);
      return { number: `${ours ? '+7990' : '+7991'}${String(i).padStart(7, '0')}`, date: new Date(firstDay + Math.floor(Math.random() * days) * DAY).toISOString().slice(0, 10) };
    }),
  });
const bodies = Array.from({ length: 64 }, body);

async function load(url: string) {
  let n = 0;
  const cpuBefore = cpuMs(server.pid as number);
  const r = await autocannon({
    url,
    connections: 8,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          n++;
          // Spread over the keys as several banks would: each key stays far below its own limit.
          return { ...request, body: bodies[n % bodies.length] as string, headers: { 'content-type': 'application/json', authorization: `Bearer ${target.keys[n % target.keys.length]}` } };
        },
      },
    ],
  });
  const cpuAfter = cpuMs(server.pid as number);
  const served = r.requests.total;
  return {
    pairsPerSecond: Math.round(r.requests.average * MAX_PAIRS),
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    serverCpuMsPerRequest: cpuBefore !== undefined && cpuAfter !== undefined && served > 0 ? +((cpuAfter - cpuBefore) / served).toFixed(2) : undefined,
  };
}

/** Pairs one second of the server's CPU answers: steadier than pairs/s on a shared machine, and what one free core would reach. */
function perCpuSecond(r: { serverCpuMsPerRequest: number | undefined }): number | undefined {
  return r.serverCpuMsPerRequest ? Math.round((1000 / r.serverCpuMsPerRequest) * MAX_PAIRS) : undefined;
}

const bare = await load(`${target.bare}/bare`);
const query = await load(`${target.api}/api/v1/reassigned-numbers/query`);
server.kill('SIGTERM');
const results = {
  store: { dialect: target.dialect, numbers: target.numbers, assignments: target.assignments, seedSeconds: target.seedSeconds },
  bare: { ...bare, pairsPerCpuSecond: perCpuSecond(bare) },
  query: {
    ...query,
    pairsPerCpuSecond: perCpuSecond(query),
    ratio: +(query.pairsPerSecond / bare.pairsPerSecond).toFixed(3),
    cpuRatio: bare.serverCpuMsPerRequest && query.serverCpuMsPerRequest ? +(bare.serverCpuMsPerRequest / query.serverCpuMsPerRequest).toFixed(3) : undefined,
  },
};
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
else {
  console.log(`store: ${target.dialect}, ${target.numbers} numbers, ${target.assignments} assignments (seeded in ${target.seedSeconds} s)`);
  console.table({ bare: results.bare, query: results.query });
  console.log(`reassigned-numbers query: ${query.pairsPerSecond} pairs/s (${results.query.ratio} of the bare route), ${results.query.pairsPerCpuSecond} pairs per server CPU-second (${results.query.cpuRatio} of the bare route's); target ≥ 50,000 pairs/s`);
}
