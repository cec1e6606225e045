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

export interface SessionInfo {
  csrfToken: string;
  principal: { kind: string; id: string; name: string };
}

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

export interface Line {
  id: string;
  msisdn: string;
  simType: 'sim' | 'esim';
  state: 'active' | 'suspended' | 'termination_scheduled' | 'terminated';
  plan: string;
  monthlyFee: number;
  balance: number;
  currency: string;
  dataLeftMb: number;
  accountId: string;
}

export interface Quote {
  currency: string;
  balance: number;
  owed: number;
  finalUsage: number;
  earlyTerminationFee: number;
  instalmentsLeft: number;
  finalInvoice: number;
  refund: number;
  owedAfter: number;
}

export interface Blocker {
  code: string;
  amount?: number;
}
export interface Warning {
  code: string;
  amount?: number;
  dataLeftMb?: number;
  date?: string;
  method?: string;
}

export interface Preview {
  lineId: string;
  msisdn: string;
  simType: string;
  effectiveAt: string;
  coolingOffEndsAt: string;
  quarantineEndsAt: string;
  dataLeftMb: number;
  quote: Quote;
  blockers: Blocker[];
  warnings: Warning[];
  effectiveOptions: { mode: string; at: string | null }[];
  esimDeletionSteps: string[];
}

export interface Termination {
  reference: string;
  state: string;
  lineId: string;
  msisdn: string;
  simType: string;
  effectiveAt: string;
  requestedAt: string;
  confirmBy: string | null;
  completedAt: string | null;
  withdrawableUntil: string | null;
  blockers: Blocker[];
  warnings: Warning[];
  quote: Quote;
  amountSettled: number | null;
  amountRefunded: number | null;
  quarantineUntil: string | null;
  codeSentUntil?: string | null;
  /** Once confirmed: the execution steps as they happen (absent from older servers). */
  progress?: { step: string; state: 'done' | 'failed' | 'pending'; at: string | null; until?: string | null }[];
  timeline?: { at: string; from: string | null; to: string | null; action: string; actor: string; channel: string }[];
}

export interface SiteInfo {
  operatorName: string;
  siteUrl: string;
  timezone: string;
  currency: string;
  shortNumber: string;
  quarantineDays: number;
  /** Demo mode: the site shows its demo tools (the clock control). */
  demo?: boolean;
}

export interface Receipt {
  reference: string;
  state: string;
  requestedAt: string;
  effectiveAt: string;
  confirmBy: string | null;
  confirmation: 'sms_code' | 'identity_check' | 'blocked' | 'done' | 'withdrawn';
  blockers: Blocker[];
  /** The same money, SIM type and withdrawal deadline as the signed-in status page (absent from older servers). */
  simType?: 'sim' | 'esim';
  quote?: Quote;
  warnings?: Warning[];
  withdrawableUntil?: string | null;
}

export const newIdempotencyKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
