import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate } from '../../app/auth.ts';
import type { AppContext } from '../../app/context.ts';
import { isStaff, type Principal, type StaffRole } from '../../app/principal.ts';
import { hasScope } from '../../domain/api-scopes.ts';
import { AppError } from '../../domain/errors.ts';

export const SESSION_COOKIE = 'simexit_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Resolves the caller from `Authorization: Bearer …` (app, integrators) or the
 * session cookie (site). A cookie-authenticated request that changes anything
 * must echo the session's CSRF token in `X-CSRF-Token`.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', undefined);
  app.addHook('preHandler', async (request) => {
    // Public pages that never act for a caller (the certificate check) ignore any session, so a plain form works.
    if ((request.routeOptions.config as { anonymous?: boolean } | undefined)?.anonymous) return;
    await resolvePrincipal(ctx, request);
  });
}

const resolved = new WeakSet<FastifyRequest>();

/**
 * Sets `request.principal` from the bearer token or session cookie (once per request; later calls reuse it).
 * Routes that take large bodies call it from an onRequest hook, so a caller is known before a byte of the body is read.
 */
export async function resolvePrincipal(ctx: AppContext, request: FastifyRequest): Promise<Principal | undefined> {
  if (resolved.has(request)) return request.principal;
  resolved.add(request);
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const cookie = request.cookies?.[SESSION_COOKIE];
  const token = bearer ?? cookie;
  if (!token) return undefined;
  const found = await authenticate(ctx, token);
  if (!found) return undefined;
  if (!bearer && !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && request.headers['x-csrf-token'] !== found.csrfToken) {
    throw new AppError('CSRF_FAILED', {});
  }
  request.principal = found.principal;
  return request.principal;
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('AUTH_REQUIRED', {});
  return request.principal;
}

export function requireCustomer(request: FastifyRequest): Extract<Principal, { kind: 'customer' }> {
  const p = requirePrincipal(request);
  if (p.kind !== 'customer') throw new AppError('FORBIDDEN', {});
  return p;
}

export function requireStaff(request: FastifyRequest, ...roles: StaffRole[]): Extract<Principal, { kind: 'staff' }> {
  const p = requirePrincipal(request);
  if (p.kind !== 'staff' || !isStaff(p, ...roles)) throw new AppError('FORBIDDEN', {});
  return p;
}

/** The TMF622 facade: an integrator key with the `tmf622` scope, or a back-office sign-in. */
export function requireIntegrator(request: FastifyRequest): Principal {
  const p = requirePrincipal(request);
  if (p.kind === 'api_key' && hasScope(p.scopes, 'tmf622')) return p;
  if (isStaff(p, 'back_office')) return p;
  throw new AppError('FORBIDDEN', {});
}
