// Frozen: imports nothing from the application, so it runs the same years from now.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Orders and certificates were indexed by their reference, which scrambles a
 * sequence number on purpose (neighbours must not look alike). In a B-tree
 * that puts each new order at a random place: past a few hundred thousand
 * orders every order dirtied a page of each of the two indexes, and the
 * engine ran about a tenth slower at a million lines (docs/performance.md).
 * Both are now keyed by the sequence number, which the reference decodes back
 * to; the reference stays as a column. On SQLite the tables are rebuilt,
 * since a column's UNIQUE or PRIMARY KEY cannot be dropped there.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HALF = 2 ** 20;
const ROUND_KEYS = [0x5bd1e, 0x3c6ef, 0x1b873, 0x7f4a7];

function round(half: number, key: number): number {
  let x = Math.imul(half ^ key, 0x45d9f3b);
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b);
  x ^= x >>> 13;
  return x & (HALF - 1);
}

/** The sequence number of a reference such as TRM-7KQ2-9XW4 (a copy of the domain's, frozen here). */
function sequenceOf(reference: string): number {
  if (!/^[A-Z]{3}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(reference)) throw new Error(`cannot key the row with reference ${JSON.stringify(reference)}: not a reference`);
  let n = 0;
  for (const c of reference.slice(4, 8) + reference.slice(9, 13)) n = n * 32 + ALPHABET.indexOf(c);
  let left = Math.floor(n / HALF);
  let right = n & (HALF - 1);
  for (let k = ROUND_KEYS.length - 1; k >= 0; k--) [left, right] = [right ^ round(left, ROUND_KEYS[k] as number), left];
  return left * HALF + right;
}

const TERMINATION_COLUMNS = `"id" text primary key, "reference" text not null{REFERENCE}, "line_id" text not null references "lines" ("id"), "customer_id" text not null, "account_id" text not null, "msisdn" text not null, "sim_type" text not null, "channel" text not null, "authority" text not null, "requested_by_kind" text not null, "requested_by_id" text not null, "reason" text, "state" text not null, "effective_mode" text not null, "effective_at" text not null, "requested_at" text not null, "confirm_by" text, "confirmed_at" text, "completed_at" text, "blockers" text not null, "warnings" text not null, "quote" text not null, "fee_accepted_at" text, "instalments_accepted_at" text, "amount_settled" bigint, "amount_refunded" bigint, "quarantine_until" text, "sim_collected" smallint default 0 not null, "line_state_before" text not null, "steps" text not null, "last_error" text, "bulk_key" text unique, "updated_at" text not null{SEQ}`;
const TERMINATION_INDEXES = [
  `create index "terminations_state" on "terminations" ("state", "updated_at")`,
  `create index "terminations_customer" on "terminations" ("customer_id")`,
  `create index "terminations_line" on "terminations" ("line_id")`,
  `create unique index "terminations_one_open_per_line" on "terminations" ("line_id") where "state" not in ('completed', 'expired', 'withdrawn', 'rejected')`,
];
const CERTIFICATE_COLUMNS = `"termination_id" text not null, "facts" text not null, "issued_at" text not null, "signature" text, "key_id" text`;

type Row = Record<string, unknown>;

/** SQLite: copies `table` into a new table made by `create`, with `seq` set (or dropped) per row, and swaps it in. */
async function rebuild(db: Kysely<any>, table: string, create: string, indexes: readonly string[], seq: 'add' | 'drop'): Promise<void> {
  await sql.raw(create.replace(`"${table}"`, `"${table}_new"`)).execute(db);
  const page = 500;
  for (let after = 0; ; ) {
    // Aliased: in a table whose key is an INTEGER PRIMARY KEY, SQLite names a bare `rowid` column after that key.
    const { rows } = await sql<Row & { copy_rowid: number }>`select rowid as copy_rowid, * from ${sql.table(table)} where rowid > ${after} order by rowid limit ${page}`.execute(db);
    if (rows.length === 0) break;
    after = Number((rows.at(-1) as { copy_rowid: number }).copy_rowid);
    const copies = rows.map(({ copy_rowid: _rowid, ...row }) => {
      if (seq === 'drop') {
        const { seq: _seq, ...rest } = row;
        return rest;
      }
      return { ...row, seq: sequenceOf(String(row.reference)) };
    });
    await db.insertInto(`${table}_new`).values(copies).execute();
  }
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql.raw(`alter table "${table}_new" rename to "${table}"`).execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
}

/** Postgres: sets `seq` from the reference on every row, 1,000 rows per statement. */
async function fillSequence(db: Kysely<any>, table: string, key: string): Promise<void> {
  const { rows } = await sql<{ k: string; reference: string }>`select ${sql.ref(key)} as k, reference from ${sql.table(table)}`.execute(db);
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows.slice(i, i + 1000).map((r) => sql`(${r.k}, ${sequenceOf(r.reference)}::bigint)`);
    await sql`update ${sql.table(table)} as t set seq = v.seq from (values ${sql.join(values)}) as v(k, seq) where t.${sql.ref(key)} = v.k`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table terminations add column seq bigint`.execute(db);
    await fillSequence(db, 'terminations', 'id');
    await sql`alter table terminations alter column seq set not null`.execute(db);
    await sql`create unique index terminations_seq on terminations (seq)`.execute(db);
    await sql`alter table terminations drop constraint terminations_reference_key`.execute(db);
    await sql`alter table certificates add column seq bigint`.execute(db);
    await fillSequence(db, 'certificates', 'reference');
    await sql`alter table certificates drop constraint certificates_pkey`.execute(db);
    await sql`alter table certificates add primary key (seq)`.execute(db);
    return;
  }
  // Kysely runs SQLite migrations outside a transaction: this one must not stop half-way.
  await db.transaction().execute(async (tx) => {
    await rebuild(tx, 'terminations', `create table "terminations" (${TERMINATION_COLUMNS.replace('{REFERENCE}', '').replace('{SEQ}', ', "seq" bigint not null')})`, [...TERMINATION_INDEXES, `create unique index "terminations_seq" on "terminations" ("seq")`], 'add');
    // An integer primary key is the table's own rowid: no index beside the table at all.
    await rebuild(tx, 'certificates', `create table "certificates" ("seq" integer primary key, "reference" text not null, ${CERTIFICATE_COLUMNS})`, [], 'add');
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table certificates drop constraint certificates_pkey`.execute(db);
    await sql`alter table certificates add primary key (reference)`.execute(db);
    await sql`alter table certificates drop column seq`.execute(db);
    await sql`alter table terminations add constraint terminations_reference_key unique (reference)`.execute(db);
    await sql`drop index terminations_seq`.execute(db);
    await sql`alter table terminations drop column seq`.execute(db);
    return;
  }
  await db.transaction().execute(async (tx) => {
    await rebuild(tx, 'terminations', `create table "terminations" (${TERMINATION_COLUMNS.replace('{REFERENCE}', ' unique').replace('{SEQ}', '')})`, TERMINATION_INDEXES, 'drop');
    await rebuild(tx, 'certificates', `create table "certificates" ("reference" text primary key, ${CERTIFICATE_COLUMNS})`, [], 'drop');
  });
}
