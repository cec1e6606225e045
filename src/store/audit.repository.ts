
import { type AuditFacts, chainHash, GENESIS_HASH } from '../domain/audit-chain.ts';
import type { StateEvent } from '../domain/termination.ts';
import { insertRows } from './bulk.ts';
import { selectByKeys } from './raw-query.ts';
import { type Db, type Tx, isPostgres } from './database.ts';
import type { AuditLogTable } from './schema.ts';

export interface AuditEntry extends AuditFacts {
  readonly prevHash: string;
  readonly hash: string;
}

/** An audit row as the facts its hash covers. */
export const toFacts = (r: AuditLogTable): AuditFacts => ({
  seq: Number(r.seq),
  at: r.at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  channel: r.channel,
  entityType: r.entity_type,
  entityId: r.entity_id,
  action: r.action,
  fromState: r.from_state,
  toState: r.to_state,
  reason: r.reason,
  data: r.data,
});

/**
 * Appends events to the hash chain. Locks the chain's head row, so call it
 * last in a transaction: concurrent writers queue on that one row until commit.
 */
export async function appendAudit(tx: Tx, events: readonly StateEvent[]): Promise<void> {
  if (events.length === 0) return;
  let headQuery = tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (isPostgres(tx)) headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  let seq = Number(head.seq);
  let previous = head.hash;
  const rows: AuditLogTable[] = [];
  for (const e of events) {
    seq++;
    const facts: AuditFacts = {
      seq,
      at: e.at,
      actorKind: e.actor.kind,
      actorId: e.actor.id,
      channel: e.actor.channel,
      entityType: e.entityType,
      entityId: e.entityId,
      action: e.action,
      fromState: e.from,
      toState: e.to,
      reason: e.reason,
      data: e.data ? JSON.stringify(e.data) : null,
    };
    const hash = chainHash(previous, facts);
    rows.push({
      seq,
      at: facts.at,
      actor_kind: facts.actorKind,
      actor_id: facts.actorId,
      channel: facts.channel,
      entity_type: facts.entityType,
      entity_id: facts.entityId,
      action: facts.action,
      from_state: facts.fromState,
      to_state: facts.toState,
      reason: facts.reason,
      data: facts.data,
      prev_hash: previous,
      hash,
    });
    previous = hash;
  }
  await insertRows(tx, 'audit_log', rows);
  await tx.updateTable('audit_head').set({ seq, hash: previous }).where('id', '=', 1).execute();
}

/**
 * The entries of one entity, oldest first, under any of the ids it has been
 * recorded by (an order: its id, and its reference in logs written before
 * orders were keyed by id).
 */
export async function auditTrail(db: Db, entityType: StateEvent['entityType'], entityIds: readonly string[]): Promise<AuditEntry[]> {
  if (!/^[a-z_]+$/.test(entityType)) throw new Error(`not an entity type: ${entityType}`);
  const rows = await selectByKeys<AuditLogTable>(db, `select * from audit_log where entity_type = '${entityType}' and entity_id :keys order by seq`, entityIds);
  return rows.map((r) => ({ ...toFacts(r), prevHash: r.prev_hash, hash: r.hash }));
}

export type AuditVerdict =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBadSeq: number; problem: string };

/**
 * Walks the whole chain in pages and names the first entry whose stored hash,
 * link or sequence number does not match. `onProgress` receives the count so far.
 */
export async function verifyAudit(db: Db, onProgress?: (checked: number, total: number) => void): Promise<AuditVerdict> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const total = Number(head.seq);
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  const page = 5000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(page)
      .execute();
    for (const r of rows) {
      const facts = toFacts(r);
      if (facts.seq !== expectedSeq) {
        return { ok: false, entries: expectedSeq - 1, firstBadSeq: expectedSeq, problem: `entry ${expectedSeq} is missing` };
      }
      if (r.prev_hash !== previous) {
        return { ok: false, entries: expectedSeq - 1, firstBadSeq: facts.seq, problem: 'link to the previous entry does not match' };
      }
      if (chainHash(previous, facts) !== r.hash) {
        return { ok: false, entries: expectedSeq - 1, firstBadSeq: facts.seq, problem: 'contents do not match the hash' };
      }
      previous = r.hash;
      expectedSeq++;
    }
    onProgress?.(expectedSeq - 1, total);
    if (rows.length < page) break;
  }
  const entries = expectedSeq - 1;
  if (entries !== total || previous !== head.hash) {
    return { ok: false, entries, firstBadSeq: entries + 1, problem: `the chain ends at ${entries} but its head says ${total}` };
  }
  return { ok: true, entries };
}

/** The chain's head as the database says, and the stored hash of any entries asked for. */
export async function auditHeadAndHashes(db: Db, seqs: readonly number[]): Promise<{ head: { seq: number; hash: string }; hashes: Map<number, string> }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const hashes = new Map<number, string>();
  const unique = [...new Set(seqs)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'in', unique.slice(i, i + 500)).execute();
    for (const r of rows) hashes.set(Number(r.seq), r.hash);
  }
  return { head: { seq: Number(head.seq), hash: head.hash }, hashes };
}
