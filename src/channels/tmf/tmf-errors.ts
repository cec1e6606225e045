import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../api/errors.ts';

/**
 * How the TMF622 facade answers an error. Today it is simexit's catalogue shape (`{code, message, details}`,
 * the message in the Accept-Language), which the facade's response schemas publish; TMF630's `{code, reason,
 * message, status}` would be a change of contract for integrators, made here and nowhere else.
 */
export function sendTmfError(reply: FastifyReply, request: FastifyRequest, error: unknown, timeZone?: string): FastifyReply {
  return sendError(reply, request, error, timeZone);
}
