/**
 * The rows the execution steps and the built-in adapters write, so that
 * neither touches a table itself. Every function takes the recording
 * transaction; keyed inserts ignore a key already present (a step repeated
 * after a crash writes nothing twice).
 */
import { insertRows, updateRows } from './bulk.ts';
import type { Tx } from './database.ts';

/** The built-in HLR's record: one row per barring key. */
export async function recordBarrings(tx: Tx, barrings: readonly { key: string; msisdn: string; iccid: string }[], at: string): Promise<void> {
  await insertRows(tx, 'network_barrings', barrings.map((b) => ({ key: b.key, msisdn: b.msisdn, iccid: b.iccid, at })), { ignoreConflicts: true });
}

/** Which of these ledger keys are already posted. */
export async function postedLedgerKeys(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx.selectFrom('ledger_entries').select('key').where('key', 'in', keys).execute();
  return new Set(rows.map((r) => r.key as string));
}

export async function setSimStates(tx: Tx, updates: readonly { iccid: string; state: string }[], at: string): Promise<void> {
  await updateRows(tx, 'sims', 'iccid', updates.map((u) => ({ iccid: u.iccid, state: u.state, updated_at: at })));
}

export async function setEsimStates(tx: Tx, updates: readonly { iccid: string; state: string; awaitingDeviceDeletionSince: string | null }[], at: string): Promise<void> {
  await updateRows(
    tx,
    'esim_profiles',
    'iccid',
    updates.map((u) => ({ iccid: u.iccid, state: u.state, awaiting_device_deletion_since: u.awaitingDeviceDeletionSince, updated_at: at })),
  );
}

/** Puts numbers in quarantine and ends their current assignment to the lines being terminated. */
export async function quarantineNumbers(tx: Tx, numbers: readonly { msisdn: string; lineId: string }[], until: string, at: string): Promise<void> {
  if (numbers.length === 0) return;
  await updateRows(tx, 'numbers', 'msisdn', numbers.map((n) => ({ msisdn: n.msisdn, state: 'quarantined', quarantine_until: until, updated_at: at })));
  await tx
    .updateTable('number_assignments')
    .set({ to_at: at })
    .where('line_id', 'in', numbers.map((n) => n.lineId))
    .where('to_at', 'is', null)
    .execute();
}

export interface NewCertificate {
  readonly seq: number;
  readonly reference: string;
  readonly terminationId: string;
  readonly facts: string;
  readonly issuedAt: string;
  readonly signature: string | null;
  readonly keyId: string | null;
}

export async function recordCertificates(tx: Tx, certificates: readonly NewCertificate[]): Promise<void> {
  await insertRows(
    tx,
    'certificates',
    certificates.map((c) => ({ seq: c.seq, reference: c.reference, termination_id: c.terminationId, facts: c.facts, issued_at: c.issuedAt, signature: c.signature, key_id: c.keyId })),
    { ignoreConflicts: true },
  );
}
