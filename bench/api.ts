// npm run bench:api -- [--json] [--seconds S] [--db URL]
// Loads the termination preview and the status route of the real API (seeded
// store, signed-in subscriber) and a bare Fastify route in the same run, from
// a separate process: first flat out (requests/s, ratio to the bare route),
// then at a fixed 1,000 requests/s (p50/p99 latency). On Linux it also reports
// the server process's CPU time per request. On SQLite it then loads the
// preview and the status once more on a second server whose reader keeps no
// results (`previewUncached`, `statusUncached`): what a request costs when
// every read goes to SQLite.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMs } from './cpu.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, seconds: { type: 'string', default: '10' }, db: { type: 'string' } } });
const seconds = Number(values.seconds);
interface Target {
  api: string;
  bare: string;
  token: string;
  reference: string;
  lineId: string;
  pid: number;
}

async function startServer(env: Record<string, string>): Promise<{ target: Target; stop: () => void }> {
  const server = spawn(process.execPath, [new URL('./api-server.ts', import.meta.url).pathname], { env: { ...process.env, ...(values.db ? { BENCH_DB: values.db } : {}), ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  return { target: { ...(JSON.parse(first) as Omit<Target, 'pid'>), pid: server.pid as number }, stop: () => server.kill('SIGTERM') };
}


async function load(target: Target, url: string, options: { rate?: number }) {
  const headers = { authorization: `Bearer ${target.token}` };
  const cpuBefore = cpuMs(target.pid);
  const r = await autocannon({ url, headers, connections: options.rate ? 20 : 32, duration: seconds, ...(options.rate ? { overallRate: options.rate } : {}) });
  const cpuAfter = cpuMs(target.pid);
  const served = r.requests.total;
  const serverCpuMicrosPerRequest = cpuBefore !== undefined && cpuAfter !== undefined && served > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000) / served) : undefined;
  return { requestsPerSecond: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, serverCpuMicrosPerRequest };
}

const previewUrl = (t: Target) => `${t.api}/api/v1/lines/${t.lineId}/termination-preview`;
const main = await startServer({});
const target = main.target;
const routes = {
  bare: `${target.bare}/bare`,
  preview: previewUrl(target),
  status: `${target.api}/api/v1/terminations/${target.reference}`,
};
const results: Record<string, unknown> = {};
const bare = await load(target, routes.bare, {});
results.bare = bare;
const ratio = (r: { requestsPerSecond: number }) => +(r.requestsPerSecond / bare.requestsPerSecond).toFixed(3);
for (const name of ['preview', 'status'] as const) {
  const flat = await load(target, routes[name], {});
  const paced = await load(target, routes[name], { rate: 1000 });
  results[name] = { ...flat, ratio: ratio(flat), at1000: { p50: paced.p50, p99: paced.p99, requestsPerSecond: paced.requestsPerSecond, non2xx: paced.non2xx } };
}
main.stop();
if (!values.db?.startsWith('postgres')) {
  const uncached = await startServer({ BENCH_KEEP_READ_RESULTS: '0' });
  const preview = await load(uncached.target, previewUrl(uncached.target), {});
  results.previewUncached = { ...preview, ratio: ratio(preview) };
  const status = await load(uncached.target, `${uncached.target.api}/api/v1/terminations/${uncached.target.reference}`, {});
  results.statusUncached = { ...status, ratio: ratio(status) };
  uncached.stop();
}
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
else console.table(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v])));
