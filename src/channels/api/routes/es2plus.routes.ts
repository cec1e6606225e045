/**
 * The SM-DP+'s ES2+ notifications to the operator (SGP.22 §5.3.5 HandleDownloadProgressInfo): a delete or
 * disable of a profile on a device becomes `esimDeviceEvent`; every other notification point (eligibility check,
 * download, installation) is acknowledged and logged. ES2+ wants 204 for every notification it may stop
 * sending, so an unknown ICCID or a repeat is answered 204 too, and logged: an error would only make the SM-DP+
 * send it again.
 *
 * Registered only on the mutual-TLS listener (channels/api/es2plus-listener.ts). The handler still refuses a
 * request whose connection did not present a certificate the listener verified: registered by mistake on a
 * plain listener, the route opens nothing. With `clientNames` it also refuses a verified certificate that is not
 * the SM-DP+'s own (the CA may sign other parties' too).
 */
import type { TLSSocket } from 'node:tls';
import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { type DeviceEvent, esimDeviceEvent } from '../../../app/esim-notifications.ts';

export interface Es2NotificationPoints {
  readonly deletePoints: readonly string[];
  readonly disablePoints: readonly string[];
  /** Names the client certificate must carry one of (lower case); empty or absent: any the listener verified. */
  readonly clientNames?: readonly string[];
}

/** The names a peer certificate answers to: its subject CN and its subjectAltName DNS and IP entries, lower case. */
export function certificateNames(cert: { subject?: { CN?: string | string[] } | null; subjectaltname?: string | undefined } | null | undefined): string[] {
  if (!cert) return [];
  const cn = cert.subject?.CN;
  const names = Array.isArray(cn) ? cn : cn ? [cn] : [];
  for (const entry of (cert.subjectaltname ?? '').split(',')) {
    const m = /^\s*(DNS|IP Address):(.+)$/.exec(entry);
    if (m?.[2]) names.push(m[2].trim());
  }
  return names.map((n) => n.toLowerCase());
}

const StatusCodeData = T.Object({ subjectCode: T.String({ maxLength: 20 }), reasonCode: T.String({ maxLength: 20 }), subjectIdentifier: T.Optional(T.String({ maxLength: 128 })), message: T.Optional(T.String({ maxLength: 500 })) });

const ProgressInfo = T.Object({
  header: T.Object({ functionRequesterIdentifier: T.String({ minLength: 1, maxLength: 256 }), functionCallIdentifier: T.String({ minLength: 1, maxLength: 256 }) }),
  eid: T.Optional(T.String({ pattern: '^[0-9A-Fa-f]{32}$' })),
  // ICCIDs are 18–20 digits; the ES2+ form may pad an odd length with F.
  iccid: T.String({ pattern: '^[0-9]{18,20}[Ff]?$' }),
  profileType: T.Optional(T.String({ maxLength: 256 })),
  timestamp: T.Optional(T.String({ maxLength: 40 })),
  notificationPointId: T.Union([T.Integer({ minimum: 0 }), T.String({ minLength: 1, maxLength: 40 })]),
  notificationPointStatus: T.Object({ status: T.String({ maxLength: 40 }), statusCodeData: T.Optional(StatusCodeData) }),
  resultData: T.Optional(T.String({ maxLength: 16_384 })),
});

/** Which device event a notification point means, by the operator's list (matched as text, any case). */
export function deviceEventOf(pointId: string | number, points: Es2NotificationPoints): DeviceEvent | null {
  const p = String(pointId).toLowerCase();
  if (points.deletePoints.includes(p)) return 'deleted';
  if (points.disablePoints.includes(p)) return 'disabled';
  return null;
}

export const es2plusRoutes =
  (ctx: AppContext, points: Es2NotificationPoints): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/gsma/rsp2/es2plus/handleDownloadProgressInfo',
      {
        schema: {
          tags: ['esim'],
          summary: "The SM-DP+'s progress of a profile (ES2+ HandleDownloadProgressInfo), over mutual TLS only. A delete or disable of an ended line's profile closes its eSIM step. Always 204 once read.",
          body: ProgressInfo,
          response: { 204: T.Null(), 403: T.Null() },
        },
      },
      async (request, reply) => {
        const socket = request.raw.socket as Partial<TLSSocket>;
        if (socket.authorized !== true) {
          request.log.warn({ es2: 'refused', reason: 'no verified client certificate' }, 'ES2+ notification refused');
          return reply.code(403).send(null);
        }
        const allowed = points.clientNames ?? [];
        if (allowed.length > 0) {
          const names = certificateNames(socket.getPeerCertificate?.());
          if (!names.some((n) => allowed.includes(n))) {
            request.log.warn({ es2: 'refused', reason: 'client certificate not one of clientNames', names: names.slice(0, 5) }, 'ES2+ notification refused');
            return reply.code(403).send(null);
          }
        }
        const body = request.body;
        const iccid = body.iccid.replace(/[Ff]$/, '');
        const requester = body.header.functionRequesterIdentifier;
        const event = deviceEventOf(body.notificationPointId, points);
        const log = { es2: 'handleDownloadProgressInfo', iccid, point: body.notificationPointId, status: body.notificationPointStatus.status, requester, call: body.header.functionCallIdentifier };
        if (!event || body.notificationPointStatus.status !== 'Executed-Success') {
          request.log.info({ ...log, outcome: 'not a device removal' }, 'ES2+ notification acknowledged');
          return reply.code(204).send(null);
        }
        const outcome = await esimDeviceEvent(ctx, iccid, event);
        if (outcome === 'unknown' || outcome === 'stale') request.log.warn({ ...log, outcome }, 'ES2+ notification ignored');
        else request.log.info({ ...log, outcome }, 'ES2+ notification');
        return reply.code(204).send(null);
      },
    );
  };
