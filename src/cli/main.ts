import { parseArgs, type ParseArgsConfig } from 'node:util';
import { reportError } from './runtime.ts';

type Command = { summary: string; options: NonNullable<ParseArgsConfig['options']>; run: (values: Record<string, unknown>, positionals: string[]) => Promise<number> };

const json = { json: { type: 'boolean' as const } };

/** Every command, loaded on demand so `simexit status` does not load the worker. */
const commands: Record<string, () => Promise<Command>> = {
  start: async () => ({ summary: 'migrate, seed demo data on an empty store, serve the API with the worker (npm start)', options: { port: { type: 'string' }, host: { type: 'string' } }, run: (await import('./commands/start.ts')).run }),
  serve: async () => ({ summary: 'serve [--port P] [--host H] [--no-worker]: the API (and the worker, unless --no-worker)', options: { port: { type: 'string' }, host: { type: 'string' }, 'no-worker': { type: 'boolean' } }, run: (await import('./commands/serve.ts')).run }),
  migrate: async () => ({ summary: 'apply pending migrations', options: json, run: (await import('./commands/migrate.ts')).run }),
  seed: async () => ({ summary: 'seed --customers N [--seed S]: add a realistic, deterministic dataset', options: { ...json, customers: { type: 'string' }, seed: { type: 'string' } }, run: (await import('./commands/seed.ts')).run }),
  lines: async () => ({ summary: 'lines [--state S] [--limit N]: list lines', options: { ...json, state: { type: 'string' }, limit: { type: 'string' } }, run: (await import('./commands/lines.ts')).run }),
  terminate: async () => ({ summary: 'terminate --msisdn M --channel C [--effective now|end_of_period|YYYY-MM-DD] [--reason R]', options: { ...json, msisdn: { type: 'string' }, channel: { type: 'string' }, effective: { type: 'string' }, reason: { type: 'string' } }, run: (await import('./commands/terminate.ts')).run }),
  status: async () => ({ summary: 'status REFERENCE: an order and its timeline', options: json, run: (await import('./commands/status.ts')).run }),
  bulk: async () => ({ summary: 'bulk terminate --file CSV [--dry-run] [--reason R] [--effective E]', options: { ...json, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, reason: { type: 'string' }, effective: { type: 'string' } }, run: (await import('./commands/bulk.ts')).run }),
  sweep: async () => ({ summary: 'release numbers whose quarantine is over', options: json, run: (await import('./commands/sweep.ts')).run }),
  audit: async () => ({ summary: 'audit verify: check the audit log hash chain', options: json, run: (await import('./commands/audit.ts')).run }),
  worker: async () => ({ summary: 'worker [--until-idle] [--no-deliver]: run the job worker (and message delivery unless --no-deliver)', options: { ...json, 'until-idle': { type: 'boolean' }, 'no-deliver': { type: 'boolean' } }, run: (await import('./commands/worker.ts')).run }),
  certificate: async () => ({ summary: 'certificate export REFERENCE --out FILE.pdf | certificate verify FILE.pdf [--public-key PEM]', options: { ...json, out: { type: 'string' }, 'public-key': { type: 'string' }, language: { type: 'string' } }, run: (await import('./commands/certificate.ts')).run }),
};

function usage(): string {
  return ['usage: simexit <command> [options]   (--json for scripts)', '', ...Object.keys(commands).map((c) => `  ${c}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`simexit: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await load();
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run(values, positionals);
  } catch (e) {
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`simexit ${name}: ${e.message}\n`);
      return 2;
    }
    return reportError(e);
  }
}
