/**
 * The HTTPS listener the SM-DP+ sends ES2+ notifications to, with mutual TLS: `requestCert` and
 * `rejectUnauthorized` make the handshake itself refuse a client without a certificate signed by the configured
 * CA. It is a listener of its own rather than a route of the public host because the public host normally sits
 * behind a TLS terminator: by the time a request reaches it, the client certificate is gone (and a header
 * claiming one could be set by anyone). Nothing else is served here.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../app/context.ts';
import type { Es2NotificationSettings } from '../../config/integrations/esim.ts';
import { es2plusRoutes } from './routes/es2plus.routes.ts';

export interface Es2ListenerOptions {
  /** Where the log goes (standard output unless given: tests read it). */
  readonly logStream?: { write(line: string): void };
  readonly logger?: boolean;
}

export async function buildEs2plusListener(ctx: AppContext, settings: Es2NotificationSettings, options: Es2ListenerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    https: { key: settings.serverKey, cert: settings.serverCert, ca: settings.clientCa, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    logger: options.logStream ? { stream: options.logStream } : (options.logger ?? true),
    bodyLimit: 32 * 1024,
    // The SM-DP+ posts one JSON object; the routes' schemas are the contract, nothing is coerced.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler((error: { statusCode?: number; validation?: unknown; message: string }, request, reply) => {
    const status = error.validation ? 400 : error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error, 'ES2+ notification failed');
    else request.log.warn({ es2: 'refused', reason: error.message.slice(0, 200) }, 'ES2+ notification refused');
    return reply.code(status).send({ code: status === 400 ? 'VALIDATION_FAILED' : 'ERROR', message: status >= 500 ? 'internal error' : error.message.slice(0, 200) });
  });
  // A client the handshake refused (no certificate, one another CA signed, an expired one) never reaches a route:
  // say so here, or a misconfigured SM-DP+ or a stranger knocking would leave no trace.
  app.server.on('tlsClientError', (error: Error & { code?: string }, socket: { remoteAddress?: string }) => {
    app.log.warn({ es2: 'refused', reason: `TLS handshake: ${(error.code ?? error.message).slice(0, 200)}`, remote: socket.remoteAddress }, 'ES2+ notification refused');
  });
  await app.register(es2plusRoutes(ctx, settings));
  return app as unknown as FastifyInstance;
}
