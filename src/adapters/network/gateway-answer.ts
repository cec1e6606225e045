/**
 * What a provisioning gateway's answer means for one barring: done, refused (the gateway decided: a 4xx, a SOAP
 * Fault such as a CAI3G error, or a 2xx whose body says no), or unavailable (5xx, 408, 429: it could not decide
 * now). SOAP 1.1 gateways send their Faults with HTTP 500, so a Fault is a refusal whatever the status.
 */
import { XMLParser } from 'fast-xml-parser';

export interface SuccessRule {
  /** A dot path into the answer (JSON, or the SOAP XML with namespace prefixes dropped: `Envelope.Body.SetResponse.status`). */
  readonly path?: string | undefined;
  /** What the value at `path` must be (compared as text) for the barring to count as done. */
  readonly equals?: string | undefined;
  /** Where the answer says why, when it refuses; without it the Fault's text or the body's start. */
  readonly reasonPath?: string | undefined;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly kind: 'refused' | 'unavailable'; readonly reason: string };

const xml = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true });

/** The body's start on one line: enough for a person to see what the gateway said, never a whole page. */
export const snippet = (text: string, max = 300): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

function parsed(format: 'json' | 'soap', body: string): unknown {
  const text = body.trim();
  if (text === '') return undefined;
  try {
    if (text.startsWith('<')) return xml.parse(text) as unknown;
    if (format === 'json' || text.startsWith('{') || text.startsWith('[')) return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  return undefined;
}

export function valueAt(tree: unknown, path: string): unknown {
  let here: unknown = tree;
  for (const part of path.split('.')) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[part];
  }
  return here;
}

const leaves = (node: unknown): string[] => {
  if (node === null || node === undefined) return [];
  if (typeof node !== 'object') return [String(node)].filter((s) => s.trim() !== '');
  return Object.values(node as Record<string, unknown>).flatMap(leaves);
};

/** A SOAP 1.1 or 1.2 Fault's words: its faultstring (or Reason), then what its detail says (a CAI3G fault's code and text). */
function faultReason(fault: Record<string, unknown>): string {
  const head = leaves(fault.faultstring ?? fault.Reason);
  const detail = leaves(fault.detail ?? fault.Detail);
  const words = [...head, ...detail.filter((d) => !head.includes(d))];
  return words.length > 0 ? words.join('; ') : leaves(fault.faultcode ?? fault.Code).join('; ') || 'SOAP Fault';
}

const textOf = (value: unknown): string | undefined => {
  const words = leaves(value);
  return words.length > 0 ? words.join('; ') : undefined;
};

export function judgeAnswer(format: 'json' | 'soap', rule: SuccessRule, status: number, body: string): Verdict {
  const tree = parsed(format, body);
  const given = rule.reasonPath ? textOf(valueAt(tree, rule.reasonPath)) : undefined;
  const fault = valueAt(tree, 'Envelope.Body.Fault');
  if (fault !== undefined && fault !== null) {
    const reason = given ?? (typeof fault === 'object' ? faultReason(fault as Record<string, unknown>) : String(fault));
    return { ok: false, kind: 'refused', reason: `HTTP ${status}, SOAP Fault: ${snippet(reason)}` };
  }
  const said = snippet(given ?? body);
  if (status >= 200 && status < 300) {
    if (rule.path === undefined) return { ok: true };
    const value = valueAt(tree, rule.path);
    const text = value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
    if (text === rule.equals) return { ok: true };
    return { ok: false, kind: 'refused', reason: `HTTP ${status}, ${rule.path} is ${text === undefined ? 'missing' : JSON.stringify(text)}${said ? `: ${said}` : ''}` };
  }
  const kind = status >= 500 || status === 408 || status === 425 || status === 429 ? 'unavailable' : 'refused';
  return { ok: false, kind, reason: `HTTP ${status}${said ? `: ${said}` : ''}` };
}
