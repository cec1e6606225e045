// An open-loop load generator: requests leave at a fixed rate whatever the server does, and each one's latency is
// counted from the moment it was due to leave. A closed-loop tool (a fixed number of connections, the next request
// once the last answer is in) sends less while the server stalls and so hides the stall from its own figures.
import { Agent, request } from 'node:http';

export interface Sample {
  /** When the request was due to leave, ms since the run's start. */
  readonly dueAt: number;
  readonly latencyMs: number;
  readonly ok: boolean;
}

export interface OpenLoopOptions {
  /** `http://host:port` */
  readonly origin: string;
  readonly rate: number;
  readonly seconds: number;
  /** The i-th request: its path and the headers it carries. */
  readonly next: (i: number) => { path: string; headers: Record<string, string> };
  /** Called every 10 ms with the time since the start; a run can end early by returning false. */
  readonly tick?: (elapsedMs: number) => boolean | void;
}

export interface Summary {
  readonly requests: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** p50/p99/max in ms (one decimal), errors and count of the samples. */
export function summarize(samples: readonly Sample[]): Summary {
  const sorted = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  const at = (q: number) => +(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
  return { requests: samples.length, errors: samples.filter((s) => !s.ok).length, p50: at(0.5), p99: at(0.99), max: +(sorted.at(-1) ?? 0).toFixed(1) };
}

/** Sends `rate` requests a second for `seconds`, then waits for the last answers (at most 30 s; any still out are missing from `samples`). */
export async function openLoop(options: OpenLoopOptions): Promise<{ samples: Sample[]; sent: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(options.origin);
  const samples: Sample[] = [];
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  let sent = 0;
  let pending = 0;
  const start = performance.now();
  const send = (i: number) => {
    const dueAt = i * interval;
    const { path, headers } = options.next(i);
    pending++;
    const done = (ok: boolean) => {
      pending--;
      samples.push({ dueAt, latencyMs: performance.now() - start - dueAt, ok });
    };
    const req = request({ agent, host: url.hostname, port: url.port, path, headers, method: 'GET' }, (res) => {
      res.resume();
      res.once('end', () => done((res.statusCode ?? 0) < 400));
      res.once('error', () => done(false));
    });
    req.once('error', () => done(false));
    req.end();
  };
  await new Promise<void>((resolve) => {
    let lastTick = 0;
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor(elapsed / interval) + 1);
      while (sent < due) send(sent++);
      let stop = false;
      if (options.tick && elapsed - lastTick >= 10) {
        lastTick = elapsed;
        stop = options.tick(elapsed) === false;
      }
      if (sent >= total || stop) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const deadline = performance.now() + 30_000;
  while (pending > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  agent.destroy();
  return { samples, sent };
}
