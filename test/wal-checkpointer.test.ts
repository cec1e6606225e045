// The SQLite store's write-ahead log is checkpointed by a thread of its own once it grows (src/store/wal-checkpointer.ts):
// a large write's pages reach the database file without the writer's COMMIT copying them, nothing is lost, a small
// store never starts the thread, and closing the store ends the thread so the process can exit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { inTransaction, openStore } from '../src/store/database.ts';
import { START_AT_BYTES } from '../src/store/wal-checkpointer.ts';

/** Writes about `megabytes` MB of rows in one transaction. */
async function write(store: Awaited<ReturnType<typeof openStore>>, megabytes: number, from: number) {
  await inTransaction(store, async (tx) => {
    for (let i = 0; i < megabytes * 16; i++) await sql`insert into filler (id, body) values (${from + i}, randomblob(65536))`.execute(tx);
  });
}

describe('checkpointing the write-ahead log from a thread', () => {
  it('a log grown past the threshold is copied into the database file while the writer goes on; every row is there after reopening', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'simexit-wal-')), 'test.db');
    const store = await openStore(`sqlite:${path}`);
    await sql`create table filler (id integer primary key, body blob)`.execute(store.db);
    const megabytes = Math.ceil((START_AT_BYTES * 1.5) / 2 ** 20);
    await write(store, megabytes, 0);
    // Below SQLite's own automatic checkpoint (80 MB of log): without the thread the rows stay in the log.
    const fileBefore = statSync(path).size;
    assert.ok(fileBefore < START_AT_BYTES / 4, `the database file holds ${fileBefore} bytes before any checkpoint`);
    await write(store, 1, 100_000); // the commit after which the thread starts
    let fileAfter = statSync(path).size;
    for (let i = 0; i < 40 && fileAfter < megabytes * 2 ** 20; i++) {
      await sleep(100);
      fileAfter = statSync(path).size;
    }
    assert.ok(fileAfter >= megabytes * 2 ** 20, `the database file grew to ${fileAfter} bytes: the log was checkpointed`);
    await store.close();
    const again = await openStore(`sqlite:${path}`);
    const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(again.db);
    assert.equal(Number(rows.rows[0]?.n), megabytes * 16 + 16);
    await again.close();
  });

  it('a small store starts no thread: its log stays in the log until SQLite checkpoints it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'simexit-wal-')), 'test.db');
    const store = await openStore(`sqlite:${path}`);
    await sql`create table filler (id integer primary key, body blob)`.execute(store.db);
    await write(store, 2, 0);
    await write(store, 1, 100_000);
    await sleep(800); // three of the thread's turns, had it started
    assert.ok(statSync(path).size < 2 ** 20, `the database file holds ${statSync(path).size} bytes`);
    await store.close();
  });

  it('a process that wrote a large log and closed its store exits at once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'simexit-wal-')), 'test.db');
    const program = `
      import { sql } from 'kysely';
      import { inTransaction, openStore } from ${JSON.stringify(new URL('../src/store/database.ts', import.meta.url).href)};
      const store = await openStore('sqlite:${path}');
      await sql\`create table filler (id integer primary key, body blob)\`.execute(store.db);
      for (let t = 0; t < 3; t++) await inTransaction(store, async (tx) => { for (let i = 0; i < 400; i++) await sql\`insert into filler (body) values (randomblob(65536))\`.execute(tx); });
      await store.close();
      console.log('closed');`;
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /closed/);
    assert.ok(Date.now() - started < 20_000);
  });
});
