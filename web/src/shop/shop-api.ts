/**
 * The shop screens' calls to the public API (no sign-in); the paths are the shop routes'
 * (src/channels/api/routes/shop.routes.ts), named once here, and the types their schemas (shop-schemas.ts),
 * imported as types only.
 */
import type { Static } from '@sinclair/typebox';
import type { IssuedTicketSchema, KioskSchema } from '../../../src/channels/api/shop-schemas.ts';
import type { Language } from '../../../src/domain/languages.ts';

export type KioskInfo = Static<typeof KioskSchema>;
export type KioskService = KioskInfo['services'][number];
export type IssuedTicket = Static<typeof IssuedTicketSchema>;
/** The board's snapshot and `called` events (BoardSchema in shop.routes.ts, which the web cannot import). */
export interface BoardCall {
  /** The call's number in its shop: the event id a reconnecting board sends back. */
  seq: number;
  eventId: string;
  ticketId: string;
  number: string;
  counterLabel: string;
  calledAt: string;
  recalls: number;
}
export interface BoardSnapshot {
  shopId: string;
  name: string;
  names: Partial<Record<Language, string>>;
  languages: string[];
  timeZone: string;
  cursor: number;
  calls: BoardCall[];
}

const base = (shopId: string) => `/api/v1/shops/${encodeURIComponent(shopId)}`;
export const SHOP_PATHS = {
  kiosk: (shopId: string) => `${base(shopId)}/services`,
  tickets: (shopId: string) => `${base(shopId)}/tickets`,
  /** A remote ticket's holder arrives: its number and the last four digits of its phone. */
  checkIn: (shopId: string) => `${base(shopId)}/check-in`,
  /**
   * JSON, or with Accept: text/event-stream (what EventSource sends) the live events: `snapshot`, then `called`;
   * `after` (the last call shown) makes a new stream go on from there, as Last-Event-ID does for a reconnecting one.
   */
  board: (shopId: string, after?: string) => `${base(shopId)}/board${after ? `?after=${encodeURIComponent(after)}` : ''}`,
};

export class ShopApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ShopApiError(response.status, data?.code ?? 'UNKNOWN', data?.message ?? `HTTP ${response.status}`);
  return data as T;
}

export async function getJson<T>(path: string, language: Language): Promise<T> {
  return read<T>(await fetch(path, { headers: { accept: 'application/json', 'accept-language': language } }));
}

export async function postJson<T>(path: string, body: unknown, language: Language, key: string): Promise<T> {
  return read<T>(await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': language, 'idempotency-key': key }, body: JSON.stringify(body) }));
}

export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
