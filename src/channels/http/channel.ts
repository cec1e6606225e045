import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * One way in for callers (the public API, the TMF622 facade, and next the hotline, SMS and the shop), hosted by
 * `buildHost`. Its plugin runs in its own encapsulated scope: the authentication hook it adds and the error
 * handler it sets apply to its routes only, so a voice platform gets its own format back, never the API's JSON.
 */
export interface Channel {
  readonly name: string;
  /**
   * First path segments whose answers are for programs (`api` for /api/…): they get the API security headers and
   * `no-store`, and the site never answers under them.
   */
  readonly dataPrefixes: readonly string[];
  /** First path segments of pages the channel serves itself (`verify`): the site's index.html never answers there. */
  readonly pagePrefixes?: readonly string[];
  /** How an error on one of this channel's routes is answered (the channel's own format, status and headers). */
  readonly errors: (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>;
  /** Adds the channel's authentication and routes to its scope. */
  readonly register: (scope: FastifyInstance) => Promise<void>;
}

/** Registers a channel in a scope of its own (not wrapped in fastify-plugin, so nothing it sets leaks out). */
export async function registerChannel(host: FastifyInstance, channel: Channel): Promise<void> {
  await host.register(async (scope) => {
    scope.setErrorHandler(channel.errors);
    await channel.register(scope);
  });
}

const segments = (names: readonly string[]) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** What the host matches URLs with: the channels' data prefixes, and every prefix the site must leave alone. */
export function channelPaths(channels: readonly Channel[], hostPages: readonly string[]): { data: RegExp; notSite: RegExp } {
  const data = channels.flatMap((c) => c.dataPrefixes);
  const pages = [...channels.flatMap((c) => c.pagePrefixes ?? []), ...hostPages];
  return { data: new RegExp(`^\\/(${segments(data)})\\/`), notSite: new RegExp(`^\\/(${segments([...data, ...pages])})\\b`) };
}
