import type { Static } from '@sinclair/typebox';
import type {
  BlockerSchema,
  LineSchema,
  PreviewSchema,
  QuoteSchema,
  ReceiptSchema,
  SessionSchema,
  SignedInSchema,
  SiteInfoSchema,
  StaffAlertSchema,
  TerminationSchema,
  WarningSchema,
} from '../../src/channels/api/schemas.ts';
import type { MyTicketSchema, SubscriberShopSchema } from '../../src/channels/api/remote-ticket-schemas.ts';
import type { CancelledSchema, FiguresSchema, FinishedSchema, HeldCallSchema, HeldSummarySchema, QueueSchema, WaitingSchema } from '../../src/channels/api/call-schemas.ts';

/** The site talks to the same public API as the app: cookie session, CSRF token echoed on changes. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(status: number, body: { code?: string; message?: string; details?: Record<string, unknown> }) {
    super(body.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body.code ?? 'UNKNOWN';
    this.details = body.details ?? {};
  }
}

let language = 'en';
export const setApiLanguage = (code: string) => {
  language = code;
};

const CSRF_KEY = 'simexit.csrf';
export const session = {
  get csrf() {
    return sessionStorage.getItem(CSRF_KEY);
  },
  set(csrf: string | null) {
    if (csrf) sessionStorage.setItem(CSRF_KEY, csrf);
    else sessionStorage.removeItem(CSRF_KEY);
  },
};

async function send(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      'accept-language': language,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' && session.csrf ? { 'x-csrf-token': session.csrf } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return data as T;
}

export type SessionInfo = Static<typeof SessionSchema>;

/**
 * The session behind the cookie, with its CSRF token (kept for this tab). The cookie outlives the tab's storage
 * (a browser reopened with its session restored), so the page asks for the token again instead of failing.
 */
export async function restoreSession(): Promise<SessionInfo | null> {
  try {
    const found = await read<SessionInfo>(await send('GET', '/auth/session', undefined, {}));
    session.set(found.csrfToken);
    return found;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session.set(null);
      return null;
    }
    throw e;
  }
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await send(method, path, body, headers);
  if (method !== 'GET' && response.status === 403) {
    const copy = response.clone();
    const failed = await copy.json().catch(() => null);
    // The tab's token is missing or belongs to an older session: fetch the current one and try once more.
    if (failed?.code === 'CSRF_FAILED' && (await restoreSession().catch(() => null))) return read<T>(await send(method, path, body, headers));
  }
  return read<T>(response);
}

// The API's types are its route schemas (src/channels/api/schemas.ts), imported as types only: nothing of the
// server reaches the bundle, and a field changed on the server is a type error here, not a surprise in a browser.
export type Line = Static<typeof LineSchema>;
export type Quote = Static<typeof QuoteSchema>;
export type Blocker = Static<typeof BlockerSchema>;
export type Warning = Static<typeof WarningSchema>;
export type Preview = Static<typeof PreviewSchema>;
export type Termination = Static<typeof TerminationSchema>;
export type SiteInfo = Static<typeof SiteInfoSchema>;
export type Receipt = Static<typeof ReceiptSchema>;
export type StaffAlert = Static<typeof StaffAlertSchema>;
export type SignedIn = Static<typeof SignedInSchema>;
export type CallQueue = Static<typeof QueueSchema>;
export type WaitingCall = Static<typeof WaitingSchema>;
export type HeldSummary = Static<typeof HeldSummarySchema>;
export type HeldCall = Static<typeof HeldCallSchema>;
export type CallCancelled = Static<typeof CancelledSchema>;
export type CallFinished = Static<typeof FinishedSchema>;
export type CallFigures = Static<typeof FiguresSchema>;
export type SubscriberShop = Static<typeof SubscriberShopSchema>;
export type MyTicket = Static<typeof MyTicketSchema>;

export const newIdempotencyKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
