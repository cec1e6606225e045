import { composeApp, type ComposedApp, type ComposeOptions } from '../config/compose.ts';
import { type Environment, processEnvironment } from '../config/env.ts';
import { AppError } from '../domain/errors.ts';
import { isLanguage, type Language } from '../domain/languages.ts';
import type { Policy } from '../domain/policy.ts';
import { type Formatter, formatterFor } from '../notifications/format.ts';
import cliProgress from 'cli-progress';

/**
 * Every command's application: the environment read once (or the one a command already read, `env`), then the
 * composition root. Only `migrate`, `start` and `serve --migrate` change the schema; every other command checks
 * it is current and otherwise stops with SCHEMA_NOT_CURRENT saying to run `simexit migrate`. `demo` is
 * `simexit start`'s (ignored when `env` is given); otherwise SIMEXIT_DEMO says.
 */
export async function openApp(options: { schema?: ComposeOptions['schema']; demo?: boolean; delivers?: boolean; env?: Environment } = {}): Promise<ComposedApp> {
  // A command that read the environment itself (for a port, a demo-only check) passes it: it is read once.
  const env = options.env ?? processEnvironment(options.demo === undefined ? {} : { demo: options.demo });
  return composeApp(env, { schema: options.schema ?? 'check', delivers: options.delivers ?? false });
}

export interface Output {
  readonly json: boolean;
  /** The one result: JSON under --json, else the human lines. */
  result(data: unknown, human: () => string): void;
}

export const output = (json: boolean): Output => ({
  json,
  result(data, human) {
    process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${human()}\n`);
  },
});

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A bar on a terminal; plain lines (to stderr, every 10%) otherwise, so logs
 * and `--json` pipes stay readable.
 */
export function progress(label: string, total: number): Progress {
  if (process.stderr.isTTY && total > 0) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let lastTenth = -1;
  return {
    update(done) {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {},
  };
}

/** Prints an error on one line and picks the exit code: 2 for bad input, 1 otherwise. */
export function reportError(e: unknown): number {
  if (e instanceof AppError) {
    process.stderr.write(`simexit: ${e.code}: ${e.message}\n`);
    return e.status < 500 ? 2 : 1;
  }
  process.stderr.write(`simexit: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}

export const fail = (reason: string): never => {
  throw new AppError('VALIDATION_FAILED', { reason });
};

/** An option that takes a whole number: required unless it has a fallback, and at least `min`. */
export function wholeNumber(text: unknown, name: string, rule: { min: number; fallback?: number }): number {
  if (text === undefined) return rule.fallback ?? fail(`${name} N is required`);
  const n = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < rule.min) fail(`${name} must be a whole number from ${rule.min} (got ${String(text)})`);
  return n;
}

/**
 * How the human output shows dates and money: in the operator's time zone and
 * the language given by `--language`, else the policy's default language.
 * `--json` keeps instants (UTC) and minor units.
 */
export function humanFormat(policy: Policy, language: unknown): Formatter {
  if (language !== undefined && !isLanguage(language)) fail('--language must be ru, en or zh');
  return formatterFor((language as Language | undefined) ?? policy.defaultLanguage, policy);
}

/** Rows as aligned columns under a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ('left' | 'right')[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
