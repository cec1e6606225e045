/** Placeholder for the agent queue (the "agents" branch replaces this file): every entry is first, a minute's wait. */
import type { Language } from '../domain/languages.ts';
import type { AppContext } from './context.ts';

export interface AgentQueueEntry {
  readonly kind: 'call' | 'callback';
  readonly callSid: string | null;
  readonly language: Language;
  readonly callerNumber: string;
  readonly customerId: string | null;
  readonly lineId: string | null;
  readonly verified: { readonly caller: boolean; readonly secret: 'pin' | 'document' | null; readonly smsCode: boolean };
  readonly reason: string;
}

let placeholderSeq = 0;

export async function enqueueForAgent(_ctx: AppContext, _entry: AgentQueueEntry): Promise<{ id: string; position: number; expectedWaitSeconds: number }> {
  placeholderSeq += 1;
  return { id: `aq_placeholder_${placeholderSeq}`, position: 1, expectedWaitSeconds: 60 };
}

export async function queuePosition(_ctx: AppContext, _entryId: string): Promise<{ position: number; expectedWaitSeconds: number } | null> {
  return { position: 1, expectedWaitSeconds: 60 };
}
