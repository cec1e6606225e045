/** What a termination certificate states. Amounts in minor units, times UTC. */
export interface CertificateFacts {
  readonly reference: string;
  readonly msisdn: string;
  readonly simType: string;
  readonly channel: string;
  readonly requestedAt: string;
  readonly effectiveAt: string;
  readonly completedAt: string;
  readonly amountSettled: number;
  readonly amountRefunded: number;
  readonly currency: string;
  readonly quarantineUntil: string | null;
}

/** Sorted keys, no spaces: the exact bytes a signature covers, the same on every machine. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export const factsBytes = (facts: CertificateFacts): Buffer => Buffer.from(canonical(facts), 'utf8');
