/**
 * Sign-in through an external OpenID Connect provider (authorization code with PKCE, `openid-client`). The
 * provider vouches for a verified phone number (or, when configured, a document number); simexit signs in the
 * one customer holding it, with the same session a password sign-in gets.
 *
 * What the round trip needs to remember (state, nonce, PKCE verifier) travels in a short-lived cookie signed
 * with an installation key: any instance can finish what another started, and nothing is stored for people who
 * never come back. The provider checks the verifier and refuses a code used twice; openid-client checks the ID
 * token's signature, issuer, audience, nonce and expiry.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { OidcSettings } from '../config/integrations/oidc.ts';
import { AppError } from '../domain/errors.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { addSeconds } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { customerIdsByDocumentHash, customerIdsByMsisdn } from '../store/cases.repository.ts';
import { inTransaction } from '../store/database.ts';
import { customersById } from '../store/parties.repository.ts';
import { issueSession, type SignedIn } from './auth.ts';
import type { AppContext } from './context.ts';
import { documentHash } from './secrets.ts';

/** How long a person may take at the provider before the round trip is refused as expired. */
export const PENDING_MINUTES = 10;

interface Pending {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly expiresAt: string;
}

const configurations = new WeakMap<OidcSettings, Promise<oidc.Configuration>>();

function settingsOf(ctx: AppContext): OidcSettings {
  if (!ctx.oidc) throw new AppError('OIDC_NOT_CONFIGURED', {});
  return ctx.oidc;
}

/** The provider's metadata, read once; a failed read is tried again on the next sign-in. */
function configurationOf(settings: OidcSettings): Promise<oidc.Configuration> {
  let found = configurations.get(settings);
  if (!found) {
    // openid-client trusts the token endpoint's TLS by default and skips the ID token's signature; we check it
    // against the provider's published keys anyway, so an answer altered on the way signs nobody in.
    const execute = settings.issuer.startsWith('http:') ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks];
    found = oidc.discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretPost(settings.clientSecret), { execute });
    found.catch(() => configurations.delete(settings));
    configurations.set(settings, found);
  }
  return found;
}

const redirectUriOf = (ctx: AppContext, settings: OidcSettings) => settings.redirectUri ?? `${ctx.policy.operator.siteUrl.replace(/\/$/, '')}/api/v1/auth/oidc/callback`;

const signingKey = (ctx: AppContext) => createHmac('sha256', ctx.secrets.referenceKey).update('oidc-pending').digest();
const mac = (ctx: AppContext, body: string) => createHmac('sha256', signingKey(ctx)).update(body).digest('base64url');

function sealPending(ctx: AppContext, pending: Pending): string {
  const body = Buffer.from(JSON.stringify(pending)).toString('base64url');
  return `${body}.${mac(ctx, body)}`;
}

function openPending(ctx: AppContext, sealed: string | undefined): Pending {
  const [body, signature] = (sealed ?? '').split('.');
  const expected = body ? mac(ctx, body) : '';
  if (!body || !signature || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) throw new AppError('OIDC_EXPIRED', {});
  const pending = JSON.parse(Buffer.from(body, 'base64url').toString()) as Pending;
  if (pending.expiresAt <= ctx.clock()) throw new AppError('OIDC_EXPIRED', {});
  return pending;
}

/** Where to send the person, and the sealed round-trip state to keep in their browser until they come back. */
export async function startExternalSignIn(ctx: AppContext): Promise<{ url: string; pending: string; expiresAt: string }> {
  const settings = settingsOf(ctx);
  const config = await configurationOf(settings).catch((e: unknown) => {
    throw new AppError('OIDC_REFUSED', { reason: `discovery: ${(e as Error).message}` });
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const pending: Pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, expiresAt: addSeconds(ctx.clock(), PENDING_MINUTES * 60) };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriOf(ctx, settings),
    scope: ['openid', ...settings.scopes].join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, pending: sealPending(ctx, pending), expiresAt: pending.expiresAt };
}

/** The one customer the verified claims name, or OIDC_NOT_LINKED. */
async function linkedCustomer(ctx: AppContext, settings: OidcSettings, claims: Record<string, unknown>): Promise<{ id: string; by: string }> {
  const candidates = new Set<string>();
  const by: string[] = [];
  if (typeof claims.phone_number === 'string' && claims.phone_number_verified === true) {
    try {
      const msisdn = normalizeMsisdn(claims.phone_number, ctx.policy.operator.country);
      for (const id of await customerIdsByMsisdn(ctx.store.db, msisdn)) candidates.add(id);
      by.push('phone_number');
    } catch {
      // A number of another country or shape names none of our customers.
    }
  }
  const document = settings.documentClaim ? claims[settings.documentClaim] : undefined;
  if (typeof document === 'string' && document.trim() !== '') {
    for (const id of await customerIdsByDocumentHash(ctx.store.db, documentHash(ctx.secrets.documentKey, document))) candidates.add(id);
    by.push('document');
  }
  // Two people behind one number or document: signing either in could show one the other's lines.
  if (candidates.size !== 1) throw new AppError('OIDC_NOT_LINKED', {});
  return { id: [...candidates][0] as string, by: by.join('+') };
}

/**
 * Finishes the round trip: `callbackUrl` is the address the provider sent the person back to (with `code` and
 * `state`, or `error`). Any refusal creates no session.
 */
export async function finishExternalSignIn(ctx: AppContext, callbackUrl: URL, sealed: string | undefined, address: string): Promise<SignedIn> {
  const settings = settingsOf(ctx);
  const pending = openPending(ctx, sealed);
  const config = await configurationOf(settings).catch((e: unknown) => {
    throw new AppError('OIDC_REFUSED', { reason: `discovery: ${(e as Error).message}` });
  });
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no ID token');
    // Providers that keep the ID token small (oidc-provider by default) give the scoped claims at userinfo.
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    claims = { ...info, ...idClaims };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('OIDC_REFUSED', { reason: (e as Error).message });
  }
  const linked = await linkedCustomer(ctx, settings, claims);
  return inTransaction(ctx.store, async (tx) => {
    const customer = (await customersById(tx, [linked.id])).get(linked.id);
    if (!customer) throw new AppError('OIDC_NOT_LINKED', {});
    const principal = { kind: 'customer', id: customer.id, name: customer.name, language: customer.language } as const;
    const session = await issueSession(ctx, principal, tx);
    await appendAudit(tx, [
      {
        entityType: 'customer',
        entityId: customer.id,
        action: 'signed_in_external',
        from: null,
        to: null,
        actor: { kind: 'customer', id: customer.id, channel: 'web' },
        at: ctx.clock(),
        reason: `signed in through ${settings.displayName}, linked by ${linked.by}`,
        data: { issuer: settings.issuer, subject: String(claims.sub), address },
      },
    ]);
    return session;
  });
}
