import { builtinAdapters } from '../adapters/builtin.ts';
import { networkAdapterFrom } from '../adapters/network/select.ts';
import { httpPaymentProvider } from '../adapters/payments/http-provider.ts';
import type { PaymentProvider } from '../adapters/ports.ts';
import { deliveryProblems } from '../adapters/delivery/factory.ts';
import { type AppContext, systemClock } from '../app/context.ts';
import { movableClock } from '../app/demo-clock.ts';
import { certificateKeysOf } from '../certificates/keys.ts';
import { type Environment, readEnvironment } from '../config/env.ts';
import { loadInstallationSecrets } from '../config/installation-secrets.ts';
import { DEMO_SITE_URL, loadPolicy } from '../config/load-config.ts';
import { AppError, type Language } from '../domain/errors.ts';
import type { Policy } from '../domain/policy.ts';
import { deliverersFor } from '../notifications/deliver.ts';
import { type Formatter, formatterFor } from '../notifications/format.ts';
import { migrate, openStore } from '../store/database.ts';
import cliProgress from 'cli-progress';

/** Runs one start-up step; a configuration problem is kept in `problems` (all are reported at once) instead of thrown. */
function collecting<T>(problems: string[], step: () => T): T | undefined {
  try {
    return step();
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFIG_INVALID') {
      problems.push(String(e.details.reason ?? e.message));
      return undefined;
    }
    throw e;
  }
}

/**
 * The composition root of every command: reads the environment once, then
 * opens the store named by SIMEXIT_DB and the policy named by SIMEXIT_CONFIG,
 * migrating first. `demo` is `simexit start`'s; otherwise SIMEXIT_DEMO says.
 * Outside demo mode every installation setting must be given: what is
 * missing (secrets, the certificate key, and for a process that sends
 * messages, their delivery) stops start-up with one message naming each.
 */
export async function openApp(options: { migrate?: boolean; demo?: boolean; delivers?: boolean } = {}): Promise<AppContext & { env: Environment; close(): Promise<void> }> {
  const env = readEnvironment(process.env, options.demo === undefined ? {} : { demo: options.demo });
  const problems: string[] = [];
  // Outside demo mode the site's address must be given (file or SIMEXIT_SITE_URL); demo mode serves its own.
  const policy = collecting(problems, () => loadPolicy(env.configFile, { override: env.siteUrl, fallback: env.demo ? DEMO_SITE_URL : undefined }));
  const secrets = collecting(problems, () => loadInstallationSecrets(env));
  const keys = collecting(problems, () => certificateKeysOf(env));
  const payments = collecting(problems, () => paymentProviderOfEnv(env));
  if (options.delivers && !env.demo) problems.push(...deliveryProblems(process.env));
  if (problems.length > 0 || !policy || !secrets || !keys) {
    const hint = env.demo ? '' : '\n(outside demo mode each installation sets these itself; SIMEXIT_DEMO=1 or `simexit start` runs a demo instead, with generated keys and the demo mailbox)';
    throw new AppError('CONFIG_INVALID', { reason: `simexit cannot start:\n  - ${problems.join('\n  - ')}${hint}` });
  }
  const store = await openStore(env.db, { schema: env.dbSchema });
  if (options.migrate !== false) await migrate(store);
  // Demo mode's clock may have been moved (`simexit clock advance`); anywhere else it is the system's.
  const clock = env.demo ? await movableClock(store) : systemClock;
  // The HLR gateway when SIMEXIT_HLR_URL names one (belongs in config/env.ts once the typed environment carries it).
  const network = networkAdapterFrom({ hlrUrl: process.env.SIMEXIT_HLR_URL, hlrToken: process.env.SIMEXIT_HLR_TOKEN });
  const ctx = { env, store, policy, adapters: { ...builtinAdapters, network }, payments, clock, keys, demo: env.demo, secrets };
  // A process that sends messages gets its deliverers here (SMTP, SMPP, HTTP, or the file outbox), closed with it.
  const deliverers = options.delivers ? deliverersFor(ctx, process.env, (e) => console.error(`delivery: ${e.message}`)) : undefined;
  return {
    ...ctx,
    ...(deliverers ? { deliverers } : {}),
    close: async () => {
      await deliverers?.close();
      await store.close();
    },
  };
}

/** The operator's payment provider from SIMEXIT_PAYMENT_*; none when no URL is set (demo mode then uses the sandbox). */
export function paymentProviderOfEnv(env: Environment): PaymentProvider | undefined {
  if (!env.paymentProviderUrl) {
    if (env.paymentProviderKey || env.paymentWebhookSecret) throw new AppError('CONFIG_INVALID', { reason: 'SIMEXIT_PAYMENT_PROVIDER_URL is required with SIMEXIT_PAYMENT_PROVIDER_KEY and SIMEXIT_PAYMENT_WEBHOOK_SECRET' });
    return undefined;
  }
  return httpPaymentProvider({
    url: env.paymentProviderUrl,
    apiKey: env.paymentProviderKey ?? '',
    webhookSecret: env.paymentWebhookSecret ?? '',
    toleranceSeconds: env.paymentWebhookToleranceSeconds,
  });
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
  if (language !== undefined && !['ru', 'en', 'zh'].includes(language as string)) fail('--language must be ru, en or zh');
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
