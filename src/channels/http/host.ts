import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { AppContext } from '../../app/context.ts';
import { AppError } from '../../domain/errors.ts';
import { maskMsisdn } from '../../domain/msisdn.ts';
import { checkAddressList } from '../api/addresses.ts';
import { sendError } from '../api/errors.ts';
import { createMetrics } from '../api/metrics.ts';
import { type MetricsAccess, opsRoutes } from '../api/routes/ops.routes.ts';
import { validateResponses } from '../api/response-validation.ts';
import { ErrorSchema } from '../api/schemas.ts';
import { hasNul } from './body-checks.ts';
import { type Channel, channelPaths, registerChannel } from './channel.ts';

/** The built site (web/dist), when it has been built: `npm ci` builds it. */
function siteFolder(): string | undefined {
  const folder = fileURLToPath(new URL('../../../web/dist', import.meta.url));
  return existsSync(join(folder, 'index.html')) ? folder : undefined;
}

const MSISDN_IN_TEXT = /\+?\d{10,15}/g;

const API_HEADERS: readonly (readonly [string, string])[] = [
  ['cache-control', 'no-store'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['cross-origin-resource-policy', 'same-origin'],
];

/** The largest body any route but the bulk upload reads; larger is refused with 413 PAYLOAD_TOO_LARGE. */
export const BODY_LIMIT = 64 * 1024;

/** The staff pages' entry (web/staff/index.html): a bundle of its own, never the subscriber site's. */
const STAFF_PAGES = /^\/staff(\/|$)/;
/** The shop's public screens' entry (web/shop/index.html): /shop/{shopId}/kiosk and /shop/{shopId}/board. */
const SHOP_PAGES = /^\/shop(\/|$)/;

/** The host's own pages besides the channels': the API docs. */
const HOST_PAGES = ['docs'];

export interface HostOptions {
  readonly logger?: boolean;
  /** Where the request log goes when `logger` is on (standard output unless given: tests read it). */
  readonly logStream?: { write(line: string): void };
  /**
   * Proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges, `SIMEXIT_TRUST_PROXY`). None by
   * default: otherwise any client could pick the address its lock-outs and send limits are counted under.
   */
  readonly trustProxy?: readonly string[];
  /** Who may read /metrics: a bearer token (`SIMEXIT_METRICS_TOKEN`) or addresses (`SIMEXIT_METRICS_ALLOW`). */
  readonly metrics?: MetricsAccess;
}

/** Fastify's trustProxy from the configured list; a bad entry stops start-up naming it. */
function trustedProxies(list: readonly string[] | undefined): string[] | false {
  if (!list || list.length === 0) return false;
  checkAddressList('SIMEXIT_TRUST_PROXY', list);
  return [...list];
}

/**
 * The one HTTP host: security headers, body limits, metrics, response checks, the docs, the operations
 * endpoints and the site. Everything a caller acts through is a channel (`registerChannel`), each an
 * encapsulated plugin with its own authentication and its own error format; what reaches no channel (an
 * unknown URL, an undecodable one, /docs, /metrics) is answered in the host's JSON shape.
 */
export async function buildHost(ctx: AppContext, options: HostOptions, channels: readonly Channel[]): Promise<FastifyInstance> {
  const app = Fastify({
    // Small everywhere: the one route that takes a large body (bulk terminations) raises it in its own scope.
    bodyLimit: BODY_LIMIT,
    // On SIGTERM the listener stops taking connections; a request already on an open connection (sent just before
    // the signal, perhaps not yet parsed) is still answered within the grace period instead of getting a 503.
    return503OnClosing: false,
    trustProxy: trustedProxies(options.trustProxy),
    logger: options.logger
      ? {
          level: 'info',
          // Phone numbers never reach the logs whole.
          serializers: {
            req: (req) => ({ method: req.method, url: String(req.url).replace(MSISDN_IN_TEXT, (m) => maskMsisdn(m)) }),
          },
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-twilio-signature"]'],
          ...(options.logStream ? { stream: options.logStream } : {}),
        }
      : false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // Errors Fastify raises before routing (an undecodable URL, a bad header) get the same shape as all others.
    frameworkErrors: (error, request, reply) => sendError(reply, request, error, ctx.policy.operator.timezone),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const paths = channelPaths(channels, HOST_PAGES);
  app.addSchema(ErrorSchema);
  // Pages (the site, /docs, /verify) get helmet's full set, built once here (@fastify/helmet built the middleware
  // again, CSP parsing included, on every request). Answers for programs get the set OWASP's REST Security Cheat
  // Sheet names for APIs: most of helmet's headers only mean something to an HTML document, and `no-store` keeps
  // personal data out of every cache.
  const pageHeaders = helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } });
  app.addHook('onRequest', (request, reply, done) => {
    if (!paths.data.test(request.url)) return pageHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined));
    for (const [name, value] of API_HEADERS) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'simexit API', version: '1', description: 'End a mobile line (SIM or eSIM): preview, request, confirm, withdraw, follow. Amounts are integer minor units; times are UTC (ISO 8601). Errors: `{code, message, details}`, message in the Accept-Language (ru, en, zh).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'simexit_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = createMetrics(ctx);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unknown';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  // Text with U+0000 is never a valid phone number, id or name, and Postgres cannot store it: refuse it at the edge
  // (in the format of the channel the route belongs to: its error handler answers).
  app.addHook('preValidation', async (request) => {
    if (request.url.includes('%00') || request.url.includes('\u0000') || (request.body !== undefined && hasNul(request.body))) {
      throw new AppError('VALIDATION_FAILED', { reason: 'the request contains a NUL character' });
    }
  });
  const responseChecks = ctx.responseChecks ?? 'log';
  if (responseChecks !== 'off') validateResponses(app, responseChecks);
  // Who the caller is, per channel: each channel's plugin resolves it its own way.
  app.decorateRequest('principal', undefined);
  app.setErrorHandler((error, request, reply) => sendError(reply, request, error, ctx.policy.operator.timezone));
  const site = siteFolder();
  if (site) await app.register(fastifyStatic, { root: site, wildcard: false, index: false, serve: true, prefix: '/', decorateReply: true, cacheControl: true, maxAge: '1h' });
  app.setNotFoundHandler((request, reply) => {
    // The site is three single pages, the staff pages under /staff/, the shop's screens under /shop/ and the
    // subscriber site everywhere else: any
    // other GET for HTML gets its entry page, which routes itself.
    const path = request.url.split('?')[0] ?? '';
    if (site && request.method === 'GET' && !paths.notSite.test(path) && String(request.headers.accept ?? '').includes('text/html')) {
      return reply.header('cache-control', 'no-cache').sendFile(STAFF_PAGES.test(path) ? 'staff/index.html' : SHOP_PAGES.test(path) ? 'shop/index.html' : 'index.html');
    }
    return sendError(reply, request, new AppError('NOT_FOUND', { input: `${request.method} ${path}` }));
  });

  await app.register(opsRoutes(ctx, metrics, options.metrics ?? {}));
  for (const channel of channels) await registerChannel(app, channel);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
