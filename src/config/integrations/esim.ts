/**
 * `integrations.esim`: which SM-DP+ the eSIM steps talk to. `builtin` (or no part at all) keeps the embedded
 * adapter; `es2plus` calls the operator's SM-DP+ over ES2+ with mutual TLS and, with `notifications`, opens the
 * HTTPS listener the SM-DP+ posts `handleDownloadProgressInfo` to.
 *
 * The notification listener is its own HTTPS server, not a route of the public host: the SM-DP+ proves who it is
 * with a client certificate, and the public host usually sits behind a TLS terminator that has already dropped
 * the handshake (a forwarded "client certificate" header could be sent by anyone who reaches the host). Here the
 * TLS handshake itself refuses any client whose certificate the configured CA did not sign, before a byte of the
 * request is read.
 */
import { Type as T } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { type Es2plusConfig } from '../../adapters/esim/es2plus-client.ts';
import { configProblem, integrationPart, type IntegrationsSection, SecretRef, secretValue } from '../integrations.ts';

const PointIds = T.Array(T.Union([T.String({ minLength: 1, maxLength: 40 }), T.Integer({ minimum: 0 })]), { maxItems: 20 });

export const EsimNotificationsSchema = T.Object(
  {
    /** The port of the mutual-TLS listener (not the public host's). */
    port: T.Integer({ minimum: 1, maximum: 65535 }),
    host: T.Optional(T.String({ minLength: 1, maxLength: 255 })),
    /** The listener's own certificate and key, as the SM-DP+ expects to see them. */
    serverCert: SecretRef,
    serverKey: SecretRef,
    /** The CA whose client certificates are accepted: the SM-DP+'s (GSMA CI or the operator's agreed CA). */
    clientCa: SecretRef,
    /**
     * The names (certificate subject CN or subjectAltName DNS/IP) the SM-DP+'s client certificate may carry. A CA
     * such as the GSMA CI signs the certificates of every SM-DP+, not only the operator's: without this list any of
     * them gets through. Empty or absent: any certificate `clientCa` signed.
     */
    clientNames: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 255 }), { maxItems: 20 })),
    /** `notificationPointId` values that mean the device deleted / disabled the profile (matched as text, any case). */
    deletePoints: T.Optional(PointIds),
    disablePoints: T.Optional(PointIds),
  },
  { additionalProperties: false },
);

export const EsimIntegrationSchema = T.Object(
  {
    kind: T.Union([T.Literal('builtin'), T.Literal('es2plus')]),
    url: T.Optional(T.String({ pattern: '^https://[^\\s]+$', maxLength: 500 })),
    functionRequesterIdentifier: T.Optional(T.String({ minLength: 1, maxLength: 256 })),
    clientCert: T.Optional(SecretRef),
    clientKey: T.Optional(SecretRef),
    /** The CA of the SM-DP+'s server certificate, when it is not one the system trusts. */
    ca: T.Optional(SecretRef),
    timeoutMs: T.Optional(T.Integer({ minimum: 100, maximum: 120_000 })),
    adminProtocol: T.Optional(T.String({ pattern: '^gsma/rsp/v2\\.\\d+\\.\\d+$' })),
    /** DownloadOrder's `profileType`, when the SM-DP+ wants one. */
    profileType: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
    /** The SM-DP+ address devices reach, for activation codes, when ConfirmOrder's answer does not say it (default: the host of `url`). */
    smdpAddress: T.Optional(T.String({ pattern: '^[0-9A-Za-z.-]{1,255}$' })),
    notifications: T.Optional(EsimNotificationsSchema),
  },
  { additionalProperties: false },
);
export type EsimIntegration = Static<typeof EsimIntegrationSchema>;

/** The notification listener as read at start-up: PEMs, not references. */
export interface Es2NotificationSettings {
  readonly port: number;
  readonly host: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCa: string;
  /** Certificate names accepted (lower case); empty: any certificate `clientCa` signed. */
  readonly clientNames?: readonly string[];
  /** Lower-case text of each `notificationPointId` meaning delete, and disable. */
  readonly deletePoints: readonly string[];
  readonly disablePoints: readonly string[];
}

export interface EsimSettings {
  /** Present for `kind: es2plus`: how to reach the SM-DP+. */
  readonly client?: Es2plusConfig;
  readonly notifications?: Es2NotificationSettings;
}

/** A PEM secret: what TLS needs, checked now so a wrong file stops start-up naming its key, not the first call. */
function pem(ref: SecretRef, key: string, env: NodeJS.ProcessEnv): string {
  const value = secretValue(ref, key, env);
  // What was found is described, never shown: a key file in another format is still a secret, and start-up errors go to logs.
  if (!value.includes('-----BEGIN ')) configProblem(key, 'a PEM file (-----BEGIN …)', `${value.length} characters without a PEM header`);
  return value;
}

const points = (given: readonly (string | number)[] | undefined, fallback: string) => (given ?? [fallback]).map((p) => String(p).toLowerCase());

/** Reads `integrations.esim`; a missing key or secret is CONFIG_INVALID naming it. */
export function esimSettingsOf(section: IntegrationsSection, env: NodeJS.ProcessEnv = process.env): EsimSettings {
  const part = integrationPart(section, 'esim', EsimIntegrationSchema);
  if (!part || part.kind === 'builtin') {
    if (part?.notifications) configProblem('integrations.esim.notifications', 'kind: es2plus (the built-in SM-DP+ sends no notifications)', part.notifications);
    return {};
  }
  const need = <V>(value: V | undefined, key: string, what: string): V => value ?? configProblem(`integrations.esim.${key}`, what);
  const url = need(part.url, 'url', 'the SM-DP+ ES2+ address (https://…)');
  const functionRequesterIdentifier = need(part.functionRequesterIdentifier, 'functionRequesterIdentifier', 'the identifier agreed with the SM-DP+');
  const client: Es2plusConfig = {
    url,
    functionRequesterIdentifier,
    clientCert: pem(need(part.clientCert, 'clientCert', 'our client certificate ({ file: … })'), 'integrations.esim.clientCert', env),
    clientKey: pem(need(part.clientKey, 'clientKey', 'our client key ({ file: … })'), 'integrations.esim.clientKey', env),
    ca: part.ca ? pem(part.ca, 'integrations.esim.ca', env) : undefined,
    timeoutMs: part.timeoutMs,
    adminProtocol: part.adminProtocol,
    profileType: part.profileType,
    smdpAddress: part.smdpAddress,
  };
  const n = part.notifications;
  const notifications: Es2NotificationSettings | undefined = n && {
    port: n.port,
    host: n.host ?? '0.0.0.0',
    serverCert: pem(n.serverCert, 'integrations.esim.notifications.serverCert', env),
    serverKey: pem(n.serverKey, 'integrations.esim.notifications.serverKey', env),
    clientCa: pem(n.clientCa, 'integrations.esim.notifications.clientCa', env),
    clientNames: (n.clientNames ?? []).map((name) => name.toLowerCase()),
    deletePoints: points(n.deletePoints, 'delete'),
    disablePoints: points(n.disablePoints, 'disable'),
  };
  return { client, ...(notifications ? { notifications } : {}) };
}
