import { join } from 'node:path';

/**
 * Every environment variable simexit reads, read once at start-up. Code below
 * the CLI takes what it needs from here (or from the AppContext built from
 * it), never from `process.env`, so a test or a second store in one process
 * can set its own.
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
  /** `SIMEXIT_DB`: `sqlite:…` or `postgres://…` (default the SQLite file in the data folder). */
  readonly db: string;
  readonly dbSchema: string | undefined;
  /** `SIMEXIT_CONFIG`: the operator policy file (default `config/default.yaml`). */
  readonly configFile: string | undefined;
  /** `SIMEXIT_OUTBOX`: where messages are written when no provider is configured (default `<data>/outbox`). */
  readonly outbox: string;
  /** `SIMEXIT_SITE_URL`: the address subscribers open; overrides the policy's `operator.siteUrl`. */
  readonly siteUrl: string | undefined;
  /** `SIMEXIT_CERT_KEY`: the Ed25519 private key (PEM file) that signs certificates. */
  readonly certKeyFile: string | undefined;
  /** `SIMEXIT_DOCUMENT_KEY`: the key identity document numbers are hashed with. */
  readonly documentKey: string | undefined;
  /** `SIMEXIT_REFERENCE_KEY`: the key that scrambles order references. */
  readonly referenceKey: string | undefined;
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
}

/** `a, b c` → `['a', 'b', 'c']`. */
const list = (text: string | undefined): string[] => (text ?? '').split(/[\s,]+/).filter(Boolean);

/** `SIMEXIT_DEMO=1` (or `true`, `yes`) turns demo mode on; `simexit start` passes `demo: true` itself. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env, overrides: { demo?: boolean } = {}): Environment {
  const dataDir = env.SIMEXIT_DATA || './data';
  return {
    demo: overrides.demo ?? /^(1|true|yes)$/i.test(env.SIMEXIT_DEMO ?? ''),
    dataDir,
    keysDir: join(dataDir, 'keys'),
    auditAnchor: env.SIMEXIT_AUDIT_ANCHOR || join(dataDir, 'audit-anchor.jsonl'),
    db: env.SIMEXIT_DB || `sqlite:${join(dataDir, 'simexit.db')}`,
    dbSchema: env.SIMEXIT_DB_SCHEMA || undefined,
    configFile: env.SIMEXIT_CONFIG || undefined,
    outbox: env.SIMEXIT_OUTBOX || join(dataDir, 'outbox'),
    siteUrl: env.SIMEXIT_SITE_URL || undefined,
    certKeyFile: env.SIMEXIT_CERT_KEY || undefined,
    documentKey: env.SIMEXIT_DOCUMENT_KEY || undefined,
    referenceKey: env.SIMEXIT_REFERENCE_KEY || undefined,
    paymentProviderUrl: env.SIMEXIT_PAYMENT_PROVIDER_URL || undefined,
    paymentProviderKey: env.SIMEXIT_PAYMENT_PROVIDER_KEY || undefined,
    paymentWebhookSecret: env.SIMEXIT_PAYMENT_WEBHOOK_SECRET || undefined,
    paymentWebhookToleranceSeconds: /^\d{1,6}$/.test(env.SIMEXIT_PAYMENT_WEBHOOK_TOLERANCE ?? '') ? Number(env.SIMEXIT_PAYMENT_WEBHOOK_TOLERANCE) : 300,
    trustProxy: list(env.SIMEXIT_TRUST_PROXY),
    metricsToken: env.SIMEXIT_METRICS_TOKEN || undefined,
    metricsAllow: list(env.SIMEXIT_METRICS_ALLOW),
  };
}
