/**
 * The shop screens' calls to the public API (no sign-in); the paths are the shop routes', named once here.
 * The shapes are those of src/app/shop-kiosk.ts and shop-board.ts (the route schemas in
 * src/channels/api/shop-schemas.ts); written out because importing the use cases would pull the server into the
 * web's type check.
 */
import type { Language } from '../../../src/domain/languages.ts';

type Names = Readonly<Record<Language, string>>;
export interface KioskService {
  id: string;
  letter: string;
  names: Names;
  waiting: number;
  estimatedWaitMinutes: number | null;
}
export interface IssuedTicket {
  id: string;
  shopId: string;
  shopName: string;
  number: string;
  serviceId: string;
  serviceNames: Names;
  language: Language;
  priority: string;
  remote: boolean;
  issuedAt: string;
  ahead: number;
  estimatedWaitMinutes: number | null;
}
export interface BoardCall {
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
  languages: string[];
  calls: BoardCall[];
}
export interface KioskInfo {
  shop: { id: string; name: string; languages: Language[] };
  services: KioskService[];
}

const base = (shopId: string) => `/api/v1/shops/${encodeURIComponent(shopId)}`;
export const SHOP_PATHS = {
  kiosk: (shopId: string) => `${base(shopId)}/kiosk`,
  tickets: (shopId: string) => `${base(shopId)}/tickets`,
  board: (shopId: string) => `${base(shopId)}/board`,
  boardEvents: (shopId: string) => `${base(shopId)}/board/events`,
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
