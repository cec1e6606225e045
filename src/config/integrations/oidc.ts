/**
 * `integrations.oidc`: an external OpenID Connect provider people may sign in with (a government identity
 * service, a bank ID). The provider vouches for a phone number or a document number; simexit signs in the one
 * customer it names. Absent: the site shows no such button and the routes answer OIDC_NOT_CONFIGURED.
 */
import { Type as T } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { configProblem, integrationPart, type IntegrationsSection, SecretRef, secretValue } from '../integrations.ts';

export const OidcIntegrationSchema = T.Object(
  {
    /** The issuer as it publishes itself (`/.well-known/openid-configuration` is read from it). */
    issuer: T.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 }),
    clientId: T.String({ minLength: 1, maxLength: 200 }),
    clientSecret: SecretRef,
    /** The provider's name on the sign-in button ("Sign in with …"). */
    displayName: T.String({ minLength: 1, maxLength: 60 }),
    /** Scopes asked for besides `openid`; default `phone`. */
    scopes: T.Optional(T.Array(T.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' }), { maxItems: 10 })),
    /** A claim holding an identity-document number, matched against the customers' document hashes. */
    documentClaim: T.Optional(T.String({ pattern: '^[A-Za-z0-9_.:-]{1,80}$' })),
    /** Where the provider sends people back; default `<siteUrl>/api/v1/auth/oidc/callback`. */
    redirectUri: T.Optional(T.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 })),
  },
  { additionalProperties: false },
);

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly displayName: string;
  readonly scopes: readonly string[];
  readonly documentClaim?: string | undefined;
  readonly redirectUri?: string | undefined;
}

// Plain HTTP only to this machine: a provider's answers over the network must not be readable or alterable.
const local = (url: string) => /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/.test(url);

/** Reads `integrations.oidc`; a wrong key or a missing secret is CONFIG_INVALID naming it. */
export function oidcSettingsOf(section: IntegrationsSection, env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const part: Static<typeof OidcIntegrationSchema> | undefined = integrationPart(section, 'oidc', OidcIntegrationSchema);
  if (!part) return undefined;
  for (const key of ['issuer', 'redirectUri'] as const) {
    const url = part[key];
    if (url?.startsWith('http:') && !local(url)) configProblem(`integrations.oidc.${key}`, 'an https:// address (http only for localhost)', url);
  }
  return {
    issuer: part.issuer,
    clientId: part.clientId,
    clientSecret: secretValue(part.clientSecret, 'integrations.oidc.clientSecret', env),
    displayName: part.displayName,
    scopes: part.scopes ?? ['phone'],
    documentClaim: part.documentClaim,
    redirectUri: part.redirectUri,
  };
}
