/**
 * Local adapters: the embedded defaults whose effect lives in simexit's own
 * store (the `network_barrings` table, the ledger, the eSIM answer).
 *
 * The step runner (jobs/step-runner.ts) calls a port outside any transaction
 * and records the answer in a short one afterwards. A local adapter would
 * gain nothing from that and lose a lot (one transaction per step instead of
 * one per batch), so it may declare `recordsInStore`: the runner then calls
 * the port inside the recording transaction and hands it that transaction to
 * write its effect, in the same commit as the step's progress. A crash
 * before the commit leaves neither; the retry does both. The port itself
 * (`ports.ts`) stays what a remote system implements: this capability is
 * an extra the runner looks for, never part of the port.
 */
import type { Tx } from '../store/database.ts';
import type { ItemResult } from './ports.ts';

export interface RecordsInStore<Request, Answer> {
  /**
   * Writes the effect of `answers` (what the port's call returned for
   * `requests`) in the runner's recording transaction. Called at most once
   * per commit; a key already recorded is skipped, so a repeat is harmless.
   */
  recordsInStore(tx: Tx, requests: readonly Request[], answers: readonly ItemResult<Answer>[], at: string): Promise<void>;
}

/** Whether the runner may call this adapter inside its recording transaction. */
export function recordsInStore<Request, Answer>(adapter: object): adapter is RecordsInStore<Request, Answer> {
  return typeof (adapter as Partial<RecordsInStore<Request, Answer>>).recordsInStore === 'function';
}
