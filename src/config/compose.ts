import { builtinAdapters } from '../adapters/builtin.ts';
import { es2plusEsim } from '../adapters/esim/es2plus-client.ts';
import { deliveryProblems } from '../adapters/delivery/factory.ts';
import { httpPaymentProvider } from '../adapters/payments/http-provider.ts';
import type { Adapters } from '../adapters/adapters.ts';
import { networkAdapterFrom, type NetworkSettings } from '../adapters/network/select.ts';
import type { PaymentProvider } from '../adapters/ports.ts';
import { type AppContext, systemClock } from '../app/context.ts';
import { movableClock } from '../app/demo-clock.ts';
import { useCertificateFont } from '../certificates/certificate-pdf.ts';
import { certificateKeysOf } from '../certificates/keys.ts';
import { AppError } from '../domain/errors.ts';
import { deliverersFor } from '../notifications/deliver.ts';
import { migrate, migratorOf, openStore, type Store } from '../store/database.ts';
import { startSqlProfile } from '../store/sql-profile.ts';
import type { Environment } from './env.ts';
import { loadInstallationSecrets } from './installation-secrets.ts';
import { integrationsOf } from './integrations.ts';
import { type EsimSettings, esimSettingsOf } from './integrations/esim.ts';
import { networkSettingsOf } from './integrations/network.ts';
import { DEMO_SITE_URL, loadPolicy } from './load-config.ts';
import { smsInboundSettingsOf } from './sms-inbound-settings.ts';
import { eventSinksOf } from './integrations/events.ts';
import { oidcSettingsOf } from './integrations/oidc.ts';
import { voiceSettingsOf } from './voice-settings.ts';

/** An application built from the environment, with what it opened, to close when done. */
export type ComposedApp = AppContext & {
  readonly env: Environment;
  /** The migrations applied while opening (only with `schema: 'migrate'`), oldest first. */
  readonly migrationsApplied: readonly string[];
  close(): Promise<void>;
};

export interface ComposeOptions {
  /**
   * What to do with the schema: `migrate` applies pending migrations (`simexit migrate`, `start`, `serve
   * --migrate`), `check` refuses to go on with SCHEMA_NOT_CURRENT while any is pending (every other command).
   */
  readonly schema: 'migrate' | 'check';
  /** This process sends messages (server with worker, worker): outside demo mode each medium needs a provider. */
  readonly delivers?: boolean;
}

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

/** The operator's payment provider from SIMEXIT_PAYMENT_*; none when no URL is set (demo mode then uses the sandbox). */
export function paymentProviderOf(env: Environment): PaymentProvider | undefined {
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

/**
 * The network, eSIM, billing and notification adapters the configuration names: the built-in ones (they record
 * their effect in our own store) unless the operator file's `integrations:` (or, for the HLR, SIMEXIT_HLR_URL)
 * names a real system; chosen here, and nowhere else.
 */
export function adaptersOf(network: NetworkSettings, esim: EsimSettings = {}): Adapters {
  return {
    ...builtinAdapters,
    network: networkAdapterFrom(network),
    ...(esim.client ? { esim: es2plusEsim(esim.client, (iccid, warning) => console.error(`esim: the SM-DP+ cancelled ${iccid} with a warning: ${warning}`)) } : {}),
  };
}

/** Fails with SCHEMA_NOT_CURRENT, naming how many migrations are pending and what to run, unless none is. */
export async function assertSchemaCurrent(store: Store): Promise<void> {
  const pending = (await migratorOf(store).getMigrations()).filter((m) => m.executedAt === undefined);
  if (pending.length > 0) throw new AppError('SCHEMA_NOT_CURRENT', { pending: pending.length, first: pending[0]?.name ?? '' });
}

/**
 * The composition root: builds the AppContext of every command and server from the environment read at start-up,
 * choosing each adapter (network and the rest, payments, message delivery) from configuration. Outside demo mode
 * every installation setting must be given: what is missing (secrets, the certificate key, and for a process that
 * sends messages, their delivery) stops start-up with one message naming each.
 */
export async function composeApp(env: Environment, options: ComposeOptions): Promise<ComposedApp> {
  const problems: string[] = [];
  // Outside demo mode the site's address must be given (file or SIMEXIT_SITE_URL); demo mode serves its own.
  const policy = collecting(problems, () => loadPolicy(env.configFile, { override: env.siteUrl, fallback: env.demo ? DEMO_SITE_URL : undefined }));
  const secrets = collecting(problems, () => loadInstallationSecrets(env));
  const keys = collecting(problems, () => certificateKeysOf(env));
  const payments = collecting(problems, () => paymentProviderOf(env));
  const voice = collecting(problems, () => voiceSettingsOf(env));
  const smsInbound = collecting(problems, () => smsInboundSettingsOf(env));
  const section = policy ? collecting(problems, () => integrationsOf(policy.integrations)) : undefined;
  const events = section ? collecting(problems, () => eventSinksOf(section)) : undefined;
  const esim = section ? collecting(problems, () => esimSettingsOf(section)) : undefined;
  const network = policy && section ? collecting(problems, () => networkSettingsOf(section, env.network, process.env, policy.worker.leaseSeconds)) : undefined;
  const oidc = section ? collecting(problems, () => oidcSettingsOf(section)) : undefined;
  if (options.delivers && !env.demo) problems.push(...deliveryProblems(env.delivery));
  if (problems.length > 0 || !policy || !secrets || !keys || !network) {
    const hint = env.demo ? '' : '\n(outside demo mode each installation sets these itself; SIMEXIT_DEMO=1 or `simexit start` runs a demo instead, with generated keys and the demo mailbox)';
    throw new AppError('CONFIG_INVALID', { reason: `simexit cannot start:\n  - ${problems.join('\n  - ')}${hint}` });
  }
  if (env.sqlProfile) startSqlProfile();
  if (env.certificateFont) useCertificateFont(env.certificateFont);
  const store = await openStore(env.db, { schema: env.dbSchema });
  let migrationsApplied: string[] = [];
  try {
    if (options.schema === 'migrate') migrationsApplied = await migrate(store);
    else await assertSchemaCurrent(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  // Demo mode's clock may have been moved (`simexit clock advance`); anywhere else it is the system's.
  const clock = env.demo ? await movableClock(store) : systemClock;
  const adapters = adaptersOf(network, esim);
  const base: AppContext = { store, policy, adapters, payments, clock, keys, demo: env.demo, secrets, responseChecks: env.responseChecks, outbox: env.outbox, voice, smsInbound, es2plusNotifications: esim?.notifications, events, oidc };
  const deliverers = options.delivers ? deliverersFor(base, env.delivery, (e) => console.error(`delivery: ${e.message}`)) : undefined;
  return {
    ...base,
    deliverers,
    env,
    migrationsApplied,
    async close() {
      await deliverers?.close();
      await events?.stream?.close();
      (adapters.esim as { close?: () => void }).close?.();
      await store.close();
    },
  };
}
