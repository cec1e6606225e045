/**
 * A real OpenID Connect provider (`oidc-provider`) on a random loopback port, for the external sign-in tests.
 * Its login step signs in whichever subject the test chose last (`as(subject)`), as a person at the identity
 * service would; the rest (PKCE, codes used once, signed ID tokens, userinfo) is the provider's own.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  readonly issuer: string;
  /** Registers our client with this redirect URI (known once our server listens). */
  register(redirectUri: string): void;
  /** The subject the next login step signs in. */
  as(subject: string): void;
  /**
   * Rewrites the token endpoint's next answers as someone between simexit and the provider would (`undefined`
   * stops); the provider itself still answers honestly.
   */
  tamperTokens(rewrite: ((body: Record<string, unknown>) => Record<string, unknown>) | undefined): void;
  /** Rewrites the address the provider sends the browser back to (`undefined` stops), as someone on the way would. */
  tamperRedirects(rewrite: ((location: URL) => URL) | undefined): void;
  close(): Promise<void>;
}

export const CLIENT_ID = 'simexit-test';
export const CLIENT_SECRET = 'a-test-client-secret-that-is-long-enough';

export async function startProvider(accounts: Record<string, Record<string, unknown>>): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let subject = '';
  let provider: Provider | undefined;
  let tamper: ((body: Record<string, unknown>) => Record<string, unknown>) | undefined;
  let redirect: ((location: URL) => URL) | undefined;
  let redirectUris: readonly string[] = [];
  server.on('request', (req, res) => {
    const p = provider;
    if (!p) return void res.writeHead(503).end();
    const moveTo = redirect;
    if (moveTo) {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = ((name: string, value: number | string | readonly string[]) => {
        const back = typeof value === 'string' && name.toLowerCase() === 'location' && redirectUris.some((uri) => value.startsWith(`${uri}?`));
        return setHeader(name, back ? moveTo(new URL(value)).href : value);
      }) as typeof res.setHeader;
    }
    const rewrite = tamper;
    if (rewrite && req.method === 'POST' && req.url?.startsWith('/token')) {
      const end = res.end.bind(res) as (chunk?: unknown) => typeof res;
      res.end = ((chunk?: unknown) => {
        if (chunk === undefined || typeof chunk === 'function') return end(chunk);
        const body = JSON.stringify(rewrite(JSON.parse(String(chunk)) as Record<string, unknown>));
        if (!res.headersSent) res.setHeader('content-length', Buffer.byteLength(body));
        return end(body);
      }) as typeof res.end;
    }
    if (!req.url?.startsWith('/interaction/')) return void p.callback()(req, res);
    void (async () => {
      const details = await p.interactionDetails(req, res);
      const grant = new p.Grant({ accountId: subject, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await p.interactionFinished(req, res, { login: { accountId: subject }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  return {
    issuer,
    register(redirectUri) {
      redirectUris = [redirectUri];
      provider = new Provider(issuer, {
        clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_post' }],
        claims: { openid: ['sub'], phone: ['phone_number', 'phone_number_verified'], document: ['document_number'] },
        scopes: ['openid', 'phone', 'document'],
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx, sub) => (accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...accounts[sub] }) } : undefined),
        cookies: { keys: ['test-cookie-key'] },
      });
      provider.on('server_error', (_ctx, e) => console.error('oidc-provider', e));
    },
    as(chosen) {
      subject = chosen;
    },
    tamperTokens(rewrite) {
      tamper = rewrite;
    },
    tamperRedirects(rewrite) {
      redirect = rewrite;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser's cookie jar for one host, as much as a redirect walk needs. */
export class Jar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
