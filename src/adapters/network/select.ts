import { builtinNetwork } from '../builtin.ts';
import type { NetworkAdapter } from '../ports.ts';
import { httpHlr } from './http-hlr.ts';

export interface NetworkConfig {
  /** `SIMEXIT_HLR_URL`: the HLR provisioning gateway; without it the built-in record (`network_barrings`). */
  readonly hlrUrl?: string | undefined;
  /** `SIMEXIT_HLR_TOKEN`: the bearer token sent to the gateway. */
  readonly hlrToken?: string | undefined;
  /** `SIMEXIT_HLR_TIMEOUT_MS`: how long one request may take. */
  readonly hlrTimeoutMs?: number | undefined;
}

/** The network adapter the configuration names: the HTTP gateway when an address is given, else the built-in one. */
export function networkAdapterFrom(config: NetworkConfig): NetworkAdapter {
  if (!config.hlrUrl) return builtinNetwork;
  return httpHlr({ url: config.hlrUrl, token: config.hlrToken, timeoutMs: config.hlrTimeoutMs });
}
