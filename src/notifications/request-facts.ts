/**
 * What the "received" and "confirmed" messages say about an order, decided
 * once for every language: the language packs only word it.
 */
import type { Formatter } from './format.ts';
import type { Block, Payloads } from './templates.ts';

/**
 * How someone who did not ask for the order stops it: withdraw it while it is
 * scheduled (the one state the lifecycle withdraws from), let it lapse while
 * it awaits its code, or tell the operator, who refuses it, while it is blocked.
 */
export type Undo = { readonly way: 'withdraw'; readonly until: string } | { readonly way: 'lapse'; readonly at: string } | { readonly way: 'tell_us' };

export function undoOf(p: { readonly withdrawUntil: string | null; readonly confirmBy?: string | null }): Undo {
  if (p.withdrawUntil) return { way: 'withdraw', until: p.withdrawUntil };
  if (p.confirmBy) return { way: 'lapse', at: p.confirmBy };
  return { way: 'tell_us' };
}

export interface RequestFactLabels {
  readonly reference: string;
  readonly line: string;
  readonly takesEffect: string;
  readonly lapsesAt: string;
  readonly withdrawUntil: string;
}

/** The order's facts table, the same in the "received" and the "confirmed" message. */
export function requestFacts(p: Payloads['termination.requested'] | Payloads['termination.scheduled'], f: Formatter, labels: RequestFactLabels): Block {
  const undo = undoOf(p);
  return {
    kind: 'facts',
    rows: [
      [labels.reference, p.reference],
      [labels.line, f.phone(p.msisdn)],
      [labels.takesEffect, f.dateTime(p.effectiveAt)],
      ...(undo.way === 'lapse' ? [[labels.lapsesAt, f.dateTime(undo.at)] as const] : []),
      ...(undo.way === 'withdraw' ? [[labels.withdrawUntil, f.dateTime(undo.until)] as const] : []),
    ],
  };
}
