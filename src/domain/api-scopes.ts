/**
 * What an integrator API key may do: the one list of scopes. A key carries some of them; each route that takes a
 * key names the one it needs. Keys made before a scope existed simply do not have it.
 */
export const API_SCOPES = [
  /** The TM Forum TMF622 product ordering facade (/tmf-api/productOrderingManagement/v4). */
  'tmf622',
  /** The reassigned-numbers query: was this number disconnected since a date? (banks, messengers) */
  'reassigned-numbers',
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

export const isApiScope = (s: string): s is ApiScope => (API_SCOPES as readonly string[]).includes(s);

/** Whether a key with these scopes may use a route needing `scope`. */
export const hasScope = (scopes: readonly string[], scope: ApiScope): boolean => scopes.includes(scope);
