import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticate, rememberDevice, signIn, signOut } from '../../../app/auth.ts';
import type { AppContext } from '../../../app/context.ts';
import { requestPasswordReset, resetPassword } from '../../../app/password-reset.ts';
import { AppError } from '../../../domain/errors.ts';
import { normalizeMsisdn } from '../../../domain/msisdn.ts';
import { requirePrincipal, SESSION_COOKIE } from '../auth-plugin.ts';
import { OrNull, OtpCode, PrincipalSchema, SessionSchema, SignedInSchema, errorResponses } from '../schemas.ts';

const strict = { additionalProperties: false } as const;

/**
 * The session cookie lasts as long as the session, given as Max-Age: a
 * browser counts it from its own clock, so an absolute date from our clock
 * (which a demo or a test moves) can never make it drop the cookie at once.
 */
export function sessionCookie(ctx: AppContext, expiresAt: string) {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - Date.parse(ctx.clock())) / 1000));
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: ctx.policy.operator.siteUrl.startsWith('https'), maxAge };
}

/** The device cookie: set on every successful sign-in, it makes this device's owner immune to others' failures (lockout.ts). */
export const DEVICE_COOKIE = 'simexit_device';

function deviceCookie(ctx: AppContext, expiresAt: string) {
  return { ...sessionCookie(ctx, expiresAt), path: '/api/' };
}

export function authRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          tags: ['sign-in'],
          summary: 'Sign in with a phone number (subscribers) or a login (staff) and a password',
          body: T.Object({ msisdn: T.Optional(T.String({ maxLength: 64 })), login: T.Optional(T.String({ maxLength: 64 })), password: T.String({ minLength: 1, maxLength: 200 }) }, strict),
          response: { 200: SignedInSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const login = request.body.msisdn ?? request.body.login;
        if (!login) throw new AppError('VALIDATION_FAILED', { reason: 'msisdn or login is required' });
        const device = request.cookies[DEVICE_COOKIE];
        const session = await signIn(ctx, { login, password: request.body.password, address: request.ip, device });
        const remembered = await rememberDevice(ctx, session.principal, device);
        reply.setCookie(SESSION_COOKIE, session.token, sessionCookie(ctx, session.expiresAt));
        reply.setCookie(DEVICE_COOKIE, remembered.device, deviceCookie(ctx, remembered.expiresAt));
        return session;
      },
    );

    app.post('/auth/logout', { schema: { tags: ['sign-in'], summary: 'Sign out (ends the session)', response: { 204: T.Null(), ...errorResponses } } }, async (request, reply) => {
      requirePrincipal(request);
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7) : request.cookies[SESSION_COOKIE];
      if (token) await signOut(ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    });

    // The site keeps the CSRF token only in the tab's memory; a browser reopened with the cookie still set
    // asks here for it again (readable only by the same origin: no CORS, and a cross-site GET cannot read the answer).
    app.get(
      '/auth/session',
      { schema: { tags: ['sign-in'], summary: 'The session behind the cookie: who is signed in and the CSRF token to echo on changes', response: { 200: SessionSchema, ...errorResponses } } },
      async (request) => {
        const principal = requirePrincipal(request);
        const cookie = request.cookies[SESSION_COOKIE];
        const found = cookie ? await authenticate(ctx, cookie) : undefined;
        if (!found || found.principal.id !== principal.id) throw new AppError('AUTH_REQUIRED', {});
        return { csrfToken: found.csrfToken, principal };
      },
    );

    app.get('/me', { schema: { tags: ['sign-in'], summary: 'Who is signed in', response: { 200: PrincipalSchema, ...errorResponses } } }, async (request) => requirePrincipal(request));

    app.post(
      '/auth/password-reset',
      {
        schema: {
          tags: ['sign-in'],
          summary: 'Send a password-reset code by SMS to the number',
          description: 'The same answer whether or not the number is ours. Limited per number and per address (429 with Retry-After past the limit).',
          body: T.Object({ msisdn: T.String({ maxLength: 64 }) }, strict),
          response: { 202: T.Object({ sent: T.Boolean(), expiresAt: OrNull(T.String()) }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const msisdn = normalizeMsisdn(request.body.msisdn, ctx.policy.operator.country);
        // The same answer whether or not the number is ours: nothing to learn from asking.
        const { expiresAt } = await requestPasswordReset(ctx, msisdn, { address: request.ip, device: request.cookies[DEVICE_COOKIE] });
        return reply.code(202).send({ sent: true, expiresAt });
      },
    );

    app.post(
      '/auth/password-reset/confirm',
      {
        schema: {
          tags: ['sign-in'],
          summary: 'Set a new password with the SMS code; signs in',
          description: 'Ends every other session and remembered device of the person, and is audited.',
          body: T.Object({ msisdn: T.String({ maxLength: 64 }), code: OtpCode, newPassword: T.String({ minLength: 8, maxLength: 200 }) }, strict),
          response: { 200: SignedInSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const msisdn = normalizeMsisdn(request.body.msisdn, ctx.policy.operator.country);
        const session = await resetPassword(ctx, { msisdn, code: request.body.code, newPassword: request.body.newPassword, address: request.ip, device: request.cookies[DEVICE_COOKIE] });
        const remembered = await rememberDevice(ctx, session.principal, undefined);
        reply.setCookie(SESSION_COOKIE, session.token, sessionCookie(ctx, session.expiresAt));
        reply.setCookie(DEVICE_COOKIE, remembered.device, deviceCookie(ctx, remembered.expiresAt));
        return session;
      },
    );
  };
}
