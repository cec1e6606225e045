import type { Adapters } from '../adapters/adapters.ts';
import type { Deliverers } from '../adapters/delivery/deliverer.ts';
import type { PaymentProvider } from '../adapters/ports.ts';
import type { CertificateKeys } from '../certificates/keys.ts';
import type { InstallationSecrets } from '../config/installation-secrets.ts';
import type { EventSinks } from './events-outbox.ts';
import type { Es2NotificationSettings } from '../config/integrations/esim.ts';
import type { OidcSettings } from '../config/integrations/oidc.ts';
import type { Policy } from '../domain/policy.ts';
import type { Instant } from '../domain/time.ts';
import type { Store } from '../store/database.ts';

/** What every use case needs: the store, the operator's policy, the adapters and a clock (tests move it). */
export interface AppContext {
  readonly store: Store;
  readonly policy: Policy;
  readonly adapters: Adapters;
  readonly clock: () => Instant;
  /** The operator's certificate key; without it certificates are signed when first shown. */
  readonly keys?: CertificateKeys;
  /** Demo mode (`npm start`, `SIMEXIT_DEMO=1`): demo data, the demo mailbox, generated keys. Never on otherwise. */
  readonly demo: boolean;
  /** The operator's payment provider; without one, only demo mode can take payments (through the sandbox). */
  readonly payments?: PaymentProvider;
  /** This installation's own keys (document hashes, references). */
  readonly secrets: InstallationSecrets;
  /**
   * What an HTTP answer that drifts from its route's schema does (`SIMEXIT_VALIDATE_RESPONSES`): `log` (the
   * default) logs it and sends it, `strict` (the test suites) turns it into a 500, `off` checks nothing.
   */
  readonly responseChecks?: 'log' | 'strict' | 'off';
  /**
   * The message deliverers the configuration chose (SMTP, SMPP, HTTP SMS or files), for a process that delivers;
   * the composition root opens and closes them. Without them a worker delivers to files in `outbox`.
   */
  readonly deliverers?: Deliverers;
  /** The folder file deliverers write to (`SIMEXIT_OUTBOX`), which the demo mailbox reads; `./data/outbox` if unset. */
  readonly outbox?: string;
  /** The voice platform; without it the hotline refuses every webhook (nothing can be verified). */
  readonly voice?: VoiceSettings;
  /** The key that signs inbound SMS webhooks (SIMEXIT_SMS_INBOUND_SECRET); without it the webhook refuses every call. */
  readonly smsInbound?: { readonly secret: string };
  /** Where events go besides webhook subscriptions (NATS), and how webhooks are sent; the composition root opens and closes them. */
  readonly events?: EventSinks;
  /** The mutual-TLS listener for the SM-DP+'s ES2+ notifications (`integrations.esim.notifications`); none: not opened. */
  readonly es2plusNotifications?: Es2NotificationSettings;
  /** The external OpenID Connect provider people may sign in with (`integrations.oidc`); none: no such sign-in. */
  readonly oidc?: OidcSettings | undefined;
}

/** The voice platform the hotline answers (SIMEXIT_VOICE_*): its auth token signs every webhook. */
export interface VoiceSettings {
  /** The key of the platform's `X-Twilio-Signature`. */
  readonly authToken: string;
  /** The address the platform calls (scheme and host, maybe a path): signatures cover it. Unset: the site's address. */
  readonly baseUrl?: string | undefined;
}

export const systemClock = (): Instant => new Date().toISOString();
