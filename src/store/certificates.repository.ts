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

/** A certificate's PDF as kept, in one language, when one signed with `keyId` was made. */
export async function keptCertificateFile(db: Db, seq: number, language: string, keyId: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('certificate_files').select('pdf').where('seq', '=', seq).where('language', '=', language).where('key_id', '=', keyId).executeTakeFirst();
  return row ? Buffer.from(row.pdf.buffer, row.pdf.byteOffset, row.pdf.byteLength) : undefined;
}

/**
 * Keeps a certificate's PDF. Two makers racing keep the first; one made under
 * an older key is replaced.
 */
export async function keepCertificateFile(db: Db, file: { seq: number; language: string; reference: string; keyId: string; pdf: Buffer; at: string }): Promise<void> {
  await db
    .insertInto('certificate_files')
    .values({ seq: file.seq, language: file.language, reference: file.reference, key_id: file.keyId, pdf: file.pdf, rendered_at: file.at })
    .onConflict((c) => c.columns(['seq', 'language']).doUpdateSet({ key_id: file.keyId, pdf: file.pdf, rendered_at: file.at }).where('certificate_files.key_id', '!=', file.keyId))
    .execute();
}
