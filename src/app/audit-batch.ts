/**
 * Audit entries written together: requests that each must be audited before they are answered (the
 * reassigned-numbers query) hand their entry here and wait; entries that arrive while one write is under way go
 * into the next, so many requests share one short transaction instead of queueing one by one on the store's
 * writer (SQLite's one connection, Postgres's lock on the chain's head). Each caller's promise settles when its
 * entry is committed, or fails with the write.
 */
import type { StateEvent } from '../domain/termination.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Store } from '../store/database.ts';

interface Waiting {
  readonly event: StateEvent;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Batch {
  waiting: Waiting[];
  writing: boolean;
}

const batches = new WeakMap<Store, Batch>();

async function drain(store: Store, batch: Batch): Promise<void> {
  batch.writing = true;
  while (batch.waiting.length > 0) {
    const taken = batch.waiting;
    batch.waiting = [];
    try {
      await inTransaction(store, (tx) => appendAudit(tx, taken.map((w) => w.event)));
      for (const w of taken) w.resolve();
    } catch (error) {
      for (const w of taken) w.reject(error);
    }
  }
  batch.writing = false;
}

/** Appends `event` to the audit log with whatever else is waiting; resolves once it is committed. */
export function auditTogether(store: Store, event: StateEvent): Promise<void> {
  let batch = batches.get(store);
  if (!batch) {
    batch = { waiting: [], writing: false };
    batches.set(store, batch);
  }
  const current = batch;
  return new Promise<void>((resolve, reject) => {
    current.waiting.push({ event, resolve, reject });
    // The first entry starts a write on the next turn, so the requests of this turn join it.
    if (!current.writing) {
      current.writing = true;
      setImmediate(() => void drain(store, current));
    }
  });
}
