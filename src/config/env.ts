import { join } from 'node:path';
import type { DeliveryEnvironment } from '../adapters/delivery/factory.ts';
import type { NetworkConfig } from '../adapters/network/select.ts';
import { AppError } from '../domain/errors.ts';

/**
 * Every environment variable simexit reads, read once at start-up by `readEnv`. Code below the CLI takes what it
 * needs from here (or from the AppContext the composition root builds from it), never from `process.env`, so a
 * test or a second store in one process can set its own.
 */
export interface Environment {
  /** Demo mode: demo data, the demo mailbox, generated keys, the sandbox payment provider, a movable clock. */
  readonly demo: boolean;
  /** `SIMEXIT_DATA`: the folder for the embedded store, keys and the file outbox (default `./data`). */
  readonly dataDir: string;
  /** `<data>/keys`: where demo mode keeps the keys it generates. */
  readonly keysDir: string;
  /** Where signed audit heads are appended (SIMEXIT_AUDIT_ANCHOR, default under the data folder): the chain's anchor outside the database. */
  readonly auditAnchor: string;
  /** `SIMEXIT_AUDIT_ANCHOR_MINUTES`: how often a running server signs the audit head (default 15). */
  readonly auditAnchorMinutes: number;
  /** `SIMEXIT_DB`: `sqlite:…` or `postgres://…` (default the SQLite file in the data folder). */
  readonly db: string;
  /** `SIMEXIT_DB_SCHEMA`: the Postgres schema (default `public`). */
  readonly dbSchema: string | undefined;
  /** `SIMEXIT_CONFIG`: the operator policy file (default `config/default.yaml`). */
  readonly configFile: string | undefined;
  /** `SIMEXIT_OUTBOX`: where messages are written when no provider is configured (default `<data>/outbox`). */
  readonly outbox: string;
  /** The delivery variables as given (`SIMEXIT_SMTP_URL`, `SIMEXIT_SMPP_URL`, …): see adapters/delivery/factory.ts. */
  readonly delivery: DeliveryEnvironment;
  /** `SIMEXIT_SITE_URL`: the address subscribers open; overrides the policy's `operator.siteUrl`. */
  readonly siteUrl: string | undefined;
  /** `SIMEXIT_CERT_KEY`: the Ed25519 private key (PEM file) that signs certificates. */
  readonly certKeyFile: string | undefined;
  /** `SIMEXIT_CERT_FONT` (and `SIMEXIT_CERT_FONT_FAMILY`, the face in a collection): the certificates' font. */
  readonly certificateFont: { readonly path: string; readonly family: string | undefined } | undefined;
  /** `SIMEXIT_DOCUMENT_KEY`: the key identity document numbers are hashed with. */
  readonly documentKey: string | undefined;
  /** `SIMEXIT_REFERENCE_KEY`: the key that scrambles order references. */
  readonly referenceKey: string | undefined;
  /** The HLR provisioning gateway (`SIMEXIT_HLR_URL`, `SIMEXIT_HLR_TOKEN`, `SIMEXIT_HLR_TIMEOUT_MS`), the fixed-request form of `integrations.network`; without a URL the built-in record. */
  readonly network: NetworkConfig;
  /** `SIMEXIT_PAYMENT_PROVIDER_URL`: the payment provider's API; without it only demo mode takes payments (sandbox). */
  readonly paymentProviderUrl: string | undefined;
  /** `SIMEXIT_PAYMENT_PROVIDER_KEY`: the API key simexit calls the provider with. */
  readonly paymentProviderKey: string | undefined;
  /** `SIMEXIT_PAYMENT_WEBHOOK_SECRET`: the Standard Webhooks secret (`whsec_…`) the provider signs callbacks with. */
  readonly paymentWebhookSecret: string | undefined;
  /** `SIMEXIT_PAYMENT_WEBHOOK_TOLERANCE`: seconds a callback's timestamp may be off (default 300). */
  readonly paymentWebhookToleranceSeconds: number;
  /**
   * `SIMEXIT_TRUST_PROXY`: the proxies (addresses or CIDR ranges, comma-separated) whose `X-Forwarded-For` is
   * believed. Empty by default: the client's address is the connection's, whatever a header says.
   */
  readonly trustProxy: readonly string[];
  /** `SIMEXIT_METRICS_TOKEN`: a bearer token that may read /metrics. */
  readonly metricsToken: string | undefined;
  /** `SIMEXIT_METRICS_ALLOW`: addresses or CIDR ranges (comma-separated) that may read /metrics without a token. */
  readonly metricsAllow: readonly string[];
  /** `PORT`: the port `serve` and `start` listen on when `--port` is not given (default 8080). */
  readonly port: number;
  /** `SIMEXIT_LOG`: `off` silences the request log; unset, `serve` logs and `start` does not. */
  readonly log: boolean | undefined;
  /** `SIMEXIT_VALIDATE_RESPONSES`: `strict` (or `1`), `log` (the default) or `off` (or `0`); see response-validation.ts. */
  readonly responseChecks: 'log' | 'strict' | 'off';
  /** `SIMEXIT_SQL_PROFILE`: time per statement shape, printed when the process exits. */
  readonly sqlProfile: boolean;
  /**
   * `SIMEXIT_WORKER_THREAD`: `yes` (the default) runs `serve`'s worker in a thread of its own; `no` on the API's
   * event loop, as before (to compare, or to profile both in one `--cpu-prof`). See src/cli/worker-thread.ts.
   */
  readonly workerThread: boolean;
  /** `SIMEXIT_VOICE_BASE_URL`: the address the voice platform calls the hotline at (its signatures cover it). */
  readonly voiceBaseUrl: string | undefined;
  /** `SIMEXIT_VOICE_AUTH_TOKEN`: the voice platform's auth token, which signs its webhooks. */
  readonly voiceAuthToken: string | undefined;
  /** `SIMEXIT_SMS_INBOUND_SECRET`: the key of the HMAC-SHA256 signature the HTTP SMS provider puts on inbound SMS webhooks. */
  readonly smsInboundSecret: string | undefined;
  /** `USER`: who a CLI command acts as in the audit log (`cli:<user>`). */
  readonly user: string;
}

/** `a, b c` → `['a', 'b', 'c']`. */
const list = (text: string | undefined): string[] => (text ?? '').split(/[\s,]+/).filter(Boolean);

type Source = Readonly<Record<string, string | undefined>>;

/** Reads one variable, adding a problem naming it (and what it takes) when its value is not one it accepts. */
function reader(env: Source, problems: string[]) {
  const text = (name: string): string | undefined => env[name] || undefined;
  return {
    text,
    choice<T extends string>(name: string, values: Record<string, T>, fallback: T): T {
      const value = text(name);
      if (value === undefined) return fallback;
      const found = values[value.toLowerCase()];
      if (found === undefined) problems.push(`${name}: must be one of ${Object.keys(values).join(', ')} (found ${JSON.stringify(value)})`);
      return found ?? fallback;
    },
    whole(name: string, rule: { min: number; max: number; fallback: number }): number {
      const value = text(name);
      if (value === undefined) return rule.fallback;
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < rule.min || n > rule.max) {
        problems.push(`${name}: must be a whole number from ${rule.min} to ${rule.max} (found ${JSON.stringify(value)})`);
        return rule.fallback;
      }
      return n;
    },
    url(name: string, schemes: readonly string[]): string | undefined {
      const value = text(name);
      if (value === undefined) return undefined;
      let scheme: string | undefined;
      try {
        scheme = new URL(value).protocol.replace(/:$/, '');
      } catch {
        scheme = undefined;
      }
      if (!scheme || !schemes.includes(scheme)) problems.push(`${name}: must be an address starting with ${schemes.map((s) => `${s}://`).join(' or ')} (found ${JSON.stringify(value.replace(/\/\/[^@/]*@/, '//***@'))})`);
      return value;
    },
  };
}

const YES_NO: Record<string, 'yes' | 'no'> = { '1': 'yes', true: 'yes', yes: 'yes', '0': 'no', false: 'no', no: 'no' };

/**
 * The environment as simexit uses it, checked: a value simexit cannot use stops start-up with one
 * CONFIG_INVALID naming every such variable and what it takes. `simexit start` passes `demo: true` itself;
 * otherwise `SIMEXIT_DEMO=1` (or `true`, `yes`) turns demo mode on.
 */
export function readEnv(env: Source, overrides: { demo?: boolean } = {}): Environment {
  const problems: string[] = [];
  const read = reader(env, problems);
  const flag = (name: string) => read.choice(name, YES_NO, 'no') === 'yes';
  const dataDir = read.text('SIMEXIT_DATA') ?? './data';
  const db = read.text('SIMEXIT_DB') ?? `sqlite:${join(dataDir, 'simexit.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(db)) problems.push(`SIMEXIT_DB: must be sqlite:FILE or postgres://… (found ${JSON.stringify(db.replace(/\/\/[^@/]*@/, '//***@'))})`);
  const font = read.text('SIMEXIT_CERT_FONT');
  const delivery: DeliveryEnvironment = {
    SIMEXIT_SMTP_URL: read.url('SIMEXIT_SMTP_URL', ['smtp', 'smtps']),
    SIMEXIT_SMPP_URL: read.url('SIMEXIT_SMPP_URL', ['smpp', 'ssmpp']),
    SIMEXIT_SMS_HTTP_URL: read.url('SIMEXIT_SMS_HTTP_URL', ['http', 'https']),
    SIMEXIT_OUTBOX: read.text('SIMEXIT_OUTBOX'),
    SIMEXIT_DATA: read.text('SIMEXIT_DATA'),
    SIMEXIT_MAIL_FROM: read.text('SIMEXIT_MAIL_FROM'),
    SIMEXIT_SMS_FROM: read.text('SIMEXIT_SMS_FROM'),
  };
  const log = read.text('SIMEXIT_LOG');
  const environment: Environment = {
    demo: overrides.demo ?? flag('SIMEXIT_DEMO'),
    dataDir,
    keysDir: join(dataDir, 'keys'),
    auditAnchor: read.text('SIMEXIT_AUDIT_ANCHOR') ?? join(dataDir, 'audit-anchor.jsonl'),
    auditAnchorMinutes: read.whole('SIMEXIT_AUDIT_ANCHOR_MINUTES', { min: 1, max: 10_080, fallback: 15 }),
    db,
    dbSchema: read.text('SIMEXIT_DB_SCHEMA'),
    configFile: read.text('SIMEXIT_CONFIG'),
    outbox: read.text('SIMEXIT_OUTBOX') ?? join(dataDir, 'outbox'),
    delivery,
    siteUrl: read.text('SIMEXIT_SITE_URL'),
    certKeyFile: read.text('SIMEXIT_CERT_KEY'),
    certificateFont: font ? { path: font, family: read.text('SIMEXIT_CERT_FONT_FAMILY') } : undefined,
    documentKey: read.text('SIMEXIT_DOCUMENT_KEY'),
    referenceKey: read.text('SIMEXIT_REFERENCE_KEY'),
    network: { hlrUrl: read.url('SIMEXIT_HLR_URL', ['http', 'https']), hlrToken: read.text('SIMEXIT_HLR_TOKEN'), hlrTimeoutMs: read.whole('SIMEXIT_HLR_TIMEOUT_MS', { min: 100, max: 600_000, fallback: 5000 }) },
    paymentProviderUrl: read.text('SIMEXIT_PAYMENT_PROVIDER_URL'),
    paymentProviderKey: read.text('SIMEXIT_PAYMENT_PROVIDER_KEY'),
    paymentWebhookSecret: read.text('SIMEXIT_PAYMENT_WEBHOOK_SECRET'),
    paymentWebhookToleranceSeconds: read.whole('SIMEXIT_PAYMENT_WEBHOOK_TOLERANCE', { min: 0, max: 999_999, fallback: 300 }),
    trustProxy: list(env.SIMEXIT_TRUST_PROXY),
    metricsToken: read.text('SIMEXIT_METRICS_TOKEN'),
    metricsAllow: list(env.SIMEXIT_METRICS_ALLOW),
    port: read.whole('PORT', { min: 0, max: 65_535, fallback: 8080 }),
    log: log === undefined ? undefined : log !== 'off',
    responseChecks: read.choice('SIMEXIT_VALIDATE_RESPONSES', { strict: 'strict', '1': 'strict', log: 'log', off: 'off', '0': 'off' }, 'log'),
    sqlProfile: read.text('SIMEXIT_SQL_PROFILE') !== undefined,
    workerThread: read.choice('SIMEXIT_WORKER_THREAD', YES_NO, 'yes') === 'yes',
    voiceBaseUrl: read.url('SIMEXIT_VOICE_BASE_URL', ['http', 'https']),
    voiceAuthToken: read.text('SIMEXIT_VOICE_AUTH_TOKEN'),
    smsInboundSecret: read.text('SIMEXIT_SMS_INBOUND_SECRET'),
    user: read.text('USER') ?? 'operator',
  };
  if (problems.length > 0) throw new AppError('CONFIG_INVALID', { reason: `the environment has values simexit cannot use:\n  - ${problems.join('\n  - ')}` });
  return environment;
}

/** This process's environment, read and checked: the one place simexit reads `process.env` (the CLI calls it at start-up). */
export const processEnvironment = (overrides: { demo?: boolean } = {}): Environment => readEnv(process.env, overrides);
