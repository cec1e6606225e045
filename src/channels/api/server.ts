import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { buildHost, type HostOptions } from '../http/host.ts';
import { tmfChannel } from '../tmf/channel.ts';
import { voiceChannel } from '../voice/channel.ts';
import { apiChannel } from './channel.ts';

export { BODY_LIMIT } from '../http/host.ts';

export type ServerOptions = HostOptions;

/**
 * The HTTP application: the host (headers, limits, metrics, docs, the site) with every channel simexit has:
 * the public API under /api/v1, the TMF622 facade and the phone hotline's webhooks under /voice. Handlers translate to and from src/app only.
 */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  return buildHost(ctx, options, [apiChannel(ctx), tmfChannel(ctx), voiceChannel(ctx)]);
}
