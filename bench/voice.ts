// npm run bench:voice -- [--json] [--seconds S] [--db URL]
// Loads the phone hotline's webhooks as 200 calls at once (autocannon, 200 connections, each a caller who rings,
// picks English and asks the menu to repeat itself, then rings again as a new call), every request signed as the
// voice platform signs it, and a bare Fastify route taking the same form-encoded webhook in the same run: first
// flat out (turns/s, p99, ratio to the bare route), then paced at one turn per call per second (p50/p99).
// On Linux it also reports the server process's CPU time per turn.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMs } from './cpu.ts';
import { voiceSignature } from '../src/channels/voice/signature.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, seconds: { type: 'string', default: '10' }, db: { type: 'string' }, calls: { type: 'string', default: '200' } } });
const seconds = Number(values.seconds);
const CALLS = Number(values.calls);

interface Target {
  server: string;
  bare: string;
  authToken: string;
  baseUrl: string;
  callers: string[];
  pid: number;
}

const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), new URL('./voice-server.ts', import.meta.url).pathname], { env: { ...process.env, ...(values.db ? { BENCH_DB: values.db } : {}) }, stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
const target: Target = { ...(JSON.parse(first) as Omit<Target, 'pid'>), pid: child.pid as number };


interface Call {
  sid: string;
  from: string;
  action: string;
}

let caller = 0;
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' };
/** A signed webhook as the platform sends it. */
function signed(request: Record<string, unknown>, path: string, call: Call, extra: Record<string, string>) {
  const params = { AccountSid: 'ACbench', CallSid: call.sid, From: call.from, To: '+78005550000', Direction: 'inbound', ApiVersion: '2010-04-01', ...extra };
  return { ...request, method: 'POST', path, headers: { ...FORM, 'x-twilio-signature': voiceSignature(target.authToken, `${target.baseUrl}${path}`, params) }, body: new URLSearchParams(params).toString() };
}
const actionOf = (body: string): string => /action="([^"]+)"/.exec(body)?.[1]?.replace(/&amp;/g, '&') ?? '';

/** One call: the incoming webhook, English, then the menu asked to repeat (`*`) until the call ends and a new one rings. */
function callRequests(turns: number) {
  const ring = {
    setupRequest: (request: Record<string, unknown>, context: { call?: Call }) => {
      context.call = { sid: `CA${randomBytes(16).toString('hex')}`, from: target.callers[caller++ % target.callers.length] as string, action: '' };
      return signed(request, '/voice/twiml/incoming', context.call, { CallStatus: 'ringing' });
    },
    onResponse: (_status: number, body: string, context: { call?: Call }) => {
      if (context.call) context.call.action = actionOf(body);
    },
  };
  const press = (digits: string) => ({
    setupRequest: (request: Record<string, unknown>, context: { call?: Call }) => signed(request, (context.call as Call).action, context.call as Call, { CallStatus: 'in-progress', Digits: digits, FinishedOnKey: '' }),
    onResponse: (_status: number, body: string, context: { call?: Call }) => {
      if (context.call) context.call.action = actionOf(body) || context.call.action;
    },
  });
  return [ring, press('2'), ...Array.from({ length: turns - 2 }, () => press('*'))];
}

async function load(url: string, requests: unknown[] | undefined, rate?: number) {
  const cpuBefore = cpuMs(target.pid);
  const r = await autocannon({ url, connections: CALLS, duration: seconds, ...(requests ? { requests: requests as never } : { method: 'POST', headers: FORM, body: 'CallSid=CAbare&From=%2B79990000001&Digits=1' }), ...(rate ? { overallRate: rate } : {}) });
  const cpuAfter = cpuMs(target.pid);
  const served = r.requests.total;
  return {
    turnsPerSecond: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    serverCpuMicrosPerTurn: cpuBefore !== undefined && cpuAfter !== undefined && served > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000) / served) : undefined,
  };
}

const bare = await load(`${target.bare}/bare`, undefined);
const hotline = await load(target.server, callRequests(8));
const paced = await load(target.server, callRequests(8), CALLS);
const results = {
  calls: CALLS,
  bare,
  hotline: { ...hotline, ratio: +(hotline.turnsPerSecond / bare.turnsPerSecond).toFixed(3) },
  pacedOneTurnPerCallPerSecond: { turnsPerSecond: paced.turnsPerSecond, p50: paced.p50, p99: paced.p99, non2xx: paced.non2xx, errors: paced.errors },
};
child.kill('SIGTERM');
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
else console.table({ bare: results.bare, hotline: results.hotline, paced: results.pacedOneTurnPerCallPerSecond });
