import { builtinNetwork } from '../builtin.ts';
import type { NetworkAdapter } from '../ports.ts';
import { type GatewayConfig, httpGateway } from './http-gateway.ts';

export interface NetworkConfig {
  /** `SIMEXIT_HLR_URL`: the HLR provisioning gateway; without it the built-in record (`network_barrings`). */
  readonly hlrUrl?: string | undefined;
  /** `SIMEXIT_HLR_TOKEN`: the bearer token sent to the gateway. */
  readonly hlrToken?: string | undefined;
  /** `SIMEXIT_HLR_TIMEOUT_MS`: how long one request may take. */
  readonly hlrTimeoutMs?: number | undefined;
}

/** Which network adapter runs: the built-in record, or an HTTP gateway (from `integrations.network` or SIMEXIT_HLR_*). */
export type NetworkSettings = { readonly kind: 'builtin' } | { readonly kind: 'http'; readonly gateway: GatewayConfig };

/**
 * The fixed request SIMEXIT_HLR_URL has always meant, as a gateway template: `POST {url}/barrings`, body
 * `{msisdn, iccid, at}`, `Idempotency-Key: {key}`, `Authorization: Bearer {SIMEXIT_HLR_TOKEN}`. A refusal is retried
 * until the last attempt, as before the templates existed.
 */
export function envGateway(config: NetworkConfig & { hlrUrl: string }): GatewayConfig {
  return {
    url: `${config.hlrUrl.replace(/\/+$/, '')}/barrings`,
    method: 'POST',
    headers: { 'Idempotency-Key': { template: '{{key}}' }, ...(config.hlrToken ? { Authorization: { literal: `Bearer ${config.hlrToken}` } } : {}) },
    format: 'json',
    template: '{"msisdn":"{{msisdn}}","iccid":"{{iccid}}","at":"{{at}}"}',
    success: {},
    timeoutMs: config.hlrTimeoutMs ?? 5000,
    concurrency: 8,
    attempts: 1,
    retryDelayMs: 0,
    retryRefused: true,
  };
}

export function networkAdapterFrom(settings: NetworkSettings): NetworkAdapter {
  return settings.kind === 'http' ? httpGateway(settings.gateway) : builtinNetwork;
}
