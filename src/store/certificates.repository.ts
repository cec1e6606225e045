/** Termination certificates: the facts as issued, and their signature once a key signed them. */
import type { Db } from './database.ts';

export interface StoredCertificate {
  readonly seq: number;
  readonly reference: string;
  /** The facts as JSON, exactly as issued (the signature covers their bytes). */
  readonly facts: string;
  readonly signature: string | null;
  readonly keyId: string | null;
}

/** The certificate of the order with this reference (its sequence number is the reference's). */
export async function certificateByReference(db: Db, seq: number, reference: string): Promise<StoredCertificate | undefined> {
  const row = await db.selectFrom('certificates').selectAll().where('seq', '=', seq).where('reference', '=', reference).executeTakeFirst();
  return row && { seq: Number(row.seq), reference: row.reference, facts: row.facts, signature: row.signature, keyId: row.key_id };
}

/** Records the signature of a certificate issued before a key was configured; a signature already there is kept. */
export async function signCertificate(db: Db, seq: number, signature: string, keyId: string): Promise<void> {
  await db.updateTable('certificates').set({ signature, key_id: keyId }).where('seq', '=', seq).where('signature', 'is', null).execute();
}
