import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { rememberDevice } from '../../../app/auth.ts';
import type { AppContext } from '../../../app/context.ts';
import { finishExternalSignIn, PENDING_MINUTES, startExternalSignIn } from '../../../app/external-sign-in.ts';
import { AppError } from '../../../domain/errors.ts';
import { SESSION_COOKIE } from '../auth-plugin.ts';
import { OrNull, errorResponses } from '../schemas.ts';
import { DEVICE_COOKIE, sessionCookie } from './auth.routes.ts';

/** The sealed round trip (state, nonce, PKCE verifier): sent only back to the callback, gone after it. */
export const OIDC_COOKIE = 'simexit_oidc';
const OIDC_PATH = '/api/v1/auth/oidc/';

const Redirect = T.Null({ description: 'A redirect (Location): to the provider, or back to the site' });

/**
 * The external sign-in routes. Both end in a redirect, since a browser navigates them: a refusal goes back to
 * the site's sign-in page with `?signInError=CODE`, which the page shows in words; no session is made. Where no
 * provider is configured they answer OIDC_NOT_CONFIGURED like any API call.
 */
export function oidcRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const site = ctx.policy.operator.siteUrl.replace(/\/$/, '');
  const pendingCookie = (maxAge: number) => ({ path: OIDC_PATH, httpOnly: true, sameSite: 'lax' as const, secure: site.startsWith('https'), maxAge });
  const refuse = (reply: FastifyReply, e: unknown) => {
    const code = e instanceof AppError ? e.code : 'OIDC_REFUSED';
    if (!(e instanceof AppError)) reply.log.error(e, 'oidc');
    return reply.clearCookie(OIDC_COOKIE, { path: OIDC_PATH }).redirect(`${site}/?signInError=${code}`, 302);
  };
  return async (app) => {
    app.get(
      '/auth/oidc',
      {
        schema: {
          tags: ['sign-in'],
          summary: 'Whether sign-in through an external identity service is offered, and its name for the button',
          response: { 200: T.Object({ available: T.Boolean(), displayName: OrNull(T.String()) }), ...errorResponses },
        },
      },
      async () => ({ available: ctx.oidc !== undefined, displayName: ctx.oidc?.displayName ?? null }),
    );

    app.get(
      '/auth/oidc/start',
      { schema: { tags: ['sign-in'], summary: 'Start signing in through the external identity service (redirects to it)', response: { 302: Redirect, ...errorResponses } } },
      async (_request, reply) => {
        // Not offered: a JSON refusal, as for any API call (the site shows no button that leads here).
        if (!ctx.oidc) throw new AppError('OIDC_NOT_CONFIGURED', {});
        try {
          const started = await startExternalSignIn(ctx);
          reply.setCookie(OIDC_COOKIE, started.pending, pendingCookie(PENDING_MINUTES * 60));
          return reply.redirect(started.url, 302);
        } catch (e) {
          return refuse(reply, e);
        }
      },
    );

    app.get(
      '/auth/oidc/callback',
      {
        schema: {
          tags: ['sign-in'],
          summary: 'Where the identity service sends the person back: signs in the customer it names, or refuses',
          querystring: T.Object({ code: T.Optional(T.String({ maxLength: 2000 })), state: T.Optional(T.String({ maxLength: 500 })) }, { additionalProperties: true }),
          response: { 302: Redirect, ...errorResponses },
        },
      },
      async (request, reply) => {
        if (!ctx.oidc) throw new AppError('OIDC_NOT_CONFIGURED', {});
        try {
          const base = ctx.oidc.redirectUri ?? `${site}/api/v1/auth/oidc/callback`;
          const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
          const session = await finishExternalSignIn(ctx, new URL(base + query), request.cookies[OIDC_COOKIE], request.ip);
          const remembered = await rememberDevice(ctx, session.principal, request.cookies[DEVICE_COOKIE]);
          reply.setCookie(SESSION_COOKIE, session.token, sessionCookie(ctx, session.expiresAt));
          reply.setCookie(DEVICE_COOKIE, remembered.device, { ...sessionCookie(ctx, remembered.expiresAt), path: '/api/' });
          return reply.clearCookie(OIDC_COOKIE, { path: OIDC_PATH }).redirect(`${site}/`, 302);
        } catch (e) {
          return refuse(reply, e);
        }
      },
    );
  };
}
