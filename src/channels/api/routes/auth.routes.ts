import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticate, endAllSessions, issueSession, rememberDevice, signIn, signOut, trustedDeviceOf } from '../../../app/auth.ts';
import type { AppContext } from '../../../app/context.ts';
import { takeSend } from '../../../app/lockout.ts';
import { checkOtp, issueOtp } from '../../../app/otp.ts';
import { hashPassword } from '../../../app/secrets.ts';
import { AppError, type Language } from '../../../domain/errors.ts';
import { normalizeMsisdn } from '../../../domain/msisdn.ts';
import { addSeconds } from '../../../domain/time.ts';
import { appendAudit } from '../../../store/audit.repository.ts';
import { inTransaction } from '../../../store/database.ts';
import { liveLinesByMsisdn } from '../../../store/lines.repository.ts';
import { customersById } from '../../../store/parties.repository.ts';
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
        const now = ctx.clock();
        const db = ctx.store.db;
        const msisdn = normalizeMsisdn(request.body.msisdn, ctx.policy.operator.country);
        const line = (await liveLinesByMsisdn(db, [msisdn])).get(msisdn);
        const { maxSendsPerNumber, maxSendsPerAddress, sendWindowMinutes, ttlSeconds } = ctx.policy.otp;
        // Counted for numbers that are not ours too, so the limit tells nothing; the owner's own device has a budget of its own.
        const trusted = await trustedDeviceOf(ctx, request.cookies[DEVICE_COOKIE], line ? { kind: 'customer', id: line.customerId } : undefined);
        const perNumber = trusted ? `reset-send:${msisdn}#${trusted.slice(0, 32)}` : `reset-send:${msisdn}`;
        const limits: [string, number][] = trusted ? [[perNumber, maxSendsPerNumber]] : [[perNumber, maxSendsPerNumber], [`reset-send-addr:${request.ip}`, maxSendsPerAddress]];
        await takeSend(db, limits, now, sendWindowMinutes, 'TOO_MANY_CODES');
        // The same answer whether or not the number is ours: nothing to learn from asking.
        let expiresAt = addSeconds(now, ttlSeconds);
        if (line) {
          const customer = (await customersById(db, [line.customerId])).get(line.customerId);
          ({ expiresAt } = await issueOtp(ctx, { customerId: line.customerId, purpose: 'password_reset', subject: msisdn, msisdn, language: (customer?.language ?? 'en') as Language }));
        }
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
        const checked = await checkOtp(ctx, { purpose: 'password_reset', subject: msisdn, code: request.body.code, address: request.ip, device: request.cookies[DEVICE_COOKIE] });
        const { customerId } = checked;
        const passwordHash = await hashPassword(request.body.newPassword);
        // Using the code up, the new password, the end of every other session and the audit entry commit together.
        const session = await inTransaction(ctx.store, async (tx) => {
          const now = ctx.clock();
          await checked.spend(tx);
          const customer = (await customersById(tx, [customerId])).get(customerId);
          if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', { input: customerId });
          await tx.updateTable('customers').set({ password_hash: passwordHash }).where('id', '=', customerId).execute();
          const principal = { kind: 'customer', id: customer.id, name: customer.name, language: customer.language } as const;
          const sessionsEnded = await endAllSessions(tx, principal);
          await tx.updateTable('otp_codes').set({ used_at: now }).where('customer_id', '=', customerId).where('purpose', '=', 'password_reset').where('used_at', 'is', null).execute();
          const signedIn = await issueSession(ctx, principal, tx);
          await appendAudit(tx, [
            { entityType: 'customer', entityId: customerId, action: 'password_reset', from: null, to: null, actor: { kind: 'customer', id: customerId, channel: 'web' }, at: now, reason: 'new password set with an SMS code; every other session ended', data: { sessionsEnded } },
          ]);
          return signedIn;
        });
        const remembered = await rememberDevice(ctx, session.principal, undefined);
        reply.setCookie(SESSION_COOKIE, session.token, sessionCookie(ctx, session.expiresAt));
        reply.setCookie(DEVICE_COOKIE, remembered.device, deviceCookie(ctx, remembered.expiresAt));
        return session;
      },
    );
  };
}
