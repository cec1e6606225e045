import type { ParseArgsConfig } from 'node:util';
import { STAFF_ROLES } from '../app/principal.ts';
import { API_SCOPES } from '../domain/api-scopes.ts';

// Every command with its arguments and options, in one place: `simexit --help`, `simexit <command> --help` and a
// command's own "usage:" error all read it. Commands are modules loaded on demand (dynamic imports, no cycle).
type Options = NonNullable<ParseArgsConfig['options']>;
type Run = (values: Record<string, unknown>, positionals: string[]) => Promise<number>;
interface Command {
  /** What follows the command's name. */
  readonly args: string;
  readonly summary: string;
  readonly options: Options;
  /** Loaded on demand, so `simexit status` does not load the worker. */
  readonly load: () => Promise<{ run: Run }>;
}

const json = { json: { type: 'boolean' as const } };

export const commands: Record<string, Command> = {
  start: { args: '[--port P] [--host H]', summary: 'migrate, seed demo data on an empty store, serve the API with the worker (npm start)', options: { port: { type: 'string' }, host: { type: 'string' } }, load: () => import('./commands/start.ts') },
  serve: { args: '[--port P] [--host H] [--no-worker] [--migrate]', summary: 'the API and the site (and the worker, unless --no-worker); --migrate applies pending migrations first', options: { port: { type: 'string' }, host: { type: 'string' }, 'no-worker': { type: 'boolean' }, migrate: { type: 'boolean' } }, load: () => import('./commands/serve.ts') },
  migrate: { args: '', summary: 'apply pending migrations', options: json, load: () => import('./commands/migrate.ts') },
  seed: { args: '--customers N [--seed S]', summary: 'add a realistic, deterministic dataset', options: { ...json, customers: { type: 'string' }, seed: { type: 'string' } }, load: () => import('./commands/seed.ts') },
  lines: { args: '[--state S] [--limit N] [--language ru|en|zh]', summary: 'list lines (balances as money in the locale; minor units under --json)', options: { ...json, state: { type: 'string' }, limit: { type: 'string' }, language: { type: 'string' } }, load: () => import('./commands/lines.ts') },
  numbers: { args: '[--state S] [--limit N] [--language ru|en|zh]', summary: 'list numbers; --state quarantined shows when each quarantine ends', options: { ...json, state: { type: 'string' }, limit: { type: 'string' }, language: { type: 'string' } }, load: () => import('./commands/numbers.ts') },
  terminate: { args: '--msisdn M --channel C [--effective now|end_of_period|YYYY-MM-DD] [--reason R]', summary: 'end one line for the back office (confirmed at once)', options: { ...json, msisdn: { type: 'string' }, channel: { type: 'string' }, effective: { type: 'string' }, reason: { type: 'string' } }, load: () => import('./commands/terminate.ts') },
  status: { args: 'REFERENCE', summary: 'an order and its timeline', options: json, load: () => import('./commands/status.ts') },
  bulk: { args: 'terminate --file CSV [--dry-run] [--reason R] [--effective E]', summary: 'end the lines of a CSV file (resumable, never twice)', options: { ...json, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, reason: { type: 'string' }, effective: { type: 'string' } }, load: () => import('./commands/bulk.ts') },
  sweep: { args: '', summary: 'release numbers whose quarantine is over, tell former holders it ends soon, apply the dormancy rule', options: json, load: () => import('./commands/sweep.ts') },
  dormancy: { args: '[--dry-run] [--limit N] [--language ru|en|zh]', summary: 'apply the dormancy rule (notices, then ends); --dry-run lists who would be noticed and ended, and when', options: { ...json, 'dry-run': { type: 'boolean' }, limit: { type: 'string' }, language: { type: 'string' } }, load: () => import('./commands/dormancy.ts') },
  clock: { args: 'show | advance --days N [--language ru|en|zh]', summary: "demo mode: show or move the whole installation's clock forward (persistent, audited)", options: { ...json, days: { type: 'string' }, language: { type: 'string' } }, load: () => import('./commands/clock.ts') },
  audit: { args: 'verify [--anchor FILE] | anchor [--anchor FILE]', summary: 'check the audit log hash chain (and its signed heads); anchor signs the head now', options: { ...json, anchor: { type: 'string' } }, load: () => import('./commands/audit.ts') },
  worker: { args: '[--until-idle] [--no-deliver]', summary: 'run the job worker (and message delivery unless --no-deliver)', options: { ...json, 'until-idle': { type: 'boolean' }, 'no-deliver': { type: 'boolean' } }, load: () => import('./commands/worker.ts') },
  call: {
    args: 'NUMBER [--lang ru|en|zh] [--digits 1,2,…] [--voice] [--url URL] [--to NUMBER]',
    summary: 'play a phone call to the hotline of a running server over its signed webhooks (keys from the keyboard or --digits; --voice speaks through espeak-ng)',
    options: { ...json, lang: { type: 'string' }, digits: { type: 'string' }, voice: { type: 'boolean' }, url: { type: 'string' }, to: { type: 'string' } },
    load: () => import('./commands/call.ts'),
  },
  staff: {
    args: 'add --login L --name N --role R [--shop S] [--password prompt|stdin|generate] | list | set LOGIN [--name N] [--role R] [--shop S|none] [--password prompt|stdin|generate] | disable LOGIN | enable LOGIN',
    summary: `staff accounts (roles ${STAFF_ROLES.join(', ')}); a password is typed at a prompt, piped on stdin or generated and printed once, never an argument; audited`,
    options: { ...json, login: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, shop: { type: 'string' }, password: { type: 'string' } },
    load: () => import('./commands/staff.ts'),
  },
  apikey: {
    args: 'create --name N --scopes S[,S] | list [--language ru|en|zh] | revoke ID',
    summary: `integrator API keys with scopes (${API_SCOPES.join(', ')}); the key is printed once, only its hash is kept; audited`,
    options: { ...json, name: { type: 'string' }, scopes: { type: 'string' }, language: { type: 'string' } },
    load: () => import('./commands/apikey.ts'),
  },
  certificate: { args: 'export REFERENCE --out FILE.pdf [--language ru|en|zh] | verify FILE.pdf [--public-key PEM]', summary: 'a termination certificate (PDF, signed)', options: { ...json, out: { type: 'string' }, 'public-key': { type: 'string' }, language: { type: 'string' } }, load: () => import('./commands/certificate.ts') },
};

/** `usage: simexit NAME ARGS [--json]`: what `simexit NAME --help` prints first, and what a command says when called wrongly. */
export function synopsis(name: string): string {
  const command = commands[name];
  if (!command) throw new Error(`no command ${name}`);
  return `usage: simexit ${name}${command.args ? ` ${command.args}` : ''}${'json' in command.options ? ' [--json]' : ''}`;
}
